package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/atomicfile"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// convertOptions are the convert command's settings.
type convertOptions struct {
	output string
	format string
}

func newConvertCmd(s streams) *cobra.Command {
	o := convertOptions{}
	cmd := &cobra.Command{
		Use:   "convert [flags] MODEL -o OUTPUT",
		Short: "Convert a vector file, by default to w2v's native format that opens instantly",
		Long: `Convert a vector file between formats. The input may be in any format the
query commands read (word2vec text or binary, fastText .vec or .bin,
gzipped, or native); the output is in the format --format names, else the
one its name implies (.w2v native, .txt or .vec text, .bin word2vec binary;
.gz compresses text or binary), else native.

A fastText .bin model holds each word's rows and the rows of 2 million
hashed character n-grams, which give any word a vector. Converted to native,
the n-gram rows are kept (memory-mapped like the vectors), so the query
commands still give unseen words their subword vectors; converted to text or
binary, each word gets its full vector (the mean of its rows), as fastText's
own .vec file holds it. --format fasttext writes a .bin again, and needs a
.bin to convert.

The native format holds the vectors normalised, their lengths, and a hash
index of the words, laid out to be memory-mapped: the query commands open a
native model of any size in a fraction of a second and share its pages with
other processes using it. Converting back to text or binary restores the
vectors to within float rounding.`,
		Example: `  # Make a model quick to open:
  w2v convert GoogleNews-vectors-negative300.bin.gz -o google.w2v
  w2v nearest -m google.w2v king

  # Binary to text:
  w2v convert vectors.bin --format text -o vectors.txt

  # A fastText model that opens at once, unseen words included:
  w2v convert cc.en.300.bin -o cc.en.300.w2v
  w2v nearest -m cc.en.300.w2v accomodation`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return failure.Usagef("convert: want one input file, got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				o.format = ""
			}
			return runConvert(s, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write the converted vectors to this file (required)")
	f.StringVarP(&o.format, "format", "f", "native", "output format: native, text, binary or fasttext (default: from the output's name, .w2v/.txt/.vec/.bin, else native)")
	return cmd
}

func runConvert(s streams, o convertOptions, input string) error {
	start := time.Now()
	var explicit vecfile.Format
	switch strings.ToLower(o.format) {
	case "":
	case "native":
		explicit = vecfile.Native
	case "text":
		explicit = vecfile.Text
	case "binary":
		explicit = vecfile.Binary
	case "fasttext":
		return convertFastText(s, o, input, start)
	default:
		return failure.Usagef("--format must be native, text, binary or fasttext, got %q", o.format)
	}
	if o.output == "" {
		return failure.Usagef("no output file; name it with -o FILE")
	}
	warn := func(format string, args ...any) { fmt.Fprintf(s.err, "w2v: warning: "+format+"\n", args...) }
	format, err := vecfile.ChooseFormat(o.output, explicit, vecfile.Native, warn)
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
	if err := job.CheckOutputs([]string{o.output}, []string{input}); err != nil {
		return err
	}
	out, err := atomicfile.Create(o.output)
	if err != nil {
		return err
	}
	defer out.Abort()
	var read atomic.Int64
	var v *vecfile.Vectors
	err = progress.Run(s.err, progress.Options{Total: fi.Size(), Unit: "bytes", Desc: "load", Quiet: fi.Size() < 64<<20},
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
		fmt.Fprintf(s.err, "w2v: warning: %s repeats %d words; only the first vector of each is kept\n", input, v.Duplicates)
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
			warn("%s holds a graph index, which %s files cannot hold: it is not in %s", input, format, o.output)
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
	fmt.Fprintf(s.err, "convert: %s words × %d%s from %s (%s) to %s (%s) in %s\n",
		report.Thousands(v.Len()), v.Dim(), kept, input, v.Format, o.output, format, report.Since(start))
	return nil
}

// convertFastText writes input, a fastText .bin, as a .bin again (fastText's
// current version, 12). Other formats lack the words' own rows and the
// output matrix that a .bin holds.
func convertFastText(s streams, o convertOptions, input string, start time.Time) error {
	if o.output == "" {
		return failure.Usagef("no output file; name it with -o FILE")
	}
	if err := job.CheckOutputs([]string{o.output}, []string{input}); err != nil {
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
	out, err := atomicfile.Create(o.output)
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
	fmt.Fprintf(s.err, "convert: %s words × %d and %s n-gram buckets from %s to %s (fastText .bin) in %s\n",
		report.Thousands(len(m.Words)), m.Dim(), report.Thousands(int(m.Args.Bucket)), input, o.output, report.Since(start))
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
