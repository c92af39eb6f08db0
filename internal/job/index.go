package job

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/w2vtool/w2v/internal/atomicfile"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// Index builds a graph index with the settings g over the vectors of the
// model file input, calibrates its default search breadth, and writes the
// model with it to output in the native format, with a progress report
// (for big models) and a summary on s.Err. g.Done is set here.
func Index(ctx context.Context, s Streams, input, output string, g search.GraphOptions) error {
	start := time.Now()
	if err := CheckOutputs([]string{output}, []string{input}); err != nil {
		return err
	}
	v, err := query.LoadModel(s.Err, input)
	if err != nil {
		return err
	}
	defer v.Close()
	out, err := atomicfile.Create(output)
	if err != nil {
		return err
	}
	defer out.Abort()
	var done atomic.Int64
	g.Done = &done
	var graph *vecfile.Graph
	var cal search.Calibration
	err = progress.Run(s.Err, progress.Options{Total: int64(v.Len()), Unit: "words", Desc: "index", Quiet: v.Len() < 50_000},
		func() (int64, string) { return done.Load(), "" },
		func() error {
			var err error
			graph, cal, err = query.BuildIndex(ctx, v, g)
			return err
		})
	if err != nil {
		return err
	}
	if err := vecfile.WriteNativeGraph(out, v, graph); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(s.Err, "index: %s words × %d, %v, M %d, ef-construction %d, to %s in %s\n",
		report.Thousands(v.Len()), v.Dim(), g.Metric, g.M, g.EfConstruction, output, report.Since(start))
	reached := ""
	if !cal.Reached {
		reached = fmt.Sprintf(" (below %.2f at the largest ef tried; a larger --m or --ef-construction may help)", search.CalibrationRecall)
	}
	fmt.Fprintf(s.Err, "index: default search breadth ef %d: recall@10 %.3f at ef %d on %s indexed words%s\n",
		cal.Ef, cal.Recall, cal.Measured, report.Thousands(cal.Rows), reached)
	return nil
}
