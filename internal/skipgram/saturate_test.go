package skipgram

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestHSSkipsSaturatedNodes checks one hierarchical-softmax step on 2-d
// vectors against values worked out on paper. The vocabulary's counts
// (5, 3, 2) give word 0 the path [root] with target 1 and word 2 the path
// [root, node 0] with targets 0 and 1 (node 1 is the root). Node 0 scores 0
// against x = (1, 2), where σ = 0.5 exactly, so with α = 0.1:
//
//	g(node 0) = (1 − 0.5)·0.1 = 0.05
//	grad      = 0.05·(0.5, −0.25) = (0.025, −0.0125)
//	node 0   += 0.05·(1, 2)       = (0.55, −0.15)
//
// The root's score is at or beyond ±6 in every case, so the root must not
// move, nor add to grad, whether its decision is right or wrong; word2vec
// and gensim skip such nodes. The old rule took σ as 0 or 1 there and gave
// a wrong decision a full step.
func TestHSSkipsSaturatedNodes(t *testing.T) {
	tests := []struct {
		name     string
		word     int32
		root     []float32 // the root's row; x = (1, 2)
		wantGrad []float32
		wantNode []float32 // node 0 after the step
	}{
		{"score 6, target 0 (wrong)", 2, []float32{2, 2}, []float32{0.025, -0.0125}, []float32{0.55, -0.15}},
		{"score 7, target 0 (wrong)", 2, []float32{1, 3}, []float32{0.025, -0.0125}, []float32{0.55, -0.15}},
		{"score −6, target 0 (right)", 2, []float32{-2, -2}, []float32{0.025, -0.0125}, []float32{0.55, -0.15}},
		{"score −6.5, target 1 (wrong)", 0, []float32{-0.5, -3}, []float32{0, 0}, []float32{0.5, -0.25}},
		{"score 8, target 1 (right)", 0, []float32{2, 3}, []float32{0, 0}, []float32{0.5, -0.25}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Dim, cfg.HS, cfg.Negative = 2, true, 0
			m := NewModel(3, cfg)
			tr, err := NewTrainer(cfg, m, []int64{5, 3, 2})
			if err != nil {
				t.Fatal(err)
			}
			nodes, labels := tr.tree.path(tt.word)
			wantPath := map[int32]string{0: "[1] [1]", 2: "[1 0] [0 1]"}[tt.word]
			if got := fmtPath(nodes, labels); got != wantPath {
				t.Fatalf("path of word %d = %s, want %s (the test's arithmetic assumes it)", tt.word, got, wantPath)
			}
			copy(m.OutHS, []float32{0.5, -0.25})
			copy(m.OutHS[2:], tt.root)
			w := newWorker(tr, 0)
			w.alpha = 0.1
			x := []float32{1, 2}
			grad := make([]float32, 2)
			w.predict(x, grad, tt.word)
			check := func(name string, got, want []float32) {
				t.Helper()
				if !near(got[0], want[0]) || !near(got[1], want[1]) {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}
			check("grad", grad, tt.wantGrad)
			check("node 0", m.OutHS[0:2], tt.wantNode)
			check("root", m.OutHS[2:4], tt.root)
			if w.diverged {
				t.Error("a saturated score was taken for divergence")
			}
		})
	}
}

func fmtPath(nodes []int32, labels []float32) string {
	var b strings.Builder
	b.WriteString("[")
	for i, n := range nodes {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(string(rune('0' + n)))
	}
	b.WriteString("] [")
	for i, l := range labels {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(string(rune('0' + int(l))))
	}
	b.WriteString("]")
	return b.String()
}

// TestNegativeSamplingClampsSaturated checks that negative sampling keeps
// word2vec's rule beyond ±6: σ is taken as 0 or 1, so a confidently wrong
// pair gets a full step and a confidently right one none.
func TestNegativeSamplingClampsSaturated(t *testing.T) {
	w := newTestWorker(t, []int64{1, 1, 1}, 2)
	w.alpha = 0.1
	scores := []float32{7, -7, 6, -6}
	labels := []float32{1, 1, 0, 0}
	coef := make([]float32, 4)
	w.gradients(coef, scores, labels, false)
	want := []float32{0, 0.1, -0.1, 0}
	for i := range want {
		if !near(coef[i], want[i]) {
			t.Errorf("score %v, target %v: coefficient %v, want %v", scores[i], labels[i], coef[i], want[i])
		}
	}
	if w.diverged {
		t.Error("a saturated score was taken for divergence")
	}
}

// TestGradientsNoteDivergence checks that a score that is NaN or infinite
// gives no step and marks the worker, instead of indexing the sigmoid table
// with it (which panicked on amd64 and read entry 0 on arm64).
func TestGradientsNoteDivergence(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	for _, skip := range []bool{false, true} {
		for _, bad := range []float32{nan, inf, -inf} {
			w := newTestWorker(t, []int64{1, 1, 1}, 2)
			w.alpha = 0.1
			coef := make([]float32, 2)
			w.gradients(coef, []float32{0, bad}, []float32{1, 0}, skip)
			if !w.diverged {
				t.Errorf("skip=%v: score %v not noted as divergence", skip, bad)
			}
			if coef[1] != 0 || !near(coef[0], 0.05) {
				t.Errorf("skip=%v: score %v: coefficients %v, want [0.05 0]", skip, bad, coef)
			}
		}
	}
}

// TestTrainReportsDivergence trains with a learning rate far too high: Train
// must return ErrDiverged, naming the learning rate, rather than panic or
// finish with NaN in the model. (Skip-gram with hierarchical softmax alone
// is not in the table: on this corpus every node saturates after the first
// steps and, skipped from then on, never overflows.)
func TestTrainReportsDivergence(t *testing.T) {
	sentences, counts := syntheticCorpus(5, 200, 40, 100)
	for _, mode := range []struct {
		name   string
		arch   Arch
		hs     bool
		neg    int
		shared bool
	}{
		{"sg-ns", SkipGram, false, 5, false},
		{"sg-ns shared", SkipGram, false, 5, true},
		{"cbow-ns", CBOW, false, 5, false},
		{"cbow-hs", CBOW, true, 0, false},
	} {
		t.Run(mode.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Arch, cfg.HS, cfg.Negative, cfg.SharedNegatives = mode.arch, mode.hs, mode.neg, mode.shared
			cfg.Dim, cfg.Epochs, cfg.Alpha = 300, 2, 1e9
			m := NewModel(len(counts), cfg)
			tr, err := NewTrainer(cfg, m, counts)
			if err != nil {
				t.Fatal(err)
			}
			err = tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil)
			if !errors.Is(err, ErrDiverged) {
				t.Fatalf("Train = %v, want ErrDiverged", err)
			}
			if !strings.Contains(err.Error(), "learning rate 1e+09") {
				t.Errorf("error %q does not name the learning rate", err)
			}
		})
	}
}

// TestTrainChecksFinalModel checks the last line of defence: a model value
// that is infinite when training ends (here, one no update ever reads: the
// input vector of a word that never occurs) fails Train.
func TestTrainChecksFinalModel(t *testing.T) {
	sentences, counts := syntheticCorpus(6, 50, 10, 50)
	counts = append(counts, 0) // a word no sentence holds
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 4, 1
	m := NewModel(len(counts), cfg)
	m.Vector(int32(len(counts) - 1))[2] = float32(math.Inf(-1))
	tr, err := NewTrainer(cfg, m, counts)
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil)
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("Train = %v, want ErrDiverged", err)
	}
}
