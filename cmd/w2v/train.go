package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/w2vtool/w2v/internal/checkpoint"
	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/idstream"
	"github.com/w2vtool/w2v/internal/memstat"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/vecfile"
	"github.com/w2vtool/w2v/internal/vocab"
)

// trainOptions are the train command's settings.
type trainOptions struct {
	output          string
	binary          bool
	model           string
	hs              bool
	dim             int
	window          int
	negative        int
	epochs          int
	alpha           float64
	sample          float64
	minCount        int64
	maxVocab        int
	threads         int
	seed            uint64
	maxSentence     int
	maxWordBytes    int
	saveVocab       string
	readVocab       string
	maxDistinct     int
	sharedNegatives bool
	checkpoint      string
	checkpointEvery time.Duration
	resume          string
	quiet           bool

	outputGiven     bool // -o or --binary was given, so a resumed run does not take the checkpoint's
	binaryGiven     bool // --binary was given: it wins over the output's name
	format          vecfile.OutFormat
	checkpointGiven bool
	typed           []string // flags typed on the command line, as opposed to set by config or environment
}

func newTrainCmd(s streams) *cobra.Command {
	def := skipgram.DefaultConfig()
	o := trainOptions{}
	cmd := &cobra.Command{
		Use:   "train [flags] CORPUS...",
		Short: "Train word vectors on text corpora",
		Long: `Train word vectors with word2vec's skip-gram or CBOW model, with negative
sampling and/or hierarchical softmax, on one or more text files. Defaults are
word2vec's: skip-gram, negative sampling, dim 100, window 5, 5 epochs.

Words are separated by whitespace and a newline ends a sentence; lines longer
than --max-sentence words are cut. Words occurring fewer than --min-count
times are dropped. CORPUS may be "-" for standard input, and gzip files are
read directly. Vectors are written in word2vec's text format, or binary with
--binary or an output named .bin (.gz compresses either); the output file
appears only once it is complete.

Interrupting (Ctrl-C, SIGTERM) stops within a second and saves a checkpoint
(--checkpoint, default OUTPUT.ckpt) that --resume continues from; with one
thread and a fixed seed the resumed run gives byte-identical vectors.`,
		Example: `  # Train 100-dimensional vectors on a corpus:
  w2v train corpus.txt -o vectors.txt

  # Bigger vectors, more epochs, 8 threads, binary output:
  w2v train --dim 300 --epochs 10 --threads 8 --binary -o wiki.bin wiki.txt

  # CBOW with hierarchical softmax only, from a compressed corpus:
  w2v train --model cbow --hs --negative 0 corpus.txt.gz -o vectors.txt

  # Checkpoint every 10 minutes; after an interruption, carry on:
  w2v train --checkpoint-every 10m big.txt -o big.bin --binary
  w2v train --resume big.bin.ckpt`,
		Args: func(cmd *cobra.Command, args []string) error {
			// Cobra checks arguments before the root's hook fills flags from
			// the config file and environment: only here do the changed
			// flags tell what the command line typed.
			o.typed = changedFlags(cmd)
			if len(args) == 0 && o.resume == "" {
				return failure.Usagef("train: missing CORPUS file to train on")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			changed := cmd.Flags().Changed
			if !changed("output") && o.binary {
				o.output = "vectors.bin"
			}
			o.outputGiven = changed("output") || changed("binary")
			o.binaryGiven = changed("binary")
			o.checkpointGiven = changed("checkpoint")
			arch, err := skipgram.ParseArch(o.model)
			if err != nil {
				return failure.Usagef("--model: %v", err)
			}
			if !changed("alpha") {
				o.alpha = skipgram.DefaultAlpha(arch)
			}
			return runTrain(cmd.Context(), s, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "vectors.txt", "write the vectors to this file (\"-\" for standard output)")
	f.BoolVar(&o.binary, "binary", false, "write word2vec's binary format instead of text (and name the output vectors.bin unless -o is given)")
	f.StringVar(&o.model, "model", "skipgram", "architecture: skipgram or cbow")
	f.BoolVar(&o.hs, "hs", false, "train with hierarchical softmax (with --negative 0: instead of negative sampling)")
	f.IntVar(&o.dim, "dim", def.Dim, "dimensions of the word vectors")
	f.IntVar(&o.window, "window", def.Window, "largest distance between a word and its context words")
	f.IntVar(&o.negative, "negative", def.Negative, "negative samples per context word (0 = no negative sampling; needs --hs)")
	f.IntVar(&o.epochs, "epochs", def.Epochs, "passes over the corpus")
	// No default here: it depends on --model (see RunE), and pflag would
	// print a second, wrong one.
	f.Float64Var(&o.alpha, "alpha", 0, "starting learning rate, decaying linearly to alpha×1e-4 (default 0.025 for skipgram, 0.05 for cbow)")
	f.Float64Var(&o.sample, "sample", def.Sample, "subsample words more frequent than this fraction of the corpus (0 = off)")
	f.Int64Var(&o.minCount, "min-count", 5, "drop words occurring fewer times than this")
	f.IntVar(&o.maxVocab, "max-vocab", 0, "keep only this many most frequent words (0 = no limit)")
	f.IntVar(&o.threads, "threads", 0, "worker threads (0 = number of CPUs)")
	f.Uint64Var(&o.seed, "seed", def.Seed, "random seed; with --threads 1 the output is reproducible")
	f.IntVar(&o.maxSentence, "max-sentence", corpus.DefaultMaxSentence, "cut lines longer than this many words into several sentences")
	f.IntVar(&o.maxWordBytes, "max-word-bytes", corpus.DefaultMaxWordBytes, "truncate longer words to this many bytes (at a UTF-8 boundary)")
	f.StringVar(&o.saveVocab, "save-vocab", "", "also write the vocabulary (\"word count\" lines) to this file")
	f.StringVar(&o.readVocab, "read-vocab", "", "use this vocabulary file instead of counting the corpus")
	f.IntVar(&o.maxDistinct, "max-distinct", vocab.DefaultMaxDistinct, "count at most this many distinct words at once, up to about 100 bytes each\n(up to twice that while threads count); past it the rarest are pruned,\nas in word2vec; below it the vocabulary does not depend on --threads")
	f.BoolVar(&o.sharedNegatives, "shared-negatives", false, "skipgram: share one set of negatives across each window (faster; see README)")
	f.StringVar(&o.checkpoint, "checkpoint", "", "where to save checkpoints (default OUTPUT.ckpt)")
	f.DurationVar(&o.checkpointEvery, "checkpoint-every", 0, "also save a checkpoint this often, e.g. 10m (0 = only when interrupted)")
	f.StringVar(&o.resume, "resume", "", "continue the run saved in this checkpoint")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no progress or summary")
	return cmd
}

func changedFlags(cmd *cobra.Command) []string {
	var names []string
	cmd.Flags().Visit(func(f *pflag.Flag) { names = append(names, f.Name) })
	return names
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

func defaultCheckpoint(output string) string {
	if output == "-" || !isRegularOrMissing(output) {
		return "w2v-train.ckpt"
	}
	return output + ".ckpt"
}

// config checks the options and turns them into the trainer's settings.
func (o *trainOptions) config() (skipgram.Config, error) {
	if o.threads < 0 {
		return skipgram.Config{}, failure.Usagef("--threads must be 0 (all CPUs) or more, got %d", o.threads)
	}
	if o.threads == 0 {
		o.threads = runtime.NumCPU()
	}
	if o.minCount < 1 {
		return skipgram.Config{}, failure.Usagef("--min-count must be at least 1, got %d", o.minCount)
	}
	if o.maxVocab < 0 {
		return skipgram.Config{}, failure.Usagef("--max-vocab must be 0 (no limit) or more, got %d", o.maxVocab)
	}
	if o.maxSentence < 1 {
		return skipgram.Config{}, failure.Usagef("--max-sentence must be at least 1, got %d", o.maxSentence)
	}
	if o.maxWordBytes < 4 {
		return skipgram.Config{}, failure.Usagef("--max-word-bytes must be at least 4, got %d", o.maxWordBytes)
	}
	if o.checkpointEvery < 0 {
		return skipgram.Config{}, failure.Usagef("--checkpoint-every must not be negative, got %v", o.checkpointEvery)
	}
	arch, err := skipgram.ParseArch(o.model)
	if err != nil {
		return skipgram.Config{}, failure.Usagef("--model: %v", err)
	}
	cfg := skipgram.Config{
		Arch: arch, Dim: o.dim, Window: o.window, Negative: o.negative, HS: o.hs, Epochs: o.epochs,
		Alpha: o.alpha, Sample: o.sample, Seed: o.seed, SharedNegatives: o.sharedNegatives,
	}
	if err := cfg.Validate(); err != nil {
		return cfg, failure.Usagef("--%v", err)
	}
	return cfg, nil
}

// trainJob is one training run being set up or carried out.
type trainJob struct {
	s       streams
	o       trainOptions
	cfg     skipgram.Config
	say     func(format string, args ...any)
	inputs  []*corpus.Input
	shards  []corpus.Shard
	voc     *vocab.Vocab
	model   *skipgram.Model
	trainer *skipgram.Trainer
	tmpDir  string
}

func runTrain(ctx context.Context, s streams, o trainOptions, files []string) error {
	start := time.Now()
	j := &trainJob{s: s, o: o}
	j.say = func(format string, args ...any) {
		if !o.quiet {
			fmt.Fprintf(s.err, format+"\n", args...)
		}
	}
	var ck *checkpoint.Checkpoint
	if o.resume != "" {
		var err error
		if ck, err = readCheckpoint(o.resume); err != nil {
			return err
		}
		if err := checkResumeFlags(o, ck); err != nil {
			return err
		}
		j.adoptCheckpoint(ck)
		if len(files) == 0 {
			if files, err = checkpointInputs(o.resume, ck); err != nil {
				return err
			}
		}
		j.say("resume: %s, %s of %s words trained", o.resume,
			progress.Count(ck.State.Done), progress.Count(int64(ck.Config.Epochs)*sum(ck.Counts)))
	} else {
		var err error
		if j.cfg, err = j.o.config(); err != nil {
			return err
		}
	}
	if !j.o.checkpointGiven {
		j.o.checkpoint = defaultCheckpoint(j.o.output)
	}
	if err := j.chooseFormat(ck != nil); err != nil {
		return err
	}
	o = j.o
	topts := corpus.Options{MaxWordBytes: o.maxWordBytes, MaxSentence: o.maxSentence}
	if err := checkOutputs([]string{o.output, o.saveVocab, o.checkpoint}, append([]string{o.readVocab}, files...)); err != nil {
		return err
	}
	if err := checkOutputs([]string{o.output, o.saveVocab}, []string{o.resume}); err != nil {
		return err
	}

	// Open the outputs first, so a bad output path fails before hours of work.
	out, err := createOutput(s, o.output)
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := checkWritableDir(o.checkpoint); err != nil {
		return err
	}
	var vocabOut *output
	if o.saveVocab != "" {
		if vocabOut, err = createOutput(s, o.saveVocab); err != nil {
			return err
		}
		defer vocabOut.Abort()
	}

	// Temporary files (spooled streams, id caches) go beside the output,
	// where there is room for the result anyway.
	j.tmpDir = filepath.Dir(o.output)
	if o.output == "-" || !isRegularOrMissing(o.output) {
		j.tmpDir = os.TempDir()
	}
	inputs, closeInputs, err := openInputs(ctx, s, files, j.tmpDir, o.quiet)
	if err != nil {
		return err
	}
	defer closeInputs.Close()
	j.inputs = inputs
	if ck != nil {
		if err := sameInputs(ck.Job.Inputs, inputs); err != nil {
			return err
		}
	}
	if j.shards, err = corpus.Split(inputs, o.threads); err != nil {
		return err
	}

	if ck == nil {
		if err := j.buildVocab(ctx, topts); err != nil {
			if ctx.Err() != nil {
				// Also when no word was counted because the signal came
				// before any data: the interruption is the news.
				return failure.Interruptedf(ctx, "interrupted while counting words; nothing was written")
			}
			return err
		}
		if err := j.allocate(); err != nil {
			return err
		}
	}
	if vocabOut != nil {
		if err := j.voc.Write(vocabOut); err != nil {
			return err
		}
		if err := vocabOut.Commit(); err != nil {
			return err
		}
	}
	if j.trainer, err = skipgram.NewTrainer(j.cfg, j.model, j.voc.Counts()); err != nil {
		return err
	}
	if ck != nil {
		if err := j.trainer.Restore(ck.State); err != nil {
			return fmt.Errorf("checkpoint %s: %w", o.resume, err)
		}
	}
	sources := make([]skipgram.Source, len(j.shards))
	for i, sh := range j.shards {
		src, err := idstream.New(sh, j.voc, topts, j.tmpDir)
		if err != nil {
			return err
		}
		defer src.Close()
		sources[i] = src
	}

	t0 := time.Now()
	wordsBefore := j.trainer.Progress().Words
	wroteCheckpoint := false
	var periodic *skipgram.Periodic
	if o.checkpointEvery > 0 {
		periodic = &skipgram.Periodic{Every: o.checkpointEvery, Save: func(st skipgram.State) error {
			wroteCheckpoint = true
			return j.writeCheckpoint(st)
		}}
	}
	err = progress.Run(s.err, progress.Options{Total: j.trainer.Progress().Planned, Start: wordsBefore, Unit: "words", Desc: "train", Quiet: o.quiet},
		func() (int64, string) {
			p := j.trainer.Progress()
			return p.Words, fmt.Sprintf("lr %.5f", p.Alpha)
		},
		func() error { return j.trainer.Train(ctx, sources, periodic) })
	if err != nil {
		if errors.Is(err, context.Canceled) {
			if cerr := j.writeCheckpoint(j.trainer.State()); cerr != nil {
				return fmt.Errorf("interrupted, and saving the checkpoint failed: %w", cerr)
			}
			return failure.Interruptedf(ctx, "interrupted after %s of %s words; checkpoint saved to %s; continue with: %s",
				progress.Count(j.trainer.Progress().Words), progress.Count(j.trainer.Progress().Planned), o.checkpoint, j.resumeHint())
		}
		return err
	}
	trainTime := time.Since(t0)
	words := j.trainer.Progress().Words - wordsBefore

	if err := vecfile.WriteVectors(out, o.format, j.voc.Words(), j.model.In, j.cfg.Dim); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if wroteCheckpoint || (o.resume != "" && sameFile(o.resume, o.checkpoint)) {
		os.Remove(o.checkpoint) // the run is complete; the checkpoint is stale
	}
	rss := "n/a"
	if peak, ok := memstat.PeakRSS(); ok {
		rss = progress.Bytes(peak)
	}
	j.say("train: %s words in %s, %s words/s, %d threads; total %s, peak RSS %s; wrote %s (%s × %d, %s)",
		report.Thousands(words), trainTime.Round(time.Millisecond), progress.Count(int64(float64(words)/trainTime.Seconds())),
		len(j.shards), report.Since(start), rss, o.output, report.Thousands(j.voc.Len()), j.cfg.Dim, o.format)
	return nil
}

// chooseFormat settles the output's format: --binary if given (or, on a
// resume without -o, the checkpoint's choice), else what the output's name
// asks for, else text.
func (j *trainJob) chooseFormat(resumed bool) error {
	o := &j.o
	var explicit vecfile.Format
	if o.binaryGiven || resumed && !o.outputGiven {
		explicit = vecfile.Text
		if o.binary {
			explicit = vecfile.Binary
		}
	}
	warn := func(format string, args ...any) { fmt.Fprintf(j.s.err, "w2v: warning: "+format+"\n", args...) }
	f, err := vecfile.ChooseFormat(o.output, explicit, vecfile.Text, warn)
	if err != nil {
		return failure.Usagef("%w", err)
	}
	if f.Format == vecfile.Native {
		return failure.Usagef("train writes word2vec text or binary; write %s.bin, then make the native model with: w2v convert %s.bin -o %s",
			strings.TrimSuffix(o.output, filepath.Ext(o.output)), strings.TrimSuffix(o.output, filepath.Ext(o.output)), o.output)
	}
	o.format, o.binary = f, f.Format == vecfile.Binary
	return nil
}

// buildVocab reads or counts the vocabulary.
func (j *trainJob) buildVocab(ctx context.Context, topts corpus.Options) error {
	o := j.o
	if o.readVocab != "" {
		var err error
		if j.voc, err = readVocabFile(o.readVocab, o.minCount, o.maxVocab); err != nil {
			return err
		}
		j.say("vocab: %s words with count ≥ %d read from %s", report.Thousands(j.voc.Len()), o.minCount, o.readVocab)
	} else {
		if o.maxDistinct < 1 || o.maxDistinct > vocab.MaxWords {
			return failure.Usagef("--max-distinct must be between 1 and %d, got %d", vocab.MaxWords, o.maxDistinct)
		}
		t0 := time.Now()
		counter, err := countWords(ctx, j.s, j.shards, vocab.CountOptions{MaxDistinct: o.maxDistinct, Corpus: topts}, o.quiet)
		if err != nil {
			return err
		}
		if counter.Pruned() > 0 {
			// Not a progress message: the vocabulary is not what the
			// corpus holds, so say it even with --quiet.
			fmt.Fprintf(j.s.err, "w2v: warning: the corpus has more than %s distinct words (--max-distinct), so the rarest were pruned while counting (%s counts dropped, %s distinct words kept); a count may be up to %s too low\n",
				report.Thousands(o.maxDistinct), report.Thousands(counter.Pruned()), report.Thousands(counter.Distinct()), report.Thousands(counter.MaxLoss()))
		}
		j.voc = counter.Build(o.minCount, o.maxVocab)
		j.say("vocab: %s words with count ≥ %d of %s distinct in %s tokens (%s)",
			report.Thousands(j.voc.Len()), o.minCount, report.Thousands(counter.Distinct()), progress.Count(counter.Tokens()), report.Since(t0))
	}
	if j.voc.Len() == 0 {
		return fmt.Errorf("no word occurs at least %d times (--min-count); lower --min-count or train on a larger corpus", o.minCount)
	}
	return nil
}

// allocate creates the model after checking that it fits in memory.
func (j *trainJob) allocate() error {
	need := skipgram.ModelBytes(j.voc.Len(), j.cfg) + j.voc.Bytes()
	if err := checkMemory(need, fmt.Sprintf("a model of %s words × %d dims", report.Thousands(j.voc.Len()), j.cfg.Dim)); err != nil {
		return err
	}
	j.model = skipgram.NewModel(j.voc.Len(), j.cfg)
	return nil
}

// checkMemory refuses work that cannot fit in the memory available to the
// process, saying how to shrink it.
func checkMemory(need int64, what string) error {
	if err := memstat.Check(need, what); err != nil {
		return fmt.Errorf("%w; lower --dim, raise --min-count or set --max-vocab", err)
	}
	return nil
}

// countWords counts the words of every shard in parallel with a progress
// report.
func countWords(ctx context.Context, s streams, shards []corpus.Shard, opts vocab.CountOptions, quiet bool) (*vocab.Counter, error) {
	var total int64
	for _, sh := range shards {
		total += sh.Bytes()
	}
	var read atomic.Int64
	opts.Read = &read
	var counter *vocab.Counter
	err := withProgress(s.err, progress.Options{Total: total, Unit: "bytes", Desc: "vocab", Quiet: quiet},
		func() (int64, string) { return read.Load(), "" },
		func() (err error) {
			counter, err = vocab.Count(ctx, shards, opts)
			return err
		})
	if err != nil {
		if ctx.Err() != nil {
			return nil, errors.New("interrupted while counting words; nothing was written")
		}
		return nil, err
	}
	return counter, nil
}

// withProgress runs job under a progress report; see progress.Run.
func withProgress(w io.Writer, opts progress.Options, status func() (int64, string), job func() error) error {
	return progress.Run(w, opts, status, job)
}

func readVocabFile(path string, minCount int64, maxWords int) (*vocab.Vocab, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return vocab.Read(f, path, minCount, maxWords)
}

// openInputs opens the corpus files, spooling streams and gzip files with a
// progress report. A signal stops it even while it waits for standard input
// that has not arrived: the read cannot be cancelled, but the process is
// about to exit.
func openInputs(ctx context.Context, s streams, files []string, tmpDir string, quiet bool) ([]*corpus.Input, io.Closer, error) {
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
			inputs, closer, err := corpus.Inputs(files, s.in, tmpDir, &read)
			result <- opened{inputs, closer, err}
		}()
		select {
		case got = <-result:
			return got.err
		case <-ctx.Done():
			return failure.Interruptedf(ctx, "interrupted while reading the corpus; nothing was written")
		}
	}
	err := progress.Run(s.err, progress.Options{Unit: "bytes", Desc: "read", Quiet: quiet || !spools(files)},
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

// checkWritableDir fails early when path's directory does not exist.
func checkWritableDir(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("checkpoint %s: directory %s does not exist; create it first", path, dir)
		}
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("checkpoint %s: %s is not a directory", path, dir)
	}
	return nil
}

func isRegularOrMissing(path string) bool {
	fi, err := os.Stat(path)
	return err != nil || fi.Mode().IsRegular()
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func sum(x []int64) int64 {
	var s int64
	for _, v := range x {
		s += v
	}
	return s
}
