package job

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/w2vtool/w2v/internal/atomicfile"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// Convert writes the vector file input to output in the format explicit
// names (0: the one output's name implies, else native), with a summary on
// s.Err. Explicit vecfile.FastTextBin writes a fastText .bin again, from a
// .bin input.
func Convert(s Streams, input, output string, explicit vecfile.Format) error {
	start := time.Now()
	if explicit == vecfile.FastTextBin {
		return convertFastText(s, input, output, start)
	}
	if output == "" {
		return failure.Usagef("no output file; name it with -o FILE")
	}
	warn := func(format string, args ...any) { fmt.Fprintf(s.Err, "w2v: warning: "+format+"\n", args...) }
	format, err := vecfile.ChooseFormat(output, explicit, vecfile.Native, warn)
	if err != nil {
		return failure.Usagef("%w", err)
	}
	fi, err := os.Stat(input)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("model %s does not exist", input)
		}
		return err
	}
	if err := CheckOutputs([]string{output}, []string{input}); err != nil {
		return err
	}
	out, err := atomicfile.Create(output)
	if err != nil {
		return err
	}
	defer out.Abort()
	var read atomic.Int64
	var v *vecfile.Vectors
	err = progress.Run(s.Err, progress.Options{Total: fi.Size(), Unit: "bytes", Desc: "load", Quiet: fi.Size() < 64<<20},
		func() (int64, string) { return read.Load(), "" },
		func() error {
			var err error
			// Text and binary keep the values as read; native stores unit rows.
			v, err = vecfile.Open(input, vecfile.Options{Raw: format.Format != vecfile.Native, Progress: func(n int64) { read.Store(n) }})
			return err
		})
	if err != nil {
		return err
	}
	defer v.Close()
	if v.Duplicates > 0 {
		fmt.Fprintf(s.Err, "w2v: warning: %s repeats %d words; only the first vector of each is kept\n", input, v.Duplicates)
	}
	switch g := v.Graph(); {
	case format.Format == vecfile.Native && g != nil:
		// Native to native leaves the rows as they were, so the graph
		// still links them.
		err = vecfile.WriteNativeGraph(out, v, g)
	case format.Format == vecfile.Native:
		err = vecfile.WriteNative(out, v)
	default:
		if hasIndex(input, v) {
			warn("%s holds a graph index, which %s files cannot hold: it is not in %s", input, format, output)
		}
		err = vecfile.WriteVectors(out, format, v.Words(), v.Matrix(), v.Dim())
	}
	if err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	kept := ""
	if sub := v.Subwords(); sub != nil && format.Format == vecfile.Native {
		kept = fmt.Sprintf(" and %s n-gram buckets", report.Thousands(sub.Config().Buckets))
	}
	fmt.Fprintf(s.Err, "convert: %s words × %d%s from %s (%s) to %s (%s) in %s\n",
		report.Thousands(v.Len()), v.Dim(), kept, input, v.Format, output, format, report.Since(start))
	return nil
}

// convertFastText writes input, a fastText .bin, as a .bin again (fastText's
// current version, 12). Other formats lack the words' own rows and the
// output matrix that a .bin holds.
func convertFastText(s Streams, input, output string, start time.Time) error {
	if output == "" {
		return failure.Usagef("no output file; name it with -o FILE")
	}
	if err := CheckOutputs([]string{output}, []string{input}); err != nil {
		return err
	}
	format, err := vecfile.Sniff(input)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("model %s does not exist", input)
		}
		return err
	}
	if format != vecfile.FastTextBin {
		return fmt.Errorf("%s is not a fastText .bin model: --format fasttext needs one, since other formats lack the words' own rows and the output matrix a .bin holds", input)
	}
	m, err := vecfile.OpenFastText(input)
	if err != nil {
		return err
	}
	out, err := atomicfile.Create(output)
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := vecfile.WriteFastText(out, m); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(s.Err, "convert: %s words × %d and %s n-gram buckets from %s to %s (fastText .bin) in %s\n",
		report.Thousands(len(m.Words)), m.Dim(), report.Thousands(int(m.Args.Bucket)), input, output, report.Since(start))
	return nil
}

// hasIndex reports whether the model file path, read as v, holds a graph
// index. Read raw, a native model loses its index (the graph links the unit
// rows), so it is opened again as stored: a native file is memory-mapped,
// which costs next to nothing.
func hasIndex(path string, v *vecfile.Vectors) bool {
	if v.Graph() != nil {
		return true
	}
	if v.Format != vecfile.Native {
		return false
	}
	n, err := vecfile.Open(path, vecfile.Options{})
	if err != nil {
		return false
	}
	defer n.Close()
	return n.Graph() != nil
}
