package job

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/w2vtool/w2v/internal/export"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// ExportOptions say what Export writes.
type ExportOptions struct {
	Model    string // the vector file
	Format   string // "projector" or "npy"
	Output   string // the directory to write
	Restrict int    // export only the first Restrict words (0: all)
	Quiet    bool   // no progress or summary
}

// Export writes the words and vectors of the model o.Model, as they are
// in the file, to the directory o.Output for the Embedding Projector or
// numpy, as the export command does, with progress and a summary on s.Err.
func Export(s Streams, o ExportOptions) error {
	if err := CheckOutputs([]string{o.Output}, []string{o.Model}); err != nil {
		return err
	}
	files := export.NPYFiles()
	if o.Format == "projector" {
		files = export.ProjectorFiles()
	}
	// Before loading the model, which can take a while.
	if err := export.CheckDir(o.Output, files); err != nil {
		return err
	}
	start := time.Now()
	v, err := query.Load(s.Err, o.Model, vecfile.Options{Raw: true})
	if err != nil {
		return err
	}
	defer v.Close()
	n := v.Len()
	if o.Restrict > 0 && o.Restrict < n {
		n = o.Restrict
	}
	words, vecs := v.Words()[:n], v.Matrix()[:n*v.Dim()]
	var done atomic.Int64
	err = progress.Run(s.Err, progress.Options{Total: int64(n), Unit: "words", Desc: "export", Quiet: o.Quiet || n*v.Dim() < 1<<24},
		func() (int64, string) { return done.Load(), "" },
		func() error {
			if o.Format == "projector" {
				return export.WriteProjector(o.Output, "w2v", words, vecs, v.Dim(), &done)
			}
			return export.WriteNPYDir(o.Output, words, vecs, v.Dim(), &done)
		})
	if err != nil {
		return err
	}
	if !o.Quiet {
		fmt.Fprintf(s.Err, "export: %s × %d to %s (%s) in %s\n", report.CountOf(n, "word", "words"), v.Dim(), o.Output, o.Format, report.Since(start))
	}
	return nil
}
