package job

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/w2vtool/w2v/internal/explore"
	"github.com/w2vtool/w2v/internal/export"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/query"
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

// WordClassesOptions say what WordClasses clusters and where it writes.
type WordClassesOptions struct {
	Model    string // the vector file
	Output   string // the classes file ("-": s.Out)
	Restrict int    // cluster only the first Restrict words (0: all)
	KMeans   explore.KMeansOptions
	Quiet    bool // no progress or summary
}

// WordClasses clusters the words of the model o.Model by k-means and
// writes word2vec's classes file to o.Output, as the classes command does,
// with progress and a summary on s.Err.
func WordClasses(ctx context.Context, s Streams, o WordClassesOptions) error {
	if err := CheckOutputs([]string{o.Output}, []string{o.Model}); err != nil {
		return err
	}
	out, err := CreateOutput(s, o.Output)
	if err != nil {
		return err
	}
	defer out.Abort()
	start := time.Now()
	v, err := query.LoadModel(s.Err, o.Model)
	if err != nil {
		return err
	}
	defer v.Close()
	n := v.Len()
	if o.Restrict > 0 && o.Restrict < n {
		n = o.Restrict
	}
	k := o.KMeans.K
	if k > n {
		return fmt.Errorf("cannot make %d classes of %s", k, report.CountOf(n, "word", "words"))
	}
	c, err := Classes(ctx, s, v.Matrix()[:n*v.Dim()], v.Dim(), o.KMeans, o.Quiet)
	if ctx.Err() != nil {
		return failure.Interruptedf(ctx, "interrupted; %s was not written", o.Output)
	}
	if err != nil {
		return err
	}
	if err := export.WriteClasses(out, v.Words()[:n], c.Class); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if !o.Quiet {
		state := "converged"
		if !c.Converged {
			state = "stopped at --iter"
		}
		fmt.Fprintf(s.Err, "classes: %s in %s, mean cosine with the centroid %.4f, %s after %s, in %s\n",
			report.CountOf(n, "word", "words"), report.CountOf(k, "class", "classes"), 1-c.Objective/float64(n), state,
			report.CountOf(c.Iter, "iteration", "iterations"), report.Since(start))
	}
	return nil
}
