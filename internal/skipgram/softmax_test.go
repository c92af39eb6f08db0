package skipgram

import (
	"math"
	"math/rand/v2"
	"testing"
)

// softmaxLoss is the sampled-softmax loss of input u against rows vs (the
// word first) at temperature tau, in float64.
func softmaxLoss(u []float64, vs [][]float64, tau float64) float64 {
	s := make([]float64, len(vs))
	top := math.Inf(-1)
	for j, v := range vs {
		s[j] = dot(u, v) / tau
		top = max(top, s[j])
	}
	var z float64
	for _, x := range s {
		z += math.Exp(x - top)
	}
	return math.Log(z) + top - s[0]
}

// TestSoftmaxGradientMatchesFiniteDifferences takes one softmax step with
// α = 1 on a context word and checks the input's gradient and each row's
// step against central differences of the loss, and the tallied loss
// against the loss itself.
func TestSoftmaxGradientMatchesFiniteDifferences(t *testing.T) {
	for _, tau := range []float64{1, 0.3, 2} {
		const d, words = 8, 6
		w := newTestWorker(t, []int64{6, 5, 4, 3, 2, 1}, d)
		w.t.cfg.Loss, w.t.cfg.Temperature = Softmax, tau
		w.alpha = 1
		m := w.t.model
		r := rand.New(rand.NewPCG(1, uint64(tau*10)))
		for i := range m.In {
			m.In[i] = float32(r.NormFloat64())
		}
		for i := range m.Out {
			m.Out[i] = float32(r.NormFloat64())
		}
		ctx := []int32{4}
		rows := []int32{2, 0, 5, 1} // the word, then three negatives
		u := rowsOf(m.In, d)[4]
		out := rowsOf(m.Out, d)
		vs := make([][]float64, len(rows))
		for j, row := range rows {
			vs[j] = out[row]
		}
		want := softmaxLoss(u, vs, tau)

		grad := make([]float32, d)
		w.windowStep(ctx, grad, m.Out, rows, w.labels[:len(rows)], false)
		if math.Abs(w.loss-want) > 1e-5 {
			t.Errorf("τ=%v: tallied loss %v, want %v", tau, w.loss, want)
		}
		const h = 1e-5
		check := func(what string, x []float64, got []float32) {
			for k := range x {
				old := x[k]
				x[k] = old + h
				up := softmaxLoss(u, vs, tau)
				x[k] = old - h
				down := softmaxLoss(u, vs, tau)
				x[k] = old
				// A step of α = 1 along the negative gradient.
				if fd := -(up - down) / (2 * h); math.Abs(float64(got[k])-fd) > 1e-4*(1+math.Abs(fd)) {
					t.Errorf("τ=%v: %s[%d]: step %v, finite differences %v", tau, what, k, got[k], fd)
				}
			}
		}
		check("input", u, grad)
		after := rowsOf(m.Out, d)
		for j, row := range rows {
			step := make([]float32, d)
			for k := range step {
				step[k] = float32(after[row][k] - out[row][k])
			}
			check("row "+string(rune('0'+row)), vs[j], step)
		}
	}
}

func TestParseLoss(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want LossKind
		ok   bool
	}{
		{"logistic", Logistic, true}, {"ns", Logistic, true}, {"softmax", Softmax, true}, {"infonce", Softmax, true}, {"hinge", 0, false},
	} {
		got, err := ParseLoss(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseLoss(%q) = %v, %v", tt.in, got, err)
		}
	}
}
