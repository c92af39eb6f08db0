package explore

import (
	"context"
	"testing"
)

// BenchmarkKMeans clusters a synthetic 100,000 × 100 matrix into 500
// classes, the size of issue 13's comparison with scikit-learn: one
// k-means++ start and at most 20 iterations.
func BenchmarkKMeans(b *testing.B) {
	vecs, _ := blobs(100_000, 100, 1000, 1.5, 1)
	b.ResetTimer()
	for b.Loop() {
		c, err := KMeans(context.Background(), vecs, 100, KMeansOptions{K: 500, MaxIter: 20, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(c.Iter), "iterations")
		b.ReportMetric(c.Objective/100_000, "objective/row")
	}
}

// BenchmarkTSNE maps a synthetic 5,000 × 100 matrix, the smaller size of
// issue 13's comparison with scikit-learn, with its defaults.
func BenchmarkTSNE(b *testing.B) {
	vecs, _ := blobs(5000, 100, 50, 1.5, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := TSNE(context.Background(), vecs, 100, TSNEOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
