package job

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/explore"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
)

// Classes runs k-means over the rows of vecs (unit length, width dim) with
// a progress report on s.Err, unless quiet or the job is small: the
// centroids of the start chosen, then the iterations.
func Classes(ctx context.Context, s Streams, vecs []float32, dim int, o explore.KMeansOptions, quiet bool) (*explore.Clustering, error) {
	maxIter := o.MaxIter
	if maxIter <= 0 {
		maxIter = explore.DefaultMaxIter
	}
	var done atomic.Int64
	var detail atomic.Value
	detail.Store("start")
	o.Progress = func(st explore.Status) {
		done.Store(int64(st.Seeded + st.Iter))
		if st.Iter > 0 {
			detail.Store(fmt.Sprintf("iteration %d, %s moved", st.Iter, report.Thousands(st.Changed)))
		}
	}
	rows := len(vecs) / max(dim, 1)
	var c *explore.Clustering
	err := progress.Run(s.Err, progress.Options{Total: int64(o.K + maxIter), Unit: "steps", Desc: "classes",
		Quiet: quiet || float64(rows)*float64(o.K)*float64(dim) < 1e9},
		func() (int64, string) { return done.Load(), detail.Load().(string) },
		func() error {
			var err error
			c, err = explore.KMeans(ctx, vecs, dim, o)
			if err == nil {
				done.Store(int64(o.K + maxIter)) // converged early: nothing is left to do
			}
			return err
		})
	return c, err
}

// normalizedCopy returns the rows of vecs (width dim) scaled to unit
// length; rows of zeros stay zero.
func normalizedCopy(vecs []float32, dim int) []float32 {
	out := make([]float32, len(vecs))
	for r := 0; r+dim <= len(vecs); r += dim {
		var s float64
		for _, x := range vecs[r : r+dim] {
			s += float64(x) * float64(x)
		}
		if s == 0 {
			continue
		}
		inv := 1 / math.Sqrt(s)
		for d, x := range vecs[r : r+dim] {
			out[r+d] = float32(float64(x) * inv)
		}
	}
	return out
}
