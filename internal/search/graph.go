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
	scratch sync.Pool // *queryScratch, reused across queries
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

// Defaults of GraphOptions, and the search breadth that gives recall@10
// above 0.95 on word vectors by cosine or Euclidean distance (see
// TestGraphRecall). Inner-product search needs a wider walk: the extra
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

// pair is how close rows a and b are: higher is closer, and the order of
// pair scores is the order of distances in the graph's space.
func (s *space) pair(a, b int32) float32 {
	c := simd.Dot(s.row(a), s.row(b))
	switch s.metric {
	case Dot:
		return s.norms[a]*s.norms[b]*c + s.extra[a]*s.extra[b]
	case Euclidean:
		na, nb := s.norms[a], s.norms[b]
		return 2*na*nb*c - na*na - nb*nb
	}
	return c
}

// query is how close row b is to the query q, with qq = ‖q‖².
func (s *space) query(q []float32, qq float32, b int32) float32 {
	c := simd.Dot(q, s.row(b))
	switch s.metric {
	case Dot:
		return c * s.norms[b]
	case Euclidean:
		n := s.norms[b]
		return 2*c*n - n*n - qq
	}
	return c
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

// visitList marks the nodes a search has seen: a node is seen when its
// mark equals the current generation, so a list is cleared by bumping the
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

// queryScratch is what a query needs besides its answer: kept in a pool,
// so that queries allocate little and a visit list is cleared by a
// generation bump, not by writing one mark per row.
type queryScratch struct {
	s   searcher
	vis visitList
}

// searcher holds one goroutine's scratch space for searches of a layer.
type searcher struct {
	g     *Graph
	cands maxHeap
	best  topK
	nbrs  []int32
}

// layer returns the ef nodes closest to the query (score gives a node's
// closeness) that a best-first walk of layer l from the entries finds, in
// no order.
func (s *searcher) layer(entries []Hit, ef, l int, vis *visitList, score func(int32) float32, locks []sync.Mutex) []Hit {
	g := s.g
	s.cands = s.cands[:0]
	s.best = topK{k: ef, h: s.best.h[:0]}
	for _, e := range entries {
		if vis.marks[e.Row] == vis.gen {
			continue
		}
		vis.marks[e.Row] = vis.gen
		s.cands.push(e)
		s.best.offer(e)
	}
	for len(s.cands) > 0 {
		c := s.cands.pop()
		if len(s.best.h) == ef && c.Score < s.best.threshold() {
			break
		}
		node := int32(c.Row)
		s.nbrs = s.nbrs[:0]
		if locks != nil {
			mu := &locks[int(node)&(len(locks)-1)]
			mu.Lock()
			ls := g.links(node, l)
			s.nbrs = append(s.nbrs, ls[1:1+ls[0]]...)
			mu.Unlock()
		} else {
			ls := g.links(node, l)
			s.nbrs = append(s.nbrs, ls[1:1+ls[0]]...)
		}
		// Fetching the next neighbour's row while scoring this one hides
		// part of the memory latency that dominates a graph walk.
		for j, nb := range s.nbrs {
			if j+1 < len(s.nbrs) {
				simd.Prefetch(g.sp.row(s.nbrs[j+1]))
			}
			if vis.marks[nb] == vis.gen {
				continue
			}
			vis.marks[nb] = vis.gen
			sc := score(nb)
			if len(s.best.h) < ef || sc > s.best.threshold() {
				h := Hit{int(nb), sc}
				s.cands.push(h)
				s.best.offer(h)
			}
		}
	}
	return s.best.h
}

// greedy walks layer l from entry to a local best of score.
func (s *searcher) greedy(entry Hit, l int, score func(int32) float32, locks []sync.Mutex) Hit {
	g := s.g
	for changed := true; changed; {
		changed = false
		s.nbrs = s.nbrs[:0]
		if locks != nil {
			mu := &locks[entry.Row&(len(locks)-1)]
			mu.Lock()
			ls := g.links(int32(entry.Row), l)
			s.nbrs = append(s.nbrs, ls[1:1+ls[0]]...)
			mu.Unlock()
		} else {
			ls := g.links(int32(entry.Row), l)
			s.nbrs = append(s.nbrs, ls[1:1+ls[0]]...)
		}
		for _, nb := range s.nbrs {
			if sc := score(nb); sc > entry.Score {
				entry, changed = Hit{int(nb), sc}, true
			}
		}
	}
	return entry
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

type buildWorker struct {
	b   *builder
	s   searcher
	vis visitList
	sel []Hit
}

func (b *builder) newWorker() *buildWorker {
	return &buildWorker{b: b, s: searcher{g: b.g}}
}

// insert links node i into the graph.
func (w *buildWorker) insert(i int32) {
	b, g := w.b, w.b.g
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
	score := func(j int32) float32 { return g.sp.pair(i, j) }
	ep := Hit{int(entry), score(entry)}
	for l := top; l > level; l-- {
		ep = w.s.greedy(ep, l, score, b.locks)
	}
	entries := []Hit{ep}
	for l := min(level, top); l >= 0; l-- {
		w.vis.reset(g.Len())
		found := w.s.layer(entries, b.opts.EfConstruction, l, &w.vis, score, b.locks)
		// Another thread may already have linked a node to i on this
		// layer (it found i on the layer above), so the walk can reach i.
		cands := slices.DeleteFunc(slices.Clone(found), func(h Hit) bool { return h.Row == int(i) })
		sortHits(cands)
		m := g.M
		if l == 0 {
			m = 2 * g.M
		}
		chosen := w.choose(i, cands, g.M)
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
		if len(cands) > 0 {
			entries = cands
		}
	}
	if level > top {
		b.entry, b.top = i, level
	}
}

// choose picks at most m links for base from cands (best first).
func (w *buildWorker) choose(base int32, cands []Hit, m int) []Hit {
	if f := w.b.opts.selectLinks; f != nil {
		return f(w.b.g, base, cands, m)
	}
	w.sel = diverse(w.b.g, cands, m, w.sel[:0])
	return w.sel
}

// diverse is the paper's neighbour-selection heuristic: a candidate is
// kept only if it is closer to the base than to every candidate kept
// before it, so links point in different directions and clusters stay
// connected to each other. cands are best first; out is appended to.
func diverse(g *Graph, cands []Hit, m int, out []Hit) []Hit {
	for _, c := range cands {
		if len(out) == m {
			break
		}
		ok := true
		for _, r := range out {
			if g.sp.pair(int32(c.Row), int32(r.Row)) > c.Score {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// link adds a link from node to newNode (sc is their closeness) on layer l,
// whose lists hold m links; a full list is chosen again by the heuristic.
func (w *buildWorker) link(node, newNode int32, sc float32, l, m int) {
	b, g := w.b, w.b.g
	mu := &b.locks[int(node)&(len(b.locks)-1)]
	mu.Lock()
	defer mu.Unlock()
	ls := g.links(node, l)
	cnt := int(ls[0])
	if slices.Contains(ls[1:1+cnt], newNode) {
		return
	}
	if cnt < m {
		ls[1+cnt] = newNode
		ls[0]++
		return
	}
	cands := make([]Hit, 0, cnt+1)
	cands = append(cands, Hit{int(newNode), sc})
	for _, nb := range ls[1 : 1+cnt] {
		cands = append(cands, Hit{int(nb), g.sp.pair(node, nb)})
	}
	sortHits(cands)
	var chosen []Hit
	if f := b.opts.selectLinks; f != nil {
		chosen = f(g, node, cands, m)
	} else {
		chosen = diverse(g, cands, m, nil)
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
// is raised to k; 0 means DefaultEf, 4 × DefaultEf for Dot); rows in skip are not returned. For
// Cosine q must have unit length. Scores are as Searcher's. The answer is
// approximate: a true neighbour may be missed.
func (g *Graph) Search(q []float32, k, ef int, skip []int) ([]Hit, error) {
	if len(q) != g.sp.dim {
		return nil, fmt.Errorf("search: query of %d dimensions for a graph of %d", len(q), g.sp.dim)
	}
	if k < 1 {
		return nil, errors.New("search: k must be at least 1")
	}
	if ef <= 0 {
		ef = DefaultEf
		if g.Metric == Dot {
			ef *= 4
		}
	}
	ef = max(ef, k+len(skip))
	qq := simd.Dot(q, q)
	score := func(j int32) float32 { return g.sp.query(q, qq, j) }
	sc, _ := g.scratch.Get().(*queryScratch)
	if sc == nil {
		sc = &queryScratch{s: searcher{g: g}}
	}
	defer g.scratch.Put(sc)
	ep := Hit{int(g.Entry), score(g.Entry)}
	for l := int(g.Levels[g.Entry]); l > 0; l-- {
		ep = sc.s.greedy(ep, l, score, nil)
	}
	sc.vis.reset(g.Len())
	found := sc.s.layer([]Hit{ep}, ef, 0, &sc.vis, score, nil)
	hits := slices.DeleteFunc(slices.Clone(found), func(h Hit) bool { return slices.Contains(skip, h.Row) })
	sortHits(hits)
	hits = hits[:min(k, len(hits))]
	if g.Metric == Euclidean {
		for i := range hits {
			hits[i].Score = -float32(math.Sqrt(max(0, -float64(hits[i].Score))))
		}
	}
	return hits, nil
}

// maxHeap is a graph walk's frontier: the best candidate at the root.
type maxHeap []Hit

func (h *maxHeap) push(x Hit) {
	*h = append(*h, x)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !worse(s[p], s[i]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *maxHeap) pop() Hit {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(s) && worse(s[m], s[l]) {
			m = l
		}
		if r < len(s) && worse(s[m], s[r]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
