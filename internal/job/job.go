// Package job carries out w2v's longer jobs once their command has read and
// checked the flags: the corpus jobs (train, phrases), the model jobs
// (classes, align, drift, map, convert, export, index, nearest --all), the
// test-set evaluations (analogy --questions, similarity --pairs), and the
// query commands' runs (nearest, analogy, similarity, serve), which open
// the model and hand the questions to package query. It opens
// the corpus files (spooling standard input and gzip), refuses outputs
// that would overwrite an input, reports progress on standard error, saves
// and checks checkpoints, and writes each output file atomically. Its
// errors are the command's to report; usage errors and interruptions are
// marked with package failure.
package job

import (
	"context"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/atomicfile"
	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/progress"
)

// Streams are the standard files a job talks to; tests replace them.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
}

// Output is where a command writes a result file: the command's standard
// output for "-", otherwise an atomic file that appears only on Commit.
type Output struct {
	io.Writer
	file *atomicfile.File // nil for standard output
}

// CreateOutput opens path for writing a result.
func CreateOutput(s Streams, path string) (*Output, error) {
	if path == "-" {
		return &Output{Writer: s.Out}, nil
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	return &Output{Writer: f, file: f}, nil
}

// Commit publishes the file.
func (o *Output) Commit() error {
	if o.file == nil {
		return nil
	}
	return o.file.Commit()
}

// Abort discards the file unless it was committed.
func (o *Output) Abort() {
	if o.file != nil {
		o.file.Abort()
	}
}

// CheckOutputs refuses to write an output over one of the inputs, which
// would destroy the data before (or while) it is read. Paths that do not
// exist yet and "-" (a standard stream) never clash. Comparing files, not
// names, catches links and different spellings of one path.
func CheckOutputs(outputs, inputs []string) error {
	for _, out := range outputs {
		if out == "" || out == "-" {
			continue
		}
		fo, err := os.Stat(out)
		if err != nil {
			continue // a new file, or one the write will report on
		}
		for _, in := range inputs {
			if in == "" || in == "-" {
				continue
			}
			if fi, err := os.Stat(in); err == nil && os.SameFile(fo, fi) {
				return failure.Usagef("the output %s is the input %s; writing it would destroy the input: choose another output", out, in)
			}
		}
	}
	return nil
}

// openInputs opens the corpus files, spooling streams and gzip files with a
// progress report. A signal stops it even while it waits for standard input
// that has not arrived: the read cannot be cancelled, but the process is
// about to exit.
func openInputs(ctx context.Context, s Streams, files []string, tmpDir string, quiet bool) ([]*corpus.Input, io.Closer, error) {
	var read atomic.Int64
	type opened struct {
		inputs []*corpus.Input
		closer io.Closer
		err    error
	}
	result := make(chan opened, 1)
	var got opened
	job := func() error {
		go func() {
			inputs, closer, err := corpus.Inputs(files, s.In, tmpDir, &read)
			result <- opened{inputs, closer, err}
		}()
		select {
		case got = <-result:
			return got.err
		case <-ctx.Done():
			return failure.Interruptedf(ctx, "interrupted while reading the corpus; nothing was written")
		}
	}
	err := progress.Run(s.Err, progress.Options{Unit: "bytes", Desc: "read", Quiet: quiet || !spools(files)},
		func() (int64, string) { return read.Load(), "" }, job)
	return got.inputs, got.closer, err
}

// spools reports whether corpus.Inputs copies any of files before reading
// them: standard input and, likely, compressed files.
func spools(files []string) bool {
	for _, f := range files {
		if f == "-" || strings.HasSuffix(f, ".gz") || !isRegularOrMissing(f) {
			return true
		}
	}
	return false
}

func isRegularOrMissing(path string) bool {
	fi, err := os.Stat(path)
	return err != nil || fi.Mode().IsRegular()
}
