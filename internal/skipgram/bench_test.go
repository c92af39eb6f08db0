//go:build !race

package skipgram

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkTrain trains one epoch over a million words of real text with one
// worker and reports words per second.
func BenchmarkTrain(b *testing.B) {
	t := &testing.T{}
	sentences, v := realCorpus(t, 1_000_000)
	for _, dim := range []int{100, 300} {
		for _, shared := range []bool{false, true} {
			b.Run(fmt.Sprintf("dim=%d/shared=%v", dim, shared), func(b *testing.B) {
				cfg := DefaultConfig()
				cfg.Dim, cfg.Epochs, cfg.Sample, cfg.SharedNegatives = dim, 1, 1e-4, shared
				m := NewModel(v.Len(), cfg)
				var words int64
				for b.Loop() {
					tr, err := NewTrainer(cfg, m, v.Counts())
					if err != nil {
						b.Fatal(err)
					}
					if err := tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
						b.Fatal(err)
					}
					words += tr.Progress().Words
				}
				b.ReportMetric(float64(words)/b.Elapsed().Seconds(), "words/s")
			})
		}
	}
}
