package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/memstat"
	"github.com/w2vtool/w2v/internal/phrases"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
)

// phrasesOptions are the phrases command's settings.
type phrasesOptions struct {
	output       string
	threshold    float64
	minCount     int64
	threads      int
	maxEntries   int
	maxWordBytes int
	quiet        bool
}

func newPhrasesCmd(s streams) *cobra.Command {
	o := phrasesOptions{}
	cmd := &cobra.Command{
		Use:   "phrases [flags] CORPUS...",
		Short: "Join frequent word pairs into phrases (new york → new_york)",
		Long: `Find pairs of adjacent words that occur together far more often than
chance, and write the corpus back with each such pair joined by "_" into one
token, as word2vec's word2phrase does. Training on the result gives vectors
for phrases such as new_york or air_canada.

A pair "a b" is joined when a, b and the pair each occur at least
--min-count times and its score

    (count(a b) − min-count) / (count(a) · count(b)) · words in the corpus

is above --threshold. Pairs are joined left to right, and a joined pair uses
up both its words: "a b c" with both pairs above the threshold becomes
"a_b c". Run the command again on its output to find longer phrases
(new_york times → new_york_times); word2vec's demo uses a threshold of 200 for
the first pass and 100 for the second.

The corpus is read twice: once to count words and pairs, in parallel, then
once to write. Pairs are never joined across a line break or between files.
The output keeps the input's lines (line n of the output is line n of the
input, blank lines included), with the words of a line separated by single
spaces. Words are cleaned as train cleans them: invalid UTF-8 is replaced and
words longer than --max-word-bytes are truncated.

Memory is bounded by --max-entries, the most distinct words and pairs held at
once: past it the rarest are dropped (word2vec's ReduceVocab) and counts of
rare pairs become approximate; the summary says when that happened. Below
it, the counts are exact and the output is the same whatever --threads. A
pair takes some 20 bytes and a word some 100; each counting thread also
keeps a table of its own, of up to its share of the limit, so --threads 1
needs the least memory, at some cost in time. CORPUS may be "-" for standard input, and
files ending in .gz are decompressed. The output appears only once complete.`,
		Example: `  # Join phrases, then join again to get phrases of three or four words:
  w2v phrases corpus.txt -o phrased1.txt --threshold 200
  w2v phrases phrased1.txt -o phrased2.txt --threshold 100
  w2v train phrased2.txt -o vectors.txt

  # From a compressed corpus to standard output:
  w2v phrases wiki.txt.gz -o - | head

  # Fewer, surer phrases:
  w2v phrases --min-count 20 --threshold 500 corpus.txt -o phrased.txt`,
		Args: minArgs(1, "CORPUS file to find phrases in"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPhrases(cmd.Context(), s, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "phrased.txt", "write the phrased corpus to this file (- for standard output)")
	f.Float64Var(&o.threshold, "threshold", 100, "join pairs scoring above this; higher means fewer phrases")
	f.Int64Var(&o.minCount, "min-count", 5, "never join words or pairs occurring fewer times than this")
	f.IntVar(&o.threads, "threads", 0, "threads counting and joining phrases (0 = number of CPUs)")
	f.IntVar(&o.maxEntries, "max-entries", phrases.DefaultMaxEntries, "most distinct words and pairs counted at once; past it the rarest are pruned")
	f.IntVar(&o.maxWordBytes, "max-word-bytes", corpus.DefaultMaxWordBytes, "truncate longer words to this many bytes (at a UTF-8 boundary)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no progress or summary")
	return cmd
}

// check validates the options.
func (o *phrasesOptions) check() error {
	if !(o.threshold > 0) || math.IsInf(o.threshold, 1) {
		return failure.Usagef("--threshold must be a positive number, got %v", o.threshold)
	}
	if o.minCount < 1 {
		return failure.Usagef("--min-count must be at least 1, got %d", o.minCount)
	}
	if o.threads < 0 {
		return failure.Usagef("--threads must be 0 (all CPUs) or more, got %d", o.threads)
	}
	if o.threads == 0 {
		o.threads = runtime.NumCPU()
	}
	if o.maxEntries < 1 {
		return failure.Usagef("--max-entries must be at least 1, got %d", o.maxEntries)
	}
	if o.maxWordBytes < 4 {
		return failure.Usagef("--max-word-bytes must be at least 4, got %d", o.maxWordBytes)
	}
	return nil
}

func runPhrases(ctx context.Context, s streams, o phrasesOptions, files []string) error {
	start := time.Now()
	if err := o.check(); err != nil {
		return err
	}
	if err := checkOutputs([]string{o.output}, files); err != nil {
		return err
	}
	// Open the output first, so a bad path fails before any work.
	out, err := createOutput(s, o.output)
	if err != nil {
		return err
	}
	defer out.Abort()
	say := func(format string, args ...any) {
		if !o.quiet {
			fmt.Fprintf(s.err, format+"\n", args...)
		}
	}
	tmpDir := filepath.Dir(o.output)
	if o.output == "-" || !isRegularOrMissing(o.output) {
		tmpDir = os.TempDir()
	}
	inputs, closeInputs, err := openInputs(ctx, s, files, tmpDir, o.quiet)
	if err != nil {
		return err
	}
	defer closeInputs.Close()
	var size int64
	for _, in := range inputs {
		size += in.Size
	}
	shards, err := corpus.Split(inputs, o.threads)
	if err != nil {
		return err
	}

	// Pass 1: count words and pairs.
	t0 := time.Now()
	var read atomic.Int64
	var counts *phrases.Counts
	err = progress.Run(s.err, progress.Options{Total: size, Unit: "bytes", Desc: "count", Quiet: o.quiet},
		func() (int64, string) { return read.Load(), "" },
		func() error {
			var err error
			counts, err = phrases.Count(ctx, shards, phrases.CountOptions{
				MaxEntries: o.maxEntries, MaxWordBytes: o.maxWordBytes, Read: &read,
			})
			return err
		})
	if err != nil {
		return stopped(ctx, err, o.output)
	}
	countTime := time.Since(t0)
	nw, np := counts.Distinct()
	pruned := ""
	if n := counts.Pruned(); n > 0 {
		pruned = fmt.Sprintf(", %s pruned (raise --max-entries for exact counts)", report.Thousands(int(n)))
	}
	model := counts.Model(o.minCount, o.threshold)
	say("count: %s words, %s distinct words and %s distinct pairs%s in %s; %s pairs score above %g",
		progress.Count(counts.Words()), report.Thousands(nw), report.Thousands(np), pruned,
		countTime.Round(time.Millisecond), report.Thousands(model.Len()), o.threshold)
	counts = nil // only the model is needed from here on

	// Pass 2: write the corpus with the phrases joined.
	t0 = time.Now()
	read.Store(0)
	var st phrases.Stats
	err = progress.Run(s.err, progress.Options{Total: size, Unit: "bytes", Desc: "phrase", Quiet: o.quiet},
		func() (int64, string) { return read.Load(), "" },
		func() error {
			var err error
			st, err = model.Apply(ctx, out, inputs, phrases.ApplyOptions{MaxWordBytes: o.maxWordBytes, Threads: o.threads, Read: &read})
			return err
		})
	if err != nil {
		return stopped(ctx, err, o.output)
	}
	if err := out.Commit(); err != nil {
		return err
	}
	rss := "n/a"
	if peak, ok := memstat.PeakRSS(); ok {
		rss = progress.Bytes(peak)
	}
	say("phrases: joined %s distinct phrases %s times; %s words in, %s out; count %s, write %s; total %s, peak RSS %s; wrote %s",
		report.Thousands(st.Distinct), report.Thousands(int(st.Joined)), progress.Count(st.WordsIn), progress.Count(st.WordsOut),
		countTime.Round(time.Millisecond), report.Since(t0), report.Since(start), rss, o.output)
	return nil
}

// stopped turns a cancelled job's error into a clear message.
func stopped(ctx context.Context, err error, output string) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return failure.Interruptedf(ctx, "interrupted; %s was not written", output)
	}
	return err
}
