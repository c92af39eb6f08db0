package job

import (
	"context"
	"fmt"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/query"
)

// NearestAllOptions say what NearestAll lists.
type NearestAllOptions struct {
	Model  string        // the vector file
	Output string        // the file to write ("-": s.Out)
	Query  query.Options // Top, Restrict and how to search
	JSON   bool          // a JSON object per word instead of the table
	Quiet  bool          // no progress or summary
}

// NearestAll writes the nearest words of every word of the model to
// o.Output, as nearest --all does (see query.Model.WriteNeighbors), with
// a progress report and a summary on s.Err.
func NearestAll(ctx context.Context, s Streams, o NearestAllOptions) error {
	if err := CheckOutputs([]string{o.Output}, []string{o.Model}); err != nil {
		return err
	}
	out, err := CreateOutput(s, o.Output)
	if err != nil {
		return err
	}
	defer out.Abort()
	return withModel(s, o.Model, func(m *query.Model) error {
		summary, err := m.WriteNeighborsProgress(ctx, out, s.Err, o.Query, o.JSON, o.Quiet)
		if ctx.Err() != nil {
			return failure.Interruptedf(ctx, "interrupted; %s was not written", o.Output)
		}
		if err == nil {
			err = out.Commit()
		}
		if err == nil && !o.Quiet {
			fmt.Fprintf(s.Err, "nearest: %s\n", summary)
		}
		return err
	})
}
