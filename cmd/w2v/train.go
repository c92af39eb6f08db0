package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/atomicfile"
	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/idstream"
	"github.com/w2vtool/w2v/internal/memstat"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/vecfile"
	"github.com/w2vtool/w2v/internal/vocab"
)

// trainOptions are the train command's settings.
type trainOptions struct {
	output          string
	binary          bool
	dim             int
	window          int
	negative        int
	epochs          int
	alpha           float64
	sample          float64
	minCount        int64
	threads         int
	seed            uint64
	maxSentence     int
	maxWordBytes    int
	saveVocab       string
	readVocab       string
	sharedNegatives bool
	quiet           bool
}

func newTrainCmd(s streams) *cobra.Command {
	def := skipgram.DefaultConfig()
	o := trainOptions{}
	cmd := &cobra.Command{
		Use:   "train [flags] CORPUS...",
		Short: "Train word vectors on text corpora",
		Long: `Train word vectors with skip-gram and negative sampling (word2vec's
defaults) on one or more text files.

Words are separated by whitespace and a newline ends a sentence; lines longer
than --max-sentence words are cut. Words occurring fewer than --min-count
times are dropped. Vectors are written in word2vec's text format, or binary
with --binary; the output file appears only once it is complete.`,
		Example: `  # Train 100-dimensional vectors on a corpus:
  w2v train corpus.txt -o vectors.txt

  # Bigger vectors, more epochs, 8 threads, binary output:
  w2v train --dim 300 --epochs 10 --threads 8 --binary -o wiki.bin wiki.txt

  # The settings of word2vec's demo-word.sh:
  w2v train --dim 200 --window 8 --negative 25 --sample 1e-4 --epochs 15 text8 -o vectors.bin --binary`,
		Args: minArgs(1, "CORPUS file to train on"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("output") && o.binary {
				o.output = "vectors.bin"
			}
			return runTrain(cmd.Context(), s, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "vectors.txt", "write the vectors to this file")
	f.BoolVar(&o.binary, "binary", false, "write word2vec's binary format instead of text (default output vectors.bin)")
	f.IntVar(&o.dim, "dim", def.Dim, "dimensions of the word vectors")
	f.IntVar(&o.window, "window", def.Window, "largest distance between a word and its context words")
	f.IntVar(&o.negative, "negative", def.Negative, "negative samples per context word")
	f.IntVar(&o.epochs, "epochs", def.Epochs, "passes over the corpus")
	f.Float64Var(&o.alpha, "alpha", def.Alpha, "starting learning rate; decays linearly to alpha×1e-4")
	f.Float64Var(&o.sample, "sample", def.Sample, "subsample words more frequent than this fraction of the corpus (0 = off)")
	f.Int64Var(&o.minCount, "min-count", 5, "drop words occurring fewer times than this")
	f.IntVar(&o.threads, "threads", 0, "worker threads (0 = number of CPUs)")
	f.Uint64Var(&o.seed, "seed", def.Seed, "random seed; with --threads 1 the output is reproducible")
	f.IntVar(&o.maxSentence, "max-sentence", corpus.DefaultMaxSentence, "cut lines longer than this many words into several sentences")
	f.IntVar(&o.maxWordBytes, "max-word-bytes", corpus.DefaultMaxWordBytes, "truncate longer words to this many bytes (at a UTF-8 boundary)")
	f.StringVar(&o.saveVocab, "save-vocab", "", "also write the vocabulary (\"word count\" lines) to this file")
	f.StringVar(&o.readVocab, "read-vocab", "", "use this vocabulary file instead of counting the corpus")
	f.BoolVar(&o.sharedNegatives, "shared-negatives", false, "share one set of negatives across each window (faster; see README)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no progress or summary")
	return cmd
}

// config checks the options and turns them into the trainer's settings.
func (o *trainOptions) config() (skipgram.Config, error) {
	if o.threads < 0 {
		return skipgram.Config{}, usagef("--threads must be 0 (all CPUs) or more, got %d", o.threads)
	}
	if o.threads == 0 {
		o.threads = runtime.NumCPU()
	}
	if o.minCount < 1 {
		return skipgram.Config{}, usagef("--min-count must be at least 1, got %d", o.minCount)
	}
	if o.maxSentence < 1 {
		return skipgram.Config{}, usagef("--max-sentence must be at least 1, got %d", o.maxSentence)
	}
	if o.maxWordBytes < 4 {
		return skipgram.Config{}, usagef("--max-word-bytes must be at least 4, got %d", o.maxWordBytes)
	}
	cfg := skipgram.Config{
		Dim: o.dim, Window: o.window, Negative: o.negative, Epochs: o.epochs,
		Alpha: o.alpha, Sample: o.sample, Seed: o.seed, SharedNegatives: o.sharedNegatives,
	}
	if err := cfg.Validate(); err != nil {
		return cfg, usagef("--%v", err)
	}
	return cfg, nil
}

func runTrain(ctx context.Context, s streams, o trainOptions, files []string) error {
	start := time.Now()
	cfg, err := o.config()
	if err != nil {
		return err
	}
	topts := corpus.Options{MaxWordBytes: o.maxWordBytes, MaxSentence: o.maxSentence}
	// Open the outputs first, so a bad output path fails before hours of work.
	out, err := atomicfile.Create(o.output)
	if err != nil {
		return err
	}
	defer out.Abort()
	var vocabOut *atomicfile.File
	if o.saveVocab != "" {
		if vocabOut, err = atomicfile.Create(o.saveVocab); err != nil {
			return err
		}
		defer vocabOut.Abort()
	}

	say := func(format string, args ...any) {
		if !o.quiet {
			fmt.Fprintf(s.err, format+"\n", args...)
		}
	}
	// Temporary files (spooled streams, id caches) go beside the output,
	// where there is room for the result anyway.
	tmpDir := filepath.Dir(o.output)
	if o.output == "-" || !isRegularOrMissing(o.output) {
		tmpDir = os.TempDir()
	}
	inputs, closeInputs, err := openInputs(ctx, s, files, tmpDir, o.quiet)
	if err != nil {
		return err
	}
	defer closeInputs.Close()
	shards, err := corpus.Split(inputs, o.threads)
	if err != nil {
		return err
	}

	var voc *vocab.Vocab
	if o.readVocab != "" {
		if voc, err = readVocabFile(o.readVocab, o.minCount); err != nil {
			return err
		}
		say("vocab: %s words with count ≥ %d read from %s", thousands(voc.Len()), o.minCount, o.readVocab)
	} else {
		t0 := time.Now()
		counter, err := countWords(ctx, s, shards, topts, o.quiet)
		if err != nil {
			return err
		}
		voc = counter.Build(o.minCount, 0)
		say("vocab: %s words with count ≥ %d of %s distinct in %s tokens (%s)",
			thousands(voc.Len()), o.minCount, thousands(counter.Distinct()), progress.Count(counter.Tokens()), since(t0))
	}
	if voc.Len() == 0 {
		return fmt.Errorf("no word occurs at least %d times (--min-count); lower --min-count or train on a larger corpus", o.minCount)
	}
	if vocabOut != nil {
		if err := voc.Write(vocabOut); err != nil {
			return err
		}
		if err := vocabOut.Commit(); err != nil {
			return err
		}
	}

	model := skipgram.NewModel(voc.Len(), cfg.Dim, cfg.Seed)
	trainer, err := skipgram.NewTrainer(cfg, model, voc.Counts())
	if err != nil {
		return err
	}
	sources := make([]skipgram.Source, len(shards))
	for i, sh := range shards {
		src, err := idstream.New(sh, voc, topts, tmpDir)
		if err != nil {
			return err
		}
		defer src.Close()
		sources[i] = src
	}

	t0 := time.Now()
	err = withProgress(s.err, progress.Options{Total: int64(cfg.Epochs) * voc.Total(), Unit: "words", Desc: "train", Quiet: o.quiet},
		func() (int64, string) {
			p := trainer.Progress()
			return p.Words, fmt.Sprintf("lr %.5f", p.Alpha)
		},
		func() error { return trainer.Train(ctx, sources) })
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; %s was not written", o.output)
		}
		return err
	}
	trainTime := time.Since(t0)
	words := trainer.Progress().Words

	write := vecfile.WriteText
	if o.binary {
		write = vecfile.WriteBinary
	}
	if err := write(out, voc.Words(), model.In, cfg.Dim); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	rss := "n/a"
	if peak, ok := memstat.PeakRSS(); ok {
		rss = progress.Bytes(peak)
	}
	say("train: %s words in %s, %s words/s, %d threads; total %s, peak RSS %s; wrote %s (%s × %d)",
		progress.Count(words), trainTime.Round(time.Millisecond), progress.Count(int64(float64(words)/trainTime.Seconds())),
		len(shards), since(start), rss, o.output, thousands(voc.Len()), cfg.Dim)
	return nil
}

// countWords counts the words of every shard in parallel and merges the
// counts.
func countWords(ctx context.Context, s streams, shards []corpus.Shard, opts corpus.Options, quiet bool) (*vocab.Counter, error) {
	var total int64
	for _, sh := range shards {
		total += sh.Bytes()
	}
	var read atomic.Int64
	counters := make([]*vocab.Counter, len(shards))
	errs := make([]error, len(shards))
	err := withProgress(s.err, progress.Options{Total: total, Unit: "bytes", Desc: "vocab", Quiet: quiet},
		func() (int64, string) { return read.Load(), "" },
		func() error {
			var wg sync.WaitGroup
			for i, sh := range shards {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := corpus.NewShardReader(sh, opts)
					r.CountBytes(&read)
					c := vocab.NewCounter(vocab.DefaultMaxDistinct / len(shards))
					for n := 0; r.Scan(); n++ {
						c.Add(r.Word())
						if n&0xffff == 0 && ctx.Err() != nil {
							errs[i] = ctx.Err()
							return
						}
					}
					counters[i], errs[i] = c, r.Err()
				}()
			}
			wg.Wait()
			return errors.Join(errs...)
		})
	if err != nil {
		if ctx.Err() != nil {
			return nil, errors.New("interrupted while counting words")
		}
		return nil, err
	}
	for _, c := range counters[1:] {
		counters[0].Merge(c)
	}
	return counters[0], nil
}

// withProgress runs job while a progress report polls status.
func withProgress(w io.Writer, opts progress.Options, status func() (int64, string), job func() error) error {
	bar := progress.New(w, opts)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				bar.Set(status())
			}
		}
	}()
	err := job()
	close(done)
	wg.Wait()
	bar.Finish()
	return err
}

func readVocabFile(path string, minCount int64) (*vocab.Vocab, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return vocab.Read(f, path, minCount, 0)
}

// openInputs opens the corpus files, spooling streams and gzip files with a
// progress report.
func openInputs(ctx context.Context, s streams, files []string, tmpDir string, quiet bool) ([]*corpus.Input, io.Closer, error) {
	var read atomic.Int64
	var inputs []*corpus.Input
	var closer io.Closer
	spooled := false
	for _, f := range files {
		spooled = spooled || f == "-" || strings.HasSuffix(f, ".gz")
	}
	job := func() error {
		var err error
		inputs, closer, err = corpus.Inputs(files, s.in, tmpDir, func(n int64) { read.Store(n) })
		return err
	}
	if !spooled {
		return inputs, closer, job()
	}
	err := withProgress(s.err, progress.Options{Unit: "bytes", Desc: "read", Quiet: quiet},
		func() (int64, string) { return read.Load(), "" }, job)
	return inputs, closer, err
}

func isRegularOrMissing(path string) bool {
	fi, err := os.Stat(path)
	return err != nil || fi.Mode().IsRegular()
}

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }

// thousands formats n with comma separators: 71290 → "71,290".
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
