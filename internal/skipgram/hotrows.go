package skipgram

import (
	"sync"

	"github.com/w2vtool/w2v/internal/simd"
)

// hotNodes is how many hierarchical-softmax tree nodes nearest the root a
// worker trains on its own copy when several workers train. With 2 workers
// (2M words, 3 epochs, dim 100, on this project's 2-core VM), copies of 15,
// 63 and 255 nodes took CBOW from 3.5 s without copies to 2.5, 2.5 and
// 2.3 s, and skip-gram from 5.4 s (with copies of only each window's first
// four path rows) to 4.7, 4.0 and 3.7-4.2 s; 1023 were no faster than 255.
const hotNodes = 255

// hotRows is a worker's private copy of a block of rows of a shared matrix
// that every worker writes all the time: the top of the hierarchical-softmax
// tree, where every path starts. Hogwild is cheap only while workers rarely
// write the same row; written in place, these rows' cache lines moved
// between cores on nearly every update, and two workers could train slower
// than one. So each worker trains its copy and, at every publish
// (every syncWords words, and before it pauses), adds what it changed to
// the shared rows and takes the other workers' changes: a worker sees its
// own updates at once, as in word2vec, and the others' up to syncWords
// words late. One worker trains in place.
//
// Unlike the Hogwild updates, the exchange is exact: it holds a lock shared
// by all workers' copies, since two workers adding their changes to the
// shared rows at once could each overwrite the other's whole exchange. It
// runs once every syncWords words, so the lock costs nothing measurable.
type hotRows struct {
	lo, n int32       // the block is rows lo..lo+n-1 of the shared matrix
	dim   int         // row length
	rows  []float32   // the copy the worker trains
	orig  []float32   // the shared rows when last pulled
	mu    sync.Locker // guards the shared rows during exchanges
}

// newHotRows returns a copy of rows lo..lo+n-1 whose exchanges hold mu.
func newHotRows(lo, n int32, dim int, mu sync.Locker) *hotRows {
	size := int(n) * dim
	return &hotRows{lo: lo, n: n, dim: dim, rows: make([]float32, size), orig: make([]float32, size), mu: mu}
}

// shared returns the block's rows in the shared matrix m.
func (h *hotRows) shared(m []float32) []float32 {
	return m[int(h.lo)*h.dim : int(h.lo+h.n)*h.dim]
}

// has reports whether row r of the shared matrix is in the block.
func (h *hotRows) has(r int32) bool { return uint32(r-h.lo) < uint32(h.n) }

// pull copies the shared rows into the block.
func (h *hotRows) pull(m []float32) {
	h.mu.Lock()
	defer h.mu.Unlock()
	copy(h.rows, h.shared(m))
	copy(h.orig, h.rows)
}

// push adds what the worker changed since the last pull to the shared rows,
// which other workers may have changed meanwhile. The block must be pulled
// again before it is trained or pushed.
func (h *hotRows) push(m []float32) {
	simd.Axpy(-1, h.orig, h.rows)
	h.mu.Lock()
	defer h.mu.Unlock()
	simd.Axpy(1, h.rows, h.shared(m))
}

// copyHotNodes gives the worker its copy of the n tree nodes nearest the
// root. The tree's inner nodes are numbered in the order they were merged,
// so these are the last n, and since a parent is merged after its children,
// they are the first nodes of every path that reaches them.
func (w *worker) copyHotNodes(n int) {
	m := w.t.model
	if m.OutHS == nil {
		return
	}
	inner := int32(m.Words - 1)
	k := min(int32(n), inner)
	w.hotHS = newHotRows(inner-k, k, m.Dim, &w.t.hotMu)
}

// pullHot and pushHot pull and push the worker's hot rows, if it has any.
func (w *worker) pullHot() {
	if w.hotHS != nil {
		w.hotHS.pull(w.t.model.OutHS)
	}
}

func (w *worker) pushHot() {
	if w.hotHS != nil {
		w.hotHS.push(w.t.model.OutHS)
	}
}

// output is outputStep over the tree's rows out (saturated nodes get no
// step), with the rows in hot (if not nil) trained on the worker's copies.
// The hot rows must come first in rows, as the nodes nearest the root do in
// every path.
func (w *worker) output(x, grad, out []float32, hot *hotRows, rows []int32, labels []float32) {
	if hot != nil {
		local := w.hotIndex[:0]
		for _, r := range rows {
			if !hot.has(r) {
				break
			}
			local = append(local, r-hot.lo)
		}
		w.hotIndex = local
		h := len(local)
		w.outputStep(x, grad, hot.rows, local, labels[:h], true)
		rows, labels = rows[h:], labels[h:]
	}
	w.outputStep(x, grad, out, rows, labels, true)
}
