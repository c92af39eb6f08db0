package query

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// Load opens the vector file path as every command that reads a model
// does: a missing file is named as such, a file big enough to take a while
// shows a progress report on w, and words the file repeats are warned about
// on w.
func Load(w io.Writer, path string, opts vecfile.Options) (*vecfile.Vectors, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("model %s does not exist", path)
		}
		return nil, err
	}
	var read atomic.Int64
	opts.Progress = func(n int64) { read.Store(n) }
	var v *vecfile.Vectors
	err = progress.Run(w, progress.Options{Total: fi.Size(), Unit: "bytes", Desc: "load", Quiet: fi.Size() < 64<<20},
		func() (int64, string) { return read.Load(), "" },
		func() error {
			var err error
			v, err = vecfile.Open(path, opts)
			return err
		})
	if err != nil {
		return nil, err
	}
	if v.Duplicates > 0 {
		fmt.Fprintf(w, "w2v: warning: %s repeats %s; the first vector of each is used\n", path, report.CountOf(v.Duplicates, "word", "words"))
	}
	return v, nil
}

// LoadModel is Load for the -m flag of a command that reads a model to
// query: an empty path is a usage error, since the flag was not given.
func LoadModel(w io.Writer, path string) (*vecfile.Vectors, error) {
	if path == "" {
		return nil, failure.Usagef("no model given; name the vector file with -m FILE")
	}
	return Load(w, path, vecfile.Options{})
}
