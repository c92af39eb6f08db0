package skipgram

import "github.com/w2vtool/w2v/internal/simd"

// The methods in this file are the only code that writes the model's
// matrices during training. They run concurrently in several workers without
// locks: see "Hogwild" in the package documentation.

// trainSentence walks every position of sen with a window whose reach is
// drawn uniformly from 1..Window, as word2vec does, so nearer words are
// trained on more often.
func (w *worker) trainSentence(sen []int32) {
	if w.t.model.Sub != nil {
		w.trainSentenceSubwords(sen)
		return
	}
	cfg := &w.t.cfg
	window := cfg.Window
	in, d := w.t.model.In, w.t.model.Dim
	for pos, center := range sen {
		// The word that may enter the window next is most likely not in
		// cache yet: ask for its input row a few positions early.
		if p := pos + window + 1; p < len(sen) {
			simd.Prefetch(in[int(sen[p])*d : int(sen[p])*d+d])
		}
		reach := window - w.rng.Intn(window)
		lo, hi := max(0, pos-reach), min(len(sen), pos+reach+1)
		switch {
		case cfg.Arch == CBOW:
			w.cbow(sen[lo:pos], sen[pos+1:hi], center)
		case cfg.SharedNegatives || cfg.Loss == Softmax:
			ctx := append(append(w.context[:0], sen[lo:pos]...), sen[pos+1:hi]...)
			w.context = ctx
			w.skipGramWindow(ctx, center)
		default:
			for c := lo; c < hi; c++ {
				if c != pos {
					w.skipGramPair(sen[c], center)
				}
			}
		}
	}
}

// skipGramPair trains the input vector of ctx to predict center: one SGD
// step on each output unit (the centre's hierarchical-softmax path and/or
// the centre against Negative sampled words), as word2vec does per pair.
func (w *worker) skipGramPair(ctx, center int32) {
	m := w.t.model
	d := m.Dim
	x := m.In[int(ctx)*d : int(ctx)*d+d]
	grad := w.grad[:d]
	w.predict(x, grad, center)
	simd.Axpy(1, grad, x)
	w.lossN++
}

// predict trains the input x to predict center on each output layer the
// model has (the centre's hierarchical-softmax path, negative sampling),
// and sets grad to the gradient for x.
func (w *worker) predict(x, grad []float32, center int32) {
	m := w.t.model
	clear(grad)
	if m.OutHS != nil {
		nodes, labels := w.t.tree.path(center)
		w.output(x, grad, m.OutHS, w.hotHS, nodes, labels)
	}
	if m.Out != nil {
		w.drawTargets(center)
		w.outputStep(x, grad, m.Out, w.rows, w.labels[:len(w.rows)], false)
	}
}

// cbow trains the mean of the context vectors (left and right of the
// centre) to predict center, then adds the input gradient to every context
// vector in full, as word2vec and gensim's cbow_mean=1 do.
func (w *worker) cbow(left, right []int32, center int32) {
	n := len(left) + len(right)
	if n == 0 {
		return
	}
	m := w.t.model
	d := m.Dim
	h := w.hidden[:d]
	clear(h)
	for _, c := range left {
		simd.Axpy(1, m.In[int(c)*d:int(c)*d+d], h)
	}
	for _, c := range right {
		simd.Axpy(1, m.In[int(c)*d:int(c)*d+d], h)
	}
	simd.Scale(1/float32(n), h)
	grad := w.grad[:d]
	w.predict(h, grad, center)
	w.lossN++
	for _, c := range left {
		simd.Axpy(1, grad, m.In[int(c)*d:int(c)*d+d])
	}
	for _, c := range right {
		simd.Axpy(1, grad, m.In[int(c)*d:int(c)*d+d])
	}
}

// outputStep scores the input x against the output rows of out, steps each
// row along x by its gradient coefficient (labels[i] − σ(score))·α, and adds
// the input's gradient to grad. skip says whether saturated scores get no
// step (hierarchical softmax) or a clamped one (negative sampling); see
// gradients. The input's gradient takes each row as it
// was before its own step, as in word2vec; a row named twice (a negative
// drawn twice) enters the second time as its first step left it.
func (w *worker) outputStep(x, grad, out []float32, rows []int32, labels []float32, skip bool) {
	n := len(rows)
	scores := w.scores[:n]
	simd.DotRows(scores, x, out, rows)
	w.gradients(scores, scores, labels, skip)
	simd.AxpyRowsScatter(grad, scores, out, x, rows)
}

// skipGramWindow trains the input vectors of all context words ctx against
// the same output units: with B context words and T units, the scores are
// the B×T product of the two blocks, and both updates are small matrix
// products too, so each row is loaded once per window instead of once per
// pair. Negative sampling draws one set of negatives for the window.
func (w *worker) skipGramWindow(ctx []int32, center int32) {
	if len(ctx) == 0 {
		return
	}
	m := w.t.model
	d := m.Dim
	grad := w.grad[:len(ctx)*d]
	clear(grad)
	if m.OutHS != nil {
		nodes, labels := w.t.tree.path(center)
		w.windowStep(ctx, grad, m.OutHS, nodes, labels, true)
	}
	if m.Out != nil {
		w.drawTargets(center)
		w.windowStep(ctx, grad, m.Out, w.rows, w.labels[:len(w.rows)], false)
	}
	for i, c := range ctx {
		simd.Axpy(1, grad[i*d:(i+1)*d], m.In[int(c)*d:int(c)*d+d])
	}
	w.lossN += int64(len(ctx))
}

// windowStep is outputStep for a block of inputs (the rows of m.In named by
// ctx), adding each input's gradient to its row of grad.
func (w *worker) windowStep(ctx []int32, grad, out []float32, rows []int32, labels []float32, skip bool) {
	m := w.t.model
	d := m.Dim
	b, n := len(ctx), len(rows)
	coef := w.scores[:b*n] // row-major B×T
	coefT := w.coefT[:b*n] // transposed: T×B, so each output row's coefficients are contiguous
	for i, c := range ctx {
		s := coef[i*n : (i+1)*n]
		simd.DotRows(s, m.In[int(c)*d:int(c)*d+d], out, rows)
		if w.t.cfg.Loss == Softmax && !skip {
			w.softmaxGradients(s)
		} else {
			w.gradients(s, s, labels, skip)
		}
		for j, g := range s {
			coefT[j*b+i] = g
		}
	}
	for i := range ctx {
		simd.AxpyRows(grad[i*d:(i+1)*d], coef[i*n:(i+1)*n], out, rows)
	}
	for j, r := range rows {
		simd.AxpyRows(out[int(r)*d:int(r)*d+d], coefT[j*b:(j+1)*b], m.In, ctx)
	}
}

// gradients sets coef[i] = (labels[i] − σ(scores[i]))·α, the step each
// output row takes along the input (and the input along the row). coef may
// alias scores. A score at or beyond ±maxExp is saturated: with skip (as
// hierarchical softmax has it) it gets no step; otherwise σ is taken as 0
// or 1 (negative sampling). A score that is NaN or infinite means training
// has diverged: it gets no step, and the worker notes it so that training
// stops.
//
// It also adds the units' loss (see softplusTable.unitLoss) to the worker's
// tally, unless the trainer skips the loss.
func (w *worker) gradients(coef, scores, labels []float32, skip bool) {
	sig, sp, alpha := w.t.sigmoid, w.t.softplus, w.alpha
	tally := !w.t.skipLoss
	loss := 0.0
	for i, f := range scores {
		// The loss is softplus(f) for label 0 and softplus(−f) for label 1
		// (see softplusTable.unitLoss), inlined here where the range of f
		// is known.
		switch {
		case f > -maxExp && f < maxExp:
			coef[i] = (labels[i] - sig.at(f)) * alpha
			if tally {
				if labels[i] != 0 {
					f = -f
				}
				loss += sp.at(f)
			}
		case f-f != 0: // NaN or ±Inf
			coef[i] = 0
			w.diverged = true
		default:
			if tally {
				if (f > 0) == (labels[i] != 0) {
					loss += sp.min
				} else {
					loss += sp.max
				}
			}
			switch {
			case skip:
				coef[i] = 0
			case f > 0:
				coef[i] = (labels[i] - 1) * alpha
			default:
				coef[i] = labels[i] * alpha
			}
		}
	}
	w.loss += loss
}

// drawTargets fills w.rows with the centre word followed by Negative words
// drawn from the unigram distribution. A draw of the centre word itself is
// skipped, as word2vec does, or drawn again up to w.t.redraws times, as
// fastText does (see fastTextSchedule); the bound keeps a one-word
// vocabulary from drawing forever.
func (w *worker) drawTargets(center int32) {
	rows := append(w.rows[:0], center)
	for k := 0; k < w.t.cfg.Negative; k++ {
		n := w.nextNegative()
		for try := 0; n == center && try < w.t.redraws; try++ {
			n = w.nextNegative()
		}
		if n != center {
			rows = append(rows, n)
		}
	}
	w.rows = rows
}

// negLookahead is how many draws ahead of its use a negative sample is
// drawn. Its output row is prefetched when drawn, so by the time it is
// scored (about three skip-gram pairs later) it has arrived from memory:
// without this, waiting for those rows took half the training time.
const negLookahead = 16

// nextNegative returns the negative sample drawn negLookahead draws ago and
// draws, and prefetches, its replacement.
func (w *worker) nextNegative() int32 {
	id := w.negRing[w.negPos]
	n := w.t.neg.Sample(&w.rng)
	w.negRing[w.negPos] = n
	w.negPos = (w.negPos + 1) % negLookahead
	d := w.t.model.Dim
	simd.Prefetch(w.t.model.Out[int(n)*d : int(n)*d+d])
	return id
}

// fillNegatives draws the first negLookahead negative samples.
func (w *worker) fillNegatives() {
	for i := range w.negRing {
		w.negRing[i] = w.t.neg.Sample(&w.rng)
	}
	w.negPos = 0
}
