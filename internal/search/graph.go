package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/simd"
)

// A Graph is a hierarchical navigable small-world graph over the rows of a
// matrix (Malkov and Yashunin 2018, arXiv:1603.09320): every row is a node
// of layer 0, and each layer above holds an exponentially thinning random
// subset of the one below. A search descends greedily from the top layer's
// entry node and then explores layer 0 best-first, keeping the ef best rows
// seen; it reads a few thousand rows instead of all of them, and may miss
// some of the true nearest.
//
// Links are stored flat, as the file stores them: node i's layer-0 list is
// Links0[i*(2M+1):], a count followed by 2M slots, and its list on layer
// l ≥ 1 is a block of M+1 int32 in Upper, the blocks of the nodes with
// Levels > 0 following each other in row order, layer 1 first.
type Graph struct {
	GraphLinks

	sp      space
	upperAt []int32   // node → index of its first block in Upper, −1 if none
	scratch sync.Pool // *walker, reused across queries
}

// GraphLinks is the structure of a Graph: what a file stores.
type GraphLinks struct {
	Metric  Metric
	M       int     // links per node above layer 0; layer 0 has 2M
	MaxNorm float32 // Dot: the largest row length, for the extra coordinate
	Entry   int32   // the node searches start from; it is on the top layer
	Levels  []uint8 // each node's top layer
	Links0  []int32 // n × (2M+1)
	Upper   []int32 // (M+1) per layer above 0 of each node
	// Ef is the search breadth calibrated for this graph (CalibrateEf),
	// which Search uses when asked for ef 0; 0 if the graph was never
	// calibrated, and then the DefaultEf rule holds.
	Ef int
}

// MaxLevel caps a node's layer. With M ≥ 2 a node reaches layer 40 with
// probability 2^-40; the cap only bounds what a file may claim.
const MaxLevel = 40

// GraphOptions configure BuildGraph.
type GraphOptions struct {
	Metric         Metric
	M              int    // links per node (default 16)
	EfConstruction int    // breadth of the searches that choose links (default 200)
	Seed           uint64 // fixes the nodes' layers, and with one thread the whole graph
	Threads        int    // goroutines inserting nodes (default GOMAXPROCS)
	// Done, if not nil, counts the rows inserted, for a progress report.
	Done *atomic.Int64

	// selectLinks replaces the diversity heuristic (tests build broken
	// graphs with it).
	selectLinks func(g *Graph, base int32, cands []Hit, m int) []Hit
}

// Defaults of GraphOptions, and the search breadth of graphs that were
// never calibrated (see CalibrateEf), which gives recall@10 above 0.95 on
// small word-vector models by cosine or Euclidean distance (see
// TestGraphRecall) but not on large ones full of rare words. Inner-product
// search needs a wider walk: the extra
// coordinate crowds the many short rows together near one pole, so Search
// uses 4 × DefaultEf for Dot (recall@10 0.84 at ef 100, 0.92 at 200, 0.97
// at 400 on the test's model).
const (
	DefaultM              = 16
	DefaultEfConstruction = 200
	DefaultEf             = 100
)

// space scores pairs of rows and queries against rows under a metric. The
// rows have unit length; norms holds their lengths before normalisation
// (needed by Dot and Euclidean).
type space struct {
	vecs   []float32
	dim    int
	norms  []float32
	metric Metric
	// extra is, for Dot, each row's extra coordinate √(M² − ‖x‖²): with it
	// every row has length M, so the largest inner product with a query
	// (whose extra coordinate is 0) is the smallest Euclidean distance, and
	// the graph links rows by that distance (Bachrach et al. 2014).
	extra []float32
}

func (s *space) row(i int32) []float32 {
	return s.vecs[int(i)*s.dim : int(i+1)*s.dim : int(i+1)*s.dim]
}

// A probe is the vector that a walk scores rows against: a query, or, while
// building, a row being linked. Row j's closeness to it, c_j being the dot
// product of the probe's vector with the unit row j, is
//
//	Cosine     c_j
//	Dot        scale·‖x_j‖·c_j + extra·extra_j
//	Euclidean  scale·‖x_j‖·c_j − ‖x_j‖² − sub
//
// which is the cosine, the inner product (with the extra coordinate: see
// space) or the negated squared distance; higher is closer, and for two
// rows it is symmetric.
type probe struct {
	q     []float32
	scale float32
	extra float32
	sub   float32
}

// rowProbe is the probe of row i, for linking it.
func (s *space) rowProbe(i int32) probe {
	p := probe{q: s.row(i)}
	switch s.metric {
	case Dot:
		p.scale, p.extra = s.norms[i], s.extra[i]
	case Euclidean:
		p.scale, p.sub = 2*s.norms[i], s.norms[i]*s.norms[i]
	}
	return p
}

// queryProbe is the probe of the query vector q (unit length for Cosine,
// raw otherwise).
func (s *space) queryProbe(q []float32) probe {
	p := probe{q: q, scale: 1}
	if s.metric == Euclidean {
		p.scale, p.sub = 2, simd.Dot(q, q)
	}
	return p
}

// scores sets out[i] to the closeness of row ids[i] to p; out is at least
// as long as ids. One call scores a node's whole neighbour list, so the
// kernel interleaves the rows' memory loads instead of waiting on each.
func (s *space) scores(p *probe, ids []int32, out []float32) {
	if len(ids) == 0 {
		return
	}
	out = out[:len(ids)]
	simd.DotRows(out, p.q, s.vecs, ids)
	switch s.metric {
	case Dot:
		norms, extra := s.norms, s.extra
		for i, j := range ids {
			out[i] = p.scale*norms[j]*out[i] + p.extra*extra[j]
		}
	case Euclidean:
		norms := s.norms
		for i, j := range ids {
			n := norms[j]
			out[i] = p.scale*n*out[i] - n*n - p.sub
		}
	}
}

// score is the closeness of row j to p.
func (s *space) score(p *probe, j int32) float32 {
	var out [1]float32
	s.scores(p, []int32{j}, out[:])
	return out[0]
}

func newSpace(vecs []float32, dim int, norms []float32, metric Metric, maxNorm float32) (space, error) {
	s := space{vecs: vecs, dim: dim, norms: norms, metric: metric}
	n := len(vecs) / dim
	switch metric {
	case Cosine:
	case Dot, Euclidean:
		if len(norms) != n {
			return space{}, fmt.Errorf("search: the %v metric needs the lengths of all %d rows, have %d", metric, n, len(norms))
		}
		if metric == Dot {
			s.extra = make([]float32, n)
			for i, x := range norms {
				s.extra[i] = float32(math.Sqrt(max(0, float64(maxNorm)*float64(maxNorm)-float64(x)*float64(x))))
			}
		}
	default:
		return space{}, fmt.Errorf("search: unknown metric %v", metric)
	}
	return s, nil
}

// BuildGraph links the rows of the row-major matrix vecs (rows of length
// dim and unit length; norms are their lengths before normalisation, needed
// for Dot and Euclidean). It stops with ctx's error if ctx is cancelled.
func BuildGraph(ctx context.Context, vecs []float32, dim int, norms []float32, opts GraphOptions) (*Graph, error) {
	if dim < 1 || len(vecs) < dim || len(vecs)%dim != 0 {
		return nil, fmt.Errorf("search: %d values are not rows of %d", len(vecs), dim)
	}
	n := len(vecs) / dim
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("search: %d rows are more than a graph links", n)
	}
	if opts.M == 0 {
		opts.M = DefaultM
	}
	if opts.EfConstruction == 0 {
		opts.EfConstruction = DefaultEfConstruction
	}
	if opts.M < 2 || opts.M > 1024 || opts.EfConstruction < 1 {
		return nil, fmt.Errorf("search: M %d (want 2 to 1024) or ef-construction %d (want at least 1)", opts.M, opts.EfConstruction)
	}
	var maxNorm float32
	if opts.Metric == Dot && len(norms) > 0 {
		maxNorm = slices.Max(norms)
	}
	sp, err := newSpace(vecs, dim, norms, opts.Metric, maxNorm)
	if err != nil {
		return nil, err
	}
	g := &Graph{sp: sp}
	g.Metric, g.M, g.MaxNorm = opts.Metric, opts.M, maxNorm
	m := opts.M

	// Layers are drawn up front, in row order, so they depend on the seed
	// alone and not on how threads interleave.
	rng := rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15))
	mult := 1 / math.Log(float64(m))
	g.Levels = make([]uint8, n)
	g.upperAt = make([]int32, n)
	blocks := 0
	for i := range g.Levels {
		l := int(-math.Log(1-rng.Float64()) * mult)
		l = min(l, MaxLevel)
		g.Levels[i] = uint8(l)
		g.upperAt[i] = -1
		if l > 0 {
			g.upperAt[i] = int32(blocks)
			blocks += l
		}
	}
	if blocks*(m+1) > math.MaxInt32 {
		return nil, fmt.Errorf("search: %d rows need too many links", n)
	}
	g.Links0 = make([]int32, n*(2*m+1))
	g.Upper = make([]int32, blocks*(m+1))

	b := &builder{g: g, opts: opts, locks: make([]sync.Mutex, 1<<12)}
	b.top = int(g.Levels[0])
	if opts.Done != nil {
		opts.Done.Add(1)
	}
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	threads = max(1, min(threads, n/64+1))
	next := atomic.Int64{}
	next.Store(1)
	var wg sync.WaitGroup
	for range threads {
		wg.Go(func() {
			w := b.newWorker()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				w.insert(int32(i))
				if opts.Done != nil {
					opts.Done.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g.Entry = b.entry
	return g, nil
}

// OpenGraph pairs the links l, as read from a file and checked by it, with
// the rows they link (unit length; norms as for BuildGraph).
func OpenGraph(l GraphLinks, vecs []float32, dim int, norms []float32) (*Graph, error) {
	if dim < 1 || len(vecs)%dim != 0 {
		return nil, fmt.Errorf("search: %d values are not rows of %d", len(vecs), dim)
	}
	n := len(vecs) / dim
	if len(l.Levels) != n || l.M < 2 || len(l.Links0) != n*(2*l.M+1) || l.Entry < 0 || int(l.Entry) >= n {
		return nil, fmt.Errorf("search: graph of %d nodes (M %d, entry %d) does not fit %d rows", len(l.Levels), l.M, l.Entry, n)
	}
	if l.Ef < 0 {
		return nil, fmt.Errorf("search: graph's search breadth ef %d is negative", l.Ef)
	}
	sp, err := newSpace(vecs, dim, norms, l.Metric, l.MaxNorm)
	if err != nil {
		return nil, err
	}
	g := &Graph{GraphLinks: l, sp: sp, upperAt: make([]int32, n)}
	blocks := 0
	for i, lv := range l.Levels {
		g.upperAt[i] = -1
		if lv > 0 {
			g.upperAt[i] = int32(blocks)
			blocks += int(lv)
		}
	}
	if len(l.Upper) != blocks*(l.M+1) {
		return nil, fmt.Errorf("search: graph has %d upper links, its levels need %d", len(l.Upper), blocks*(l.M+1))
	}
	return g, nil
}

// SearchEf returns the breadth of a search asked for ef 0: the calibrated
// Ef, or for a graph without one DefaultEf, 4 × DefaultEf for Dot.
func (g *Graph) SearchEf() int {
	if g.Ef > 0 {
		return g.Ef
	}
	return uncalibratedEf(g.Metric)
}

// uncalibratedEf is the search breadth of a graph without a calibrated one.
func uncalibratedEf(m Metric) int {
	if m == Dot {
		return 4 * DefaultEf
	}
	return DefaultEf
}

// Len returns the number of rows the graph links.
func (g *Graph) Len() int { return len(g.Levels) }

// links returns node i's list on layer l: a count, then the slots.
func (g *Graph) links(i int32, l int) []int32 {
	if l == 0 {
		w := 2*g.M + 1
		return g.Links0[int(i)*w : int(i+1)*w : int(i+1)*w]
	}
	w := g.M + 1
	at := (int(g.upperAt[i]) + l - 1) * w
	return g.Upper[at : at+w : at+w]
}

// visitList marks the nodes a walk has seen: a node is seen when its mark
// equals the current generation, so a list is cleared by bumping the
// generation, not by writing n marks.
type visitList struct {
	gen   uint16
	marks []uint16
}

func (v *visitList) reset(n int) {
	if len(v.marks) != n {
		v.marks, v.gen = make([]uint16, n), 0
	}
	v.gen++
	if v.gen == 0 {
		clear(v.marks)
		v.gen = 1
	}
}

// A node is a row and its closeness to the probe, in a walk's heaps: half
// the size of a Hit, so more of the heaps stay in the first cache level.
type node struct {
	score float32
	id    int32
}

// A walker is one goroutine's scratch space for walks of a graph, reused
// across walks (queries keep walkers in a pool), so that a walk allocates
// nothing.
type walker struct {
	g      *Graph
	b      *builder // nil for queries
	vis    visitList
	cands  []node // the frontier: a max-heap, best at the root
	best   []node // the ef best seen: a min-heap, worst at the root
	nbrs   []int32
	ids    []int32
	scores []float32
	start  []node

	// for building
	hits    []Hit
	sel     []Hit
	relink  []Hit
	resel   []Hit
	selIDs  []int32
	selScrs []float32
}

func newWalker(g *Graph, b *builder) *walker {
	w := 2*g.M + 1
	return &walker{
		g: g, b: b,
		nbrs: make([]int32, 0, w), ids: make([]int32, 0, w), scores: make([]float32, w),
		selIDs: make([]int32, 0, w), selScrs: make([]float32, w),
	}
}

// neighbours returns node i's links on layer l; while building, a copy
// taken under the node's lock, since other threads rewrite lists.
func (w *walker) neighbours(i int32, l int) []int32 {
	ls := w.g.links(i, l)
	if w.b == nil {
		return ls[1 : 1+ls[0]]
	}
	mu := &w.b.locks[int(i)&(len(w.b.locks)-1)]
	mu.Lock()
	w.nbrs = append(w.nbrs[:0], ls[1:1+ls[0]]...)
	mu.Unlock()
	return w.nbrs
}

// layer leaves in w.best the ef nodes closest to p that a best-first walk
// of layer l from the nodes in start finds, in heap order. The visit list
// must have been reset.
func (w *walker) layer(p *probe, start []node, ef, l int) {
	sp := &w.g.sp
	marks, gen := w.vis.marks, w.vis.gen
	w.cands, w.best = w.cands[:0], w.best[:0]
	for _, e := range start {
		if marks[e.id] == gen {
			continue
		}
		marks[e.id] = gen
		w.cands = pushMax(w.cands, e)
		w.best = offerMin(w.best, e, ef)
	}
	for len(w.cands) > 0 {
		var c node
		c, w.cands = popMax(w.cands)
		if len(w.best) == ef && c.score < w.best[0].score {
			break
		}
		ids := w.ids[:0]
		for _, j := range w.neighbours(c.id, l) {
			if marks[j] != gen {
				marks[j] = gen
				ids = append(ids, j)
			}
		}
		scores := w.scores[:len(ids)]
		sp.scores(p, ids, scores)
		for i, s := range scores {
			if len(w.best) < ef || s > w.best[0].score {
				x := node{s, ids[i]}
				w.cands = pushMax(w.cands, x)
				w.best = offerMin(w.best, x, ef)
			}
		}
	}
}

// greedy walks layer l from e to a node none of whose neighbours is closer
// to p.
func (w *walker) greedy(p *probe, e node, l int) node {
	sp := &w.g.sp
	for changed := true; changed; {
		changed = false
		nbrs := w.neighbours(e.id, l)
		scores := w.scores[:len(nbrs)]
		sp.scores(p, nbrs, scores)
		for i, s := range scores {
			if s > e.score {
				e, changed = node{s, nbrs[i]}, true
			}
		}
	}
	return e
}

// pushMax adds x to the max-heap h.
func pushMax(h []node, x node) []node {
	h = append(h, x)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].score >= x.score {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
	return h
}

// popMax removes the root of the max-heap h.
func popMax(h []node) (node, []node) {
	top := h[0]
	last := len(h) - 1
	x := h[last]
	h = h[:last]
	i := 0
	for {
		c := 2*i + 1
		if c >= last {
			break
		}
		if c+1 < last && h[c+1].score > h[c].score {
			c++
		}
		if h[c].score <= x.score {
			break
		}
		h[i] = h[c]
		i = c
	}
	if last > 0 {
		h[i] = x
	}
	return top, h
}

// offerMin adds x to the min-heap h of at most k nodes, replacing the
// root if h is full (the caller has checked that x beats it).
func offerMin(h []node, x node, k int) []node {
	if len(h) < k {
		h = append(h, x)
		i := len(h) - 1
		for i > 0 {
			p := (i - 1) / 2
			if h[p].score <= x.score {
				break
			}
			h[i] = h[p]
			i = p
		}
		h[i] = x
		return h
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h[c+1].score < h[c].score {
			c++
		}
		if h[c].score >= x.score {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = x
	return h
}

// popMin removes the root of the min-heap h.
func popMin(h []node) (node, []node) {
	top := h[0]
	last := len(h) - 1
	x := h[last]
	h = h[:last]
	i := 0
	for {
		c := 2*i + 1
		if c >= last {
			break
		}
		if c+1 < last && h[c+1].score < h[c].score {
			c++
		}
		if h[c].score >= x.score {
			break
		}
		h[i] = h[c]
		i = c
	}
	if last > 0 {
		h[i] = x
	}
	return top, h
}

// builder is the shared state of a graph's construction.
type builder struct {
	g     *Graph
	opts  GraphOptions
	locks []sync.Mutex // striped per-node locks on link lists

	mu    sync.RWMutex // guards entry and top
	entry int32
	top   int
}

func (b *builder) newWorker() *walker { return newWalker(b.g, b) }

// insert links node i into the graph.
func (w *walker) insert(i int32) {
	b, g := w.b, w.g
	level := int(g.Levels[i])
	b.mu.RLock()
	entry, top := b.entry, b.top
	b.mu.RUnlock()
	if level > top {
		// A node that raises the top layer becomes the entry: hold the
		// lock until it is linked, so no search starts from it half-made.
		b.mu.Lock()
		defer b.mu.Unlock()
		entry, top = b.entry, b.top
	}
	p := g.sp.rowProbe(i)
	e := node{g.sp.score(&p, entry), entry}
	for l := top; l > level; l-- {
		e = w.greedy(&p, e, l)
	}
	w.start = append(w.start[:0], e)
	for l := min(level, top); l >= 0; l-- {
		w.vis.reset(g.Len())
		w.layer(&p, w.start, b.opts.EfConstruction, l)
		// Another thread may already have linked a node to i on this
		// layer (it found i on the layer above), so the walk can reach i.
		w.hits = w.hits[:0]
		for _, x := range w.best {
			if x.id != i {
				w.hits = append(w.hits, Hit{int(x.id), x.score})
			}
		}
		sortHits(w.hits)
		m := g.M
		if l == 0 {
			m = 2 * g.M
		}
		chosen := w.choose(i, w.hits, g.M)
		mu := &b.locks[int(i)&(len(b.locks)-1)]
		mu.Lock()
		ls := g.links(i, l)
		ls[0] = int32(len(chosen))
		for j, h := range chosen {
			ls[1+j] = int32(h.Row)
		}
		mu.Unlock()
		for _, h := range chosen {
			w.link(int32(h.Row), i, h.Score, l, m)
		}
		if len(w.hits) > 0 {
			w.start = w.start[:0]
			for _, h := range w.hits {
				w.start = append(w.start, node{h.Score, int32(h.Row)})
			}
		}
	}
	if level > top {
		b.entry, b.top = i, level
	}
}

// choose picks at most m links for base from cands (best first).
func (w *walker) choose(base int32, cands []Hit, m int) []Hit {
	if f := w.b.opts.selectLinks; f != nil {
		return f(w.g, base, cands, m)
	}
	w.sel = w.diverse(cands, m, w.sel[:0])
	return w.sel
}

// diverse is the paper's neighbour-selection heuristic: a candidate is
// kept only if it is closer to the base than to every candidate kept
// before it, so links point in different directions and clusters stay
// connected to each other. cands are best first; out is appended to.
func (w *walker) diverse(cands []Hit, m int, out []Hit) []Hit {
	sp := &w.g.sp
	kept := w.selIDs[:0]
	for _, c := range cands {
		if len(out) == m {
			break
		}
		p := sp.rowProbe(int32(c.Row))
		scores := w.selScrs[:len(kept)]
		sp.scores(&p, kept, scores)
		ok := true
		for _, s := range scores {
			if s > c.Score {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c)
			kept = append(kept, int32(c.Row))
		}
	}
	w.selIDs = kept
	return out
}

// link adds a link from nd to newNode (sc is their closeness) on layer l,
// whose lists hold m links; a full list is chosen again by the heuristic.
func (w *walker) link(nd, newNode int32, sc float32, l, m int) {
	b, g := w.b, w.g
	mu := &b.locks[int(nd)&(len(b.locks)-1)]
	mu.Lock()
	defer mu.Unlock()
	ls := g.links(nd, l)
	cnt := int(ls[0])
	old := ls[1 : 1+cnt]
	if slices.Contains(old, newNode) {
		return
	}
	if cnt < m {
		ls[1+cnt] = newNode
		ls[0]++
		return
	}
	p := g.sp.rowProbe(nd)
	scores := w.scores[:cnt]
	g.sp.scores(&p, old, scores)
	w.relink = append(w.relink[:0], Hit{int(newNode), sc})
	for j, nb := range old {
		w.relink = append(w.relink, Hit{int(nb), scores[j]})
	}
	sortHits(w.relink)
	var chosen []Hit
	if f := b.opts.selectLinks; f != nil {
		chosen = f(g, nd, w.relink, m)
	} else {
		w.resel = w.diverse(w.relink, m, w.resel[:0])
		chosen = w.resel
	}
	ls[0] = int32(len(chosen))
	for j, h := range chosen {
		ls[1+j] = int32(h.Row)
	}
}

// sortHits orders hits best first, ties to the earlier row.
func sortHits(h []Hit) {
	slices.SortFunc(h, func(a, b Hit) int {
		switch {
		case worse(b, a):
			return -1
		case worse(a, b):
			return 1
		}
		return 0
	})
}

// Search returns the k rows closest to the query vector q by the graph's
// metric, best first, found by a walk that keeps the ef best rows seen (ef
// is raised to k; 0 means SearchEf's); rows in skip
// are not returned. For Cosine q must have unit length. Scores are as
// Searcher's. The answer is approximate: a true neighbour may be missed.
func (g *Graph) Search(q []float32, k, ef int, skip []int) ([]Hit, error) {
	if len(q) != g.sp.dim {
		return nil, fmt.Errorf("search: query of %d dimensions for a graph of %d", len(q), g.sp.dim)
	}
	if k < 1 {
		return nil, errors.New("search: k must be at least 1")
	}
	if ef <= 0 {
		ef = g.SearchEf()
	}
	ef = max(ef, k+len(skip))
	w, _ := g.scratch.Get().(*walker)
	if w == nil {
		w = newWalker(g, nil)
	}
	defer g.scratch.Put(w)
	p := g.sp.queryProbe(q)
	e := node{g.sp.score(&p, g.Entry), g.Entry}
	for l := int(g.Levels[g.Entry]); l > 0; l-- {
		e = w.greedy(&p, e, l)
	}
	w.vis.reset(g.Len())
	w.start = append(w.start[:0], e)
	w.layer(&p, w.start, ef, 0)

	// Drop the worst until k+len(skip) are left, then take the rest worst
	// first, filling the answer from its end.
	best := w.best
	for len(best) > k+len(skip) {
		_, best = popMin(best)
	}
	hits := make([]Hit, len(best))
	for i := len(hits) - 1; i >= 0; i-- {
		var x node
		x, best = popMin(best)
		hits[i] = Hit{int(x.id), x.score}
	}
	hits = slices.DeleteFunc(hits, func(h Hit) bool { return slices.Contains(skip, h.Row) })
	// Equal scores come out of the heap in any order; the exact search
	// puts the earlier row first, and so does this.
	sortHits(hits)
	hits = hits[:min(k, len(hits))]
	if g.Metric == Euclidean {
		for i := range hits {
			hits[i].Score = -float32(math.Sqrt(max(0, -float64(hits[i].Score))))
		}
	}
	return hits, nil
}
