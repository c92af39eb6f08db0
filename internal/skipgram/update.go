package skipgram

import "github.com/w2vtool/w2v/internal/simd"

// The methods in this file are the only code that writes the model's
// matrices during training. They run concurrently in several workers without
// locks: see "Hogwild" in the package documentation.

// pairUpdate trains the input vector of word in against the output rows in
// w.rows (labels in w.labels): one SGD step on the logistic loss of each
// (in, row) pair, as word2vec does for each (context, centre) pair.
func (w *worker) pairUpdate(in int32) {
	m := w.t.model
	d := m.Dim
	x := m.In[int(in)*d : int(in)*d+d]
	rows := w.rows
	n := len(rows)
	scores, coef := w.scores[:n], w.coef[:n]
	simd.DotRows(scores, x, m.Out, rows)
	w.gradients(coef, scores, w.labels[:n])
	grad := w.grad[:d]
	clear(grad)
	// The input's gradient uses the output rows before they move.
	simd.AxpyRows(grad, coef, m.Out, rows)
	simd.ScatterAxpy(m.Out, coef, x, rows)
	simd.Axpy(1, grad, x)
}

// windowUpdate trains the input vectors of all context words ctx against the
// same output rows w.rows: with B context words and T rows, the scores are
// the B×T product of the two blocks, and both updates are small matrix
// products too, so each row is loaded once per window instead of once per
// pair.
func (w *worker) windowUpdate(ctx []int32) {
	m := w.t.model
	d := m.Dim
	rows := w.rows
	b, n := len(ctx), len(rows)
	scores := w.scores[:b*n] // row-major B×T
	coef := w.coef[:b*n]     // transposed: T×B, so each output row's coefficients are contiguous
	for i, c := range ctx {
		s := scores[i*n : (i+1)*n]
		simd.DotRows(s, m.In[int(c)*d:int(c)*d+d], m.Out, rows)
		w.gradients(s, s, w.labels[:n]) // scores become coefficients in place
		for j, g := range s {
			coef[j*b+i] = g
		}
	}
	grad := w.grad[:b*d]
	clear(grad)
	for i := range ctx {
		simd.AxpyRows(grad[i*d:(i+1)*d], scores[i*n:(i+1)*n], m.Out, rows)
	}
	for j, r := range rows {
		simd.AxpyRows(m.Out[int(r)*d:int(r)*d+d], coef[j*b:(j+1)*b], m.In, ctx)
	}
	for i, c := range ctx {
		simd.Axpy(1, grad[i*d:(i+1)*d], m.In[int(c)*d:int(c)*d+d])
	}
}

// gradients sets coef[i] = (labels[i] − σ(scores[i]))·α, the step each
// output row takes along the input (and the input along the row). coef may
// alias scores.
func (w *worker) gradients(coef, scores, labels []float32) {
	sig, alpha := w.t.sigmoid, w.alpha
	for i, f := range scores {
		coef[i] = (labels[i] - sig.at(f)) * alpha
	}
}
