package job

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

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/memstat"
	"github.com/w2vtool/w2v/internal/phrases"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
)

// PhrasesOptions are the phrases command's settings, as its flags give them.
type PhrasesOptions struct {
	Output       string
	Threshold    float64
	MinCount     int64
	Threads      int
	MaxEntries   int
	MaxWordBytes int
	Quiet        bool
}

// Phrases finds the phrases of the corpus files in one pass and writes
// the corpus with them joined in a second.
func Phrases(ctx context.Context, s Streams, o PhrasesOptions, files []string) error {
	start := time.Now()
	if err := CheckOutputs([]string{o.Output}, files); err != nil {
		return err
	}
	// Open the output first, so a bad path fails before any work.
	out, err := CreateOutput(s, o.Output)
	if err != nil {
		return err
	}
	defer out.Abort()
	say := func(format string, args ...any) {
		if !o.Quiet {
			fmt.Fprintf(s.Err, format+"\n", args...)
		}
	}
	tmpDir := filepath.Dir(o.Output)
	if o.Output == "-" || !isRegularOrMissing(o.Output) {
		tmpDir = os.TempDir()
	}
	inputs, closeInputs, err := openInputs(ctx, s, files, tmpDir, o.Quiet)
	if err != nil {
		return err
	}
	defer closeInputs.Close()
	var size int64
	for _, in := range inputs {
		size += in.Size
	}
	shards, err := corpus.Split(inputs, o.Threads)
	if err != nil {
		return err
	}

	// Pass 1: count words and pairs.
	t0 := time.Now()
	var read atomic.Int64
	var counts *phrases.Counts
	err = progress.Run(s.Err, progress.Options{Total: size, Unit: "bytes", Desc: "count", Quiet: o.Quiet},
		func() (int64, string) { return read.Load(), "" },
		func() error {
			var err error
			counts, err = phrases.Count(ctx, shards, phrases.CountOptions{
				MaxEntries: o.MaxEntries, MaxWordBytes: o.MaxWordBytes, Read: &read,
			})
			return err
		})
	if err != nil {
		return stopped(ctx, err, o.Output)
	}
	countTime := time.Since(t0)
	nw, np := counts.Distinct()
	pruned := ""
	if n := counts.Pruned(); n > 0 {
		pruned = fmt.Sprintf(", %s pruned (raise --max-entries for exact counts)", report.Thousands(int(n)))
	}
	model := counts.Model(o.MinCount, o.Threshold)
	say("count: %s words, %s distinct words and %s distinct pairs%s in %s; %s pairs score above %g",
		progress.Count(counts.Words()), report.Thousands(nw), report.Thousands(np), pruned,
		countTime.Round(time.Millisecond), report.Thousands(model.Len()), o.Threshold)
	counts = nil // only the model is needed from here on

	// Pass 2: write the corpus with the phrases joined.
	t0 = time.Now()
	read.Store(0)
	var st phrases.Stats
	err = progress.Run(s.Err, progress.Options{Total: size, Unit: "bytes", Desc: "phrase", Quiet: o.Quiet},
		func() (int64, string) { return read.Load(), "" },
		func() error {
			var err error
			st, err = model.Apply(ctx, out, inputs, phrases.ApplyOptions{MaxWordBytes: o.MaxWordBytes, Threads: o.Threads, Read: &read})
			return err
		})
	if err != nil {
		return stopped(ctx, err, o.Output)
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
		countTime.Round(time.Millisecond), report.Since(t0), report.Since(start), rss, o.Output)
	return nil
}

// stopped turns a cancelled job's error into a clear message.
func stopped(ctx context.Context, err error, output string) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return failure.Interruptedf(ctx, "interrupted; %s was not written", output)
	}
	return err
}

// Check validates the options, and makes Threads 0 the number of CPUs.
func (o *PhrasesOptions) Check() error {
	if !(o.Threshold > 0) || math.IsInf(o.Threshold, 1) {
		return failure.Usagef("--threshold must be a positive number, got %v", o.Threshold)
	}
	if o.MinCount < 1 {
		return failure.Usagef("--min-count must be at least 1, got %d", o.MinCount)
	}
	if o.Threads < 0 {
		return failure.Usagef("--threads must be 0 (all CPUs) or more, got %d", o.Threads)
	}
	if o.Threads == 0 {
		o.Threads = runtime.NumCPU()
	}
	if o.MaxEntries < 1 {
		return failure.Usagef("--max-entries must be at least 1, got %d", o.MaxEntries)
	}
	if o.MaxWordBytes < 4 {
		return failure.Usagef("--max-word-bytes must be at least 4, got %d", o.MaxWordBytes)
	}
	return nil
}
