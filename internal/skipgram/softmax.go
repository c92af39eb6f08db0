package skipgram

import (
	"fmt"
	"math"
)

// LossKind is the objective the output layer trains.
type LossKind int

const (
	// Logistic trains K+1 independent logistic units per prediction, the
	// word and K negative samples (word2vec's negative sampling), or the
	// nodes of the word's tree path (hierarchical softmax).
	Logistic LossKind = iota
	// Softmax trains the word against the window's shared negative
	// samples with a sampled softmax (the InfoNCE loss): the negative log
	// of the word's share of exp(score/Temperature) among the K+1.
	Softmax
)

func (k LossKind) String() string {
	if k == Softmax {
		return "softmax"
	}
	return "logistic"
}

// ParseLoss parses "logistic" (also "ns", "negative-sampling") or
// "softmax" (also "infonce").
func ParseLoss(s string) (LossKind, error) {
	switch s {
	case "logistic", "ns", "negative-sampling":
		return Logistic, nil
	case "softmax", "infonce":
		return Softmax, nil
	}
	return 0, fmt.Errorf("unknown loss %q (want logistic or softmax)", s)
}

// softmaxGradients turns the scores of one context word against the K+1
// output rows (the centre word first, then the window's negatives) into the
// SGD coefficients of the sampled-softmax loss, in place, and adds the loss
// to the worker's tally.
//
// With input u, rows v_0 (the word) … v_K, temperature τ and s_j = u·v_j/τ,
// the loss is
//
//	L = −log p_0,  p_j = exp(s_j) / Σ_k exp(s_k),
//	  = −s_0 + log Σ_k exp(s_k).
//
// Since ∂L/∂s_j = p_j − y_j (y_0 = 1, the other y_j = 0), ∂s_j/∂u = v_j/τ
// and ∂s_j/∂v_j = u/τ:
//
//	∂L/∂u   = Σ_j (p_j − y_j)·v_j/τ
//	∂L/∂v_j = (p_j − y_j)·u/τ
//
// A step of size α along −∇L is therefore u += Σ_j c_j·v_j and v_j += c_j·u
// with c_j = α·(y_j − p_j)/τ, the form every output layer here takes (with
// the logistic loss c_j = α·(y_j − σ(u·v_j))), so the same kernels apply
// it. A row drawn twice is two terms of the sum, as sampled softmax has it.
// Unlike the logistic units, nothing saturates: the largest score is
// subtracted before exponentiating, so any finite scores give finite
// coefficients. A NaN or infinite score means training has diverged: the
// coefficients are zero and the worker notes it.
func (w *worker) softmaxGradients(scores []float32) {
	invT := 1 / w.t.cfg.Temperature
	top := math.Inf(-1)
	for _, f := range scores {
		if f-f != 0 {
			clear(scores)
			w.diverged = true
			return
		}
		top = max(top, float64(f)*invT)
	}
	var z float64
	for _, f := range scores {
		z += math.Exp(float64(f)*invT - top)
	}
	logZ := math.Log(z)
	w.loss += logZ - (float64(scores[0])*invT - top)
	step := float64(w.alpha) * invT
	for j, f := range scores {
		p := math.Exp(float64(f)*invT - top - logZ)
		y := 0.0
		if j == 0 {
			y = 1
		}
		scores[j] = float32((y - p) * step)
	}
}
