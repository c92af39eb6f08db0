package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/w2vtool/w2v/internal/checkpoint"
	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/explore"
	"github.com/w2vtool/w2v/internal/export"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/idstream"
	"github.com/w2vtool/w2v/internal/memstat"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/vecfile"
	"github.com/w2vtool/w2v/internal/vocab"
)

// TrainOptions are the train command's settings, as its flags give them.
type TrainOptions struct {
	Output          string
	Binary          bool
	Model           string
	HS              bool
	Dim             int
	Window          int
	Negative        int
	Epochs          int
	Alpha           float64
	Sample          float64
	MinCount        int64
	MaxVocab        int
	Threads         int
	Seed            uint64
	MaxSentence     int
	MaxWordBytes    int
	SaveVocab       string
	ReadVocab       string
	MaxDistinct     int
	SharedNegatives bool
	Loss            string  // logistic or softmax
	Temperature     float64 // divides the scores with Loss softmax
	Checkpoint      string
	CheckpointEvery time.Duration
	Resume          string
	SaveModel       string // also write the model file that --continue continues from
	Continue        string // the model file to continue training on new text
	Quiet           bool
	JSON            bool // also write the summary as JSON to the standard output
	Classes         int  // write this many k-means word classes instead of the vectors, as word2vec's -classes does
	Subwords        SubwordOptions

	// Set by the command from which flags were given.
	OutputGiven     bool // -o or --binary was given, so a resumed run does not take the checkpoint's
	BinaryGiven     bool // --binary was given: it wins over the output's name
	CheckpointGiven bool
	// SharedNegativesGiven: --shared-negatives was set (command line, config
	// or environment); otherwise the mode's default applies (see
	// skipgram.SharedNegativesByDefault).
	SharedNegativesGiven bool
	Format               vecfile.OutFormat // settled by the job
	Typed                []string          // flags typed on the command line, as opposed to set by config or environment
}

// trainJob is one training run being set up or carried out.
type trainJob struct {
	s       Streams
	o       TrainOptions
	cfg     skipgram.Config
	say     func(format string, args ...any)
	inputs  []*corpus.Input
	shards  []corpus.Shard
	voc     *vocab.Vocab
	model   *skipgram.Model
	trainer *skipgram.Trainer
	tmpDir  string

	epochWords int64 // words an epoch trains when continuing a model; 0 = the counts' sum
}

// Train carries out a training run: it resumes from o.Resume or starts
// with cfg, counts or reads the vocabulary, trains with a progress report
// and checkpoints, and writes the vectors.
func Train(ctx context.Context, s Streams, o TrainOptions, cfg skipgram.Config, files []string) error {
	start := time.Now()
	j := &trainJob{s: s, o: o}
	j.say = func(format string, args ...any) {
		if !o.Quiet {
			fmt.Fprintf(s.Err, format+"\n", args...)
		}
	}
	var ck, base *checkpoint.Checkpoint // base: the model that --continue trains on
	if o.Resume != "" {
		var err error
		if ck, err = readCheckpoint(o.Resume); err != nil {
			return err
		}
		if err := checkResumeFlags(o, ck); err != nil {
			return err
		}
		j.adoptCheckpoint(ck)
		if len(files) == 0 {
			if files, err = checkpointInputs(o.Resume, ck); err != nil {
				return err
			}
		}
		epoch := sum(ck.Counts)
		if ck.Job.EpochWords > 0 { // a --continue run
			epoch = ck.Job.EpochWords
		}
		j.say("resume: %s, %s of %s words trained", o.Resume,
			progress.Count(ck.State.Done), progress.Count(int64(ck.Config.Epochs)*epoch))
	} else if o.Continue != "" {
		var err error
		if base, err = j.startContinue(cfg); err != nil {
			return err
		}
	} else {
		j.cfg = cfg
	}
	if !j.o.CheckpointGiven {
		j.o.Checkpoint = defaultCheckpoint(j.o.Output)
	}
	if err := j.chooseFormat(ck != nil); err != nil {
		return err
	}
	o = j.o
	topts := corpus.Options{MaxWordBytes: o.MaxWordBytes, MaxSentence: o.MaxSentence}
	if err := CheckOutputs([]string{o.Output, o.SaveVocab, o.Checkpoint, o.SaveModel}, append([]string{o.ReadVocab}, files...)); err != nil {
		return err
	}
	if err := CheckOutputs([]string{o.Output, o.SaveVocab, o.SaveModel}, []string{o.Resume}); err != nil {
		return err
	}
	// --save-model may name the model continued from: it is read before
	// training starts (header, then matrices) and written only at the end.
	if err := CheckOutputs([]string{o.Output, o.SaveVocab, o.Checkpoint}, []string{o.Continue}); err != nil {
		return err
	}
	if o.SaveModel != "" && o.SaveModel == o.Checkpoint {
		return failure.Usagef("--save-model %s is also the checkpoint, which a finished run deletes: give it a name of its own", o.SaveModel)
	}

	// Open the outputs first, so a bad output path fails before hours of work.
	out, err := CreateOutput(s, o.Output)
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := checkWritableDir(o.Checkpoint); err != nil {
		return err
	}
	var vocabOut *Output
	if o.SaveVocab != "" {
		if vocabOut, err = CreateOutput(s, o.SaveVocab); err != nil {
			return err
		}
		defer vocabOut.Abort()
	}
	var modelOut *Output
	if o.SaveModel != "" {
		if modelOut, err = CreateOutput(s, o.SaveModel); err != nil {
			return err
		}
		defer modelOut.Abort()
	}

	// Temporary files (spooled streams, id caches) go beside the output,
	// where there is room for the result anyway.
	j.tmpDir = filepath.Dir(o.Output)
	if o.Output == "-" || !isRegularOrMissing(o.Output) {
		j.tmpDir = os.TempDir()
	}
	inputs, closeInputs, err := openInputs(ctx, s, files, j.tmpDir, o.Quiet)
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
	if j.shards, err = corpus.Split(inputs, o.Threads); err != nil {
		return err
	}

	if base != nil {
		if err := j.growVocab(ctx, topts, base); err != nil {
			if ctx.Err() != nil {
				return failure.Interruptedf(ctx, "interrupted while counting words; nothing was written")
			}
			return err
		}
		base = nil // the header: the grown vocabulary replaces its words
	} else if ck == nil {
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
	if o.Classes > j.voc.Len() {
		return fmt.Errorf("--classes %d: the vocabulary has only %s", o.Classes, report.CountOf(j.voc.Len(), "word", "words"))
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
	j.trainer.SetEpochWords(j.epochWords)
	if o.Quiet && !o.JSON {
		j.trainer.SkipLoss() // nothing will show it
	}
	if ck != nil {
		if err := j.trainer.Restore(ck.State); err != nil {
			return fmt.Errorf("checkpoint %s: %w", o.Resume, err)
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
	if o.CheckpointEvery > 0 {
		periodic = &skipgram.Periodic{Every: o.CheckpointEvery, Save: func(st skipgram.State) error {
			wroteCheckpoint = true
			return j.writeCheckpoint(st)
		}}
	}
	err = progress.Run(s.Err, progress.Options{Total: j.trainer.Progress().Planned, Start: wordsBefore, Unit: "words", Desc: "train", Quiet: o.Quiet},
		func() (int64, string) {
			p := j.trainer.Progress()
			if p.Loss.N == 0 {
				return p.Words, fmt.Sprintf("lr %.5f", p.Alpha)
			}
			return p.Words, fmt.Sprintf("lr %.5f, epoch %d loss %.4f/%s", p.Alpha, p.Epoch+1, p.Loss.Mean(), j.cfg.LossUnit())
		},
		func() error { return j.trainer.Train(ctx, sources, periodic) })
	if err != nil {
		if errors.Is(err, context.Canceled) {
			if cerr := j.writeCheckpoint(j.trainer.State()); cerr != nil {
				return fmt.Errorf("interrupted, and saving the checkpoint failed: %w", cerr)
			}
			return failure.Interruptedf(ctx, "interrupted after %s of %s words; checkpoint saved to %s; continue with: %s",
				progress.Count(j.trainer.Progress().Words), progress.Count(j.trainer.Progress().Planned), o.Checkpoint, j.resumeHint())
		}
		return err
	}
	trainTime := time.Since(t0)
	words := j.trainer.Progress().Words - wordsBefore

	if err := j.writeResult(ctx, out); err != nil {
		return err
	}
	saved := ""
	if modelOut != nil {
		if err := j.saveModel(modelOut); err != nil {
			return err
		}
		saved = "; model " + o.SaveModel
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if wroteCheckpoint || (o.Resume != "" && sameFile(o.Resume, o.Checkpoint)) {
		os.Remove(o.Checkpoint) // the run is complete; the checkpoint is stale
	}
	rss := "n/a"
	if peak, ok := memstat.PeakRSS(); ok {
		rss = progress.Bytes(peak)
	}
	what := fmt.Sprintf("%s × %d%s, %s", report.Thousands(j.voc.Len()), j.cfg.Dim, j.bucketsNote(), j.formatName())
	if o.Classes > 0 {
		what = fmt.Sprintf("%s in %s", report.CountOf(j.voc.Len(), "word", "words"), report.CountOf(o.Classes, "class", "classes"))
	}
	j.say("train: %s words in %s, %s words/s, %d threads; total %s, peak RSS %s; wrote %s (%s)%s",
		report.Thousands(words), trainTime.Round(time.Millisecond), progress.Count(int64(float64(words)/trainTime.Seconds())),
		len(j.shards), report.Since(start), rss, o.Output, what, saved)
	losses := j.trainer.Losses()
	var perEpoch []string
	for _, l := range losses {
		if l.N == 0 {
			// An epoch trained before a resume from a checkpoint that
			// did not keep the loss.
			perEpoch = append(perEpoch, "—")
			continue
		}
		perEpoch = append(perEpoch, fmt.Sprintf("%.4f", l.Mean()))
	}
	j.say("train: loss per %s by epoch: %s", j.cfg.LossUnit(), strings.Join(perEpoch, " "))
	if o.JSON {
		return writeTrainSummary(s.Out, trainSummary{
			Output: o.Output, Words: words, Seconds: trainTime.Seconds(), WordsPerSecond: float64(words) / trainTime.Seconds(),
			Threads: len(j.shards), Vocabulary: j.voc.Len(), Dim: j.cfg.Dim, SharedNegatives: j.cfg.SharedNegatives,
			LossUnit: j.cfg.LossUnit(), Loss: losses,
		})
	}
	return nil
}

// trainSummary is the --json summary of a training run.
type trainSummary struct {
	Output         string  `json:"output"`
	Words          int64   `json:"words"`
	Seconds        float64 `json:"seconds"`
	WordsPerSecond float64 `json:"words_per_second"`
	Threads        int     `json:"threads"`
	Vocabulary     int     `json:"vocabulary"`
	Dim            int     `json:"dim"`
	PeakRSS        uint64  `json:"peak_rss_bytes,omitempty"`
	// SharedNegatives says whether skip-gram trained each window against
	// one set of negatives or, as word2vec, each pair against its own.
	SharedNegatives bool   `json:"shared_negatives"`
	LossUnit        string `json:"loss_unit"`
	// Loss is each epoch's tally, written as the list "epochs" (the
	// epochs with a tally: mean per LossUnit, sum and count).
	Loss []skipgram.Loss `json:"-"`
}

// writeTrainSummary writes s as one JSON object on a line.
func writeTrainSummary(w io.Writer, s trainSummary) error {
	if peak, ok := memstat.PeakRSS(); ok {
		s.PeakRSS = uint64(peak)
	}
	type epoch struct {
		Epoch int     `json:"epoch"`
		Loss  float64 `json:"loss"`
		Sum   float64 `json:"loss_sum"`
		Count int64   `json:"count"`
	}
	out := struct {
		trainSummary
		Epochs []epoch `json:"epochs"`
	}{trainSummary: s, Epochs: []epoch{}}
	for e, l := range s.Loss {
		if l.N > 0 {
			out.Epochs = append(out.Epochs, epoch{Epoch: e + 1, Loss: l.Mean(), Sum: l.Sum, Count: l.N})
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// writeResult writes the trained vectors to out or, with --classes, the
// word classes k-means finds among them.
func (j *trainJob) writeResult(ctx context.Context, out *Output) error {
	if j.o.Subwords.FastText && j.o.Classes == 0 {
		return j.writeFastText(out)
	}
	if j.o.Classes == 0 {
		return vecfile.WriteVectors(out, j.o.Format, j.voc.Words(), j.model.WordVectors(), j.cfg.Dim)
	}
	c, err := Classes(ctx, j.s, normalizedCopy(j.model.WordVectors(), j.cfg.Dim), j.cfg.Dim,
		explore.KMeansOptions{K: j.o.Classes, Seed: j.cfg.Seed, Threads: j.o.Threads}, j.o.Quiet)
	if ctx.Err() != nil {
		// Training is done: keep it, so that only the classes are redone.
		if cerr := j.writeCheckpoint(j.trainer.State()); cerr != nil {
			return fmt.Errorf("interrupted while finding word classes, and saving the checkpoint failed: %w", cerr)
		}
		return failure.Interruptedf(ctx, "interrupted while finding word classes; %s was not written; the trained vectors are in the checkpoint %s; continue with: %s --classes %d",
			j.o.Output, j.o.Checkpoint, j.resumeHint(), j.o.Classes)
	}
	if err != nil {
		return err
	}
	return export.WriteClasses(out, j.voc.Words(), c.Class)
}

// chooseFormat settles the output's format: --binary if given (or, on a
// resume without -o, the checkpoint's choice), else what the output's name
// asks for, else text.
func (j *trainJob) chooseFormat(resumed bool) error {
	o := &j.o
	var explicit vecfile.Format
	if o.BinaryGiven || resumed && !o.OutputGiven {
		explicit = vecfile.Text
		if o.Binary {
			explicit = vecfile.Binary
		}
	}
	warn := func(format string, args ...any) { fmt.Fprintf(j.s.Err, "w2v: warning: "+format+"\n", args...) }
	f, err := vecfile.ChooseFormat(o.Output, explicit, vecfile.Text, warn)
	if err != nil {
		return failure.Usagef("%w", err)
	}
	if f.Format == vecfile.Native {
		return failure.Usagef("train writes word2vec text or binary; write %s.bin, then make the native model with: w2v convert %s.bin -o %s",
			strings.TrimSuffix(o.Output, filepath.Ext(o.Output)), strings.TrimSuffix(o.Output, filepath.Ext(o.Output)), o.Output)
	}
	o.Format, o.Binary = f, f.Format == vecfile.Binary
	return j.checkFastTextOutput()
}

// buildVocab reads or counts the vocabulary.
func (j *trainJob) buildVocab(ctx context.Context, topts corpus.Options) error {
	o := j.o
	if o.ReadVocab != "" {
		var err error
		if j.voc, err = readVocabFile(o.ReadVocab, o.MinCount, o.MaxVocab); err != nil {
			return err
		}
		j.say("vocab: %s words with count ≥ %d read from %s", report.Thousands(j.voc.Len()), o.MinCount, o.ReadVocab)
	} else {
		if o.MaxDistinct < 1 || o.MaxDistinct > vocab.MaxWords {
			return failure.Usagef("--max-distinct must be between 1 and %d, got %d", vocab.MaxWords, o.MaxDistinct)
		}
		t0 := time.Now()
		counter, err := countWords(ctx, j.s, j.shards, vocab.CountOptions{MaxDistinct: o.MaxDistinct, Corpus: topts}, o.Quiet)
		if err != nil {
			return err
		}
		if counter.Pruned() > 0 {
			// Not a progress message: the vocabulary is not what the
			// corpus holds, so say it even with --quiet.
			fmt.Fprintf(j.s.Err, "w2v: warning: the corpus has more than %s distinct words (--max-distinct), so the rarest were pruned while counting (%s counts dropped, %s distinct words kept); a count may be up to %s too low\n",
				report.Thousands(o.MaxDistinct), report.Thousands(counter.Pruned()), report.Thousands(counter.Distinct()), report.Thousands(counter.MaxLoss()))
		}
		j.voc = counter.Build(o.MinCount, o.MaxVocab)
		j.say("vocab: %s words with count ≥ %d of %s distinct in %s tokens (%s)",
			report.Thousands(j.voc.Len()), o.MinCount, report.Thousands(counter.Distinct()), progress.Count(counter.Tokens()), report.Since(t0))
	}
	if j.voc.Len() == 0 {
		return fmt.Errorf("no word occurs at least %d times (--min-count); lower --min-count or train on a larger corpus", o.MinCount)
	}
	return nil
}

// allocate creates the model after checking that it fits in memory.
func (j *trainJob) allocate() error {
	if j.cfg.Subwords.Enabled() {
		return j.allocateSubwords()
	}
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
func countWords(ctx context.Context, s Streams, shards []corpus.Shard, opts vocab.CountOptions, quiet bool) (*vocab.Counter, error) {
	var total int64
	for _, sh := range shards {
		total += sh.Bytes()
	}
	var read atomic.Int64
	opts.Read = &read
	var counter *vocab.Counter
	err := progress.Run(s.Err, progress.Options{Total: total, Unit: "bytes", Desc: "vocab", Quiet: quiet},
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

func readVocabFile(path string, minCount int64, maxWords int) (*vocab.Vocab, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return vocab.Read(f, path, minCount, maxWords)
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

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

func defaultCheckpoint(output string) string {
	if output == "-" || !isRegularOrMissing(output) {
		return "w2v-train.ckpt"
	}
	return output + ".ckpt"
}
