package job

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/w2vtool/w2v/internal/atomicfile"
	"github.com/w2vtool/w2v/internal/checkpoint"
	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/memstat"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/subword"
	"github.com/w2vtool/w2v/internal/vocab"
)

// writeCheckpoint saves the run's state atomically to the checkpoint path.
func (j *trainJob) writeCheckpoint(st skipgram.State) error {
	c, err := j.checkpointOf(st)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(j.o.Checkpoint, func(w io.Writer) error { return checkpoint.Write(w, c) })
}

// checkpointOf returns the run with training at st, as a checkpoint.
func (j *trainJob) checkpointOf(st skipgram.State) (*checkpoint.Checkpoint, error) {
	o := j.o
	job := checkpoint.Job{
		Output: o.Output, Binary: o.Binary, FastText: o.Subwords.FastText, MinCount: o.MinCount, MaxVocab: o.MaxVocab,
		MaxSentence: o.MaxSentence, MaxWordBytes: o.MaxWordBytes, Threads: len(j.shards),
		SaveModel: o.SaveModel, EpochWords: j.epochWords,
	}
	for _, in := range j.inputs {
		fp, err := checkpoint.Fingerprint(in.R, in.Size)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", in.Name, err)
		}
		job.Inputs = append(job.Inputs, checkpoint.Input{Name: in.Name, Size: in.Size, Sample: fp})
	}
	return &checkpoint.Checkpoint{Job: job, Config: j.cfg, Words: j.voc.Words(), Counts: j.voc.Counts(), State: st, Model: j.model}, nil
}

// readCheckpoint reads a checkpoint file after checking it fits in memory.
func readCheckpoint(path string) (*checkpoint.Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("resume: checkpoint %s not found", path)
		}
		return nil, fmt.Errorf("resume: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if err := memstat.Check(fi.Size(), "checkpoint "+path); err != nil {
		return nil, err
	}
	return checkpoint.Read(f, path, fi.Size())
}

// adoptCheckpoint takes the run's settings, vocabulary and model from c,
// keeping the options that may change on resume.
func (j *trainJob) adoptCheckpoint(c *checkpoint.Checkpoint) {
	o := &j.o
	if !o.OutputGiven {
		o.Output, o.Binary, o.Subwords.FastText = c.Job.Output, c.Job.Binary, c.Job.FastText
	}
	o.MinCount, o.MaxVocab = c.Job.MinCount, c.Job.MaxVocab
	o.MaxSentence, o.MaxWordBytes, o.Threads = c.Job.MaxSentence, c.Job.MaxWordBytes, c.Job.Threads
	if !contains(o.Typed, "save-model") {
		o.SaveModel = c.Job.SaveModel
	}
	j.cfg = c.Config
	j.voc = vocab.New(c.Words, c.Counts)
	j.model = c.Model
	j.epochWords = c.Job.EpochWords
}

// sameInputs checks that a resumed run reads the corpus it started on.
func sameInputs(was []checkpoint.Input, now []*corpus.Input) error {
	if len(was) != len(now) {
		return fmt.Errorf("resume: the checkpoint was trained on %d corpus files, got %d", len(was), len(now))
	}
	for i, in := range now {
		if in.Size != was[i].Size {
			return fmt.Errorf("resume: corpus %s has %d bytes but %s had %d when the checkpoint was made; has it changed?",
				in.Name, in.Size, was[i].Name, was[i].Size)
		}
		if was[i].Sample == 0 {
			continue // an older checkpoint, without fingerprints
		}
		fp, err := checkpoint.Fingerprint(in.R, in.Size)
		if err != nil {
			return fmt.Errorf("resume: read %s: %w", in.Name, err)
		}
		if fp != was[i].Sample {
			return fmt.Errorf("resume: corpus %s differs from %s when the checkpoint was made (same size, different content)",
				in.Name, was[i].Name)
		}
	}
	return nil
}

// stdinName is the name corpus.Inputs gives standard input.
const stdinName = "standard input"

// checkpointInputs returns the corpus files a checkpoint was made from, for a
// resume that names none. Standard input cannot be reopened, so a run that
// read it must be given it again.
func checkpointInputs(path string, c *checkpoint.Checkpoint) ([]string, error) {
	var files []string
	for _, in := range c.Job.Inputs {
		if in.Name == stdinName {
			return nil, failure.Usagef("the checkpoint was trained on standard input; give the same corpus again: %s",
				resumeCommand(path, c.Job.Inputs))
		}
		files = append(files, in.Name)
	}
	return files, nil
}

// resumeHint is the command that continues this run from its checkpoint.
func (j *trainJob) resumeHint() string {
	var ins []checkpoint.Input
	for _, in := range j.inputs {
		ins = append(ins, checkpoint.Input{Name: in.Name})
	}
	return resumeCommand(j.o.Checkpoint, ins)
}

// resumeCommand is the command line that resumes from the checkpoint at
// path, made from inputs: the checkpoint alone finds files again, but
// standard input has to be named ("-") and redirected.
func resumeCommand(path string, inputs []checkpoint.Input) string {
	cmd := "w2v train --resume " + shellQuote(path)
	var args []string
	stdin := false
	for _, in := range inputs {
		if in.Name == stdinName {
			stdin = true
			args = append(args, "-")
		} else {
			args = append(args, shellQuote(in.Name))
		}
	}
	if !stdin {
		return cmd
	}
	return cmd + " " + strings.Join(args, " ") + " < CORPUS"
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// characters that need no quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./,+=:@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// resumableFlags may be typed with --resume whatever their value; every
// other setting comes from the checkpoint and may be typed only with the
// checkpoint's value (a command line repeated with --resume added).
var resumableFlags = []string{"output", "binary", "quiet", "classes", "checkpoint", "checkpoint-every", "save-vocab", "save-model", "resume", "config", "cpuprofile", "json"}

// checkResumeFlags refuses flags typed on the command line that would change
// a setting the checkpoint fixes. Values from the config file or environment
// are not the user's request for this run, so the checkpoint's win silently.
func checkResumeFlags(o TrainOptions, c *checkpoint.Checkpoint) error {
	for _, name := range o.Typed {
		if contains(resumableFlags, name) {
			continue
		}
		if was, same := checkpointSetting(name, o, c); !same {
			return failure.Usagef("--%s cannot change when resuming: the checkpoint has %s; leave the flag out", name, was)
		}
	}
	return nil
}

// checkpointSetting returns the value the checkpoint holds for the setting
// of flag name, and whether o's value equals it.
func checkpointSetting(name string, o TrainOptions, c *checkpoint.Checkpoint) (was string, same bool) {
	cfg, job := c.Config, c.Job
	switch name {
	case "model":
		arch, err := skipgram.ParseArch(o.Model)
		return cfg.Arch.String(), err == nil && arch == cfg.Arch
	case "hs":
		return fmt.Sprint(cfg.HS), o.HS == cfg.HS
	case "dim":
		return fmt.Sprint(cfg.Dim), o.Dim == cfg.Dim
	case "window":
		return fmt.Sprint(cfg.Window), o.Window == cfg.Window
	case "negative":
		return fmt.Sprint(cfg.Negative), o.Negative == cfg.Negative
	case "epochs":
		return fmt.Sprint(cfg.Epochs), o.Epochs == cfg.Epochs
	case "alpha":
		return fmt.Sprint(cfg.Alpha), o.Alpha == cfg.Alpha
	case "sample":
		return fmt.Sprint(cfg.Sample), o.Sample == cfg.Sample
	case "seed":
		return fmt.Sprint(cfg.Seed), o.Seed == cfg.Seed
	case "shared-negatives":
		return fmt.Sprint(cfg.SharedNegatives), o.SharedNegatives == cfg.SharedNegatives
	case "loss":
		loss, err := skipgram.ParseLoss(o.Loss)
		return cfg.Loss.String(), err == nil && loss == cfg.Loss
	case "temperature":
		return fmt.Sprint(cfg.Temperature), o.Temperature == cfg.Temperature
	case "min-count":
		return fmt.Sprint(job.MinCount), o.MinCount == job.MinCount
	case "max-vocab":
		return fmt.Sprint(job.MaxVocab), o.MaxVocab == job.MaxVocab
	case "max-sentence":
		return fmt.Sprint(job.MaxSentence), o.MaxSentence == job.MaxSentence
	case "max-word-bytes":
		return fmt.Sprint(job.MaxWordBytes), o.MaxWordBytes == job.MaxWordBytes
	case "subwords", "minn", "maxn", "buckets":
		return subwordSetting(name, o, cfg.Subwords)
	case "format":
		was := map[bool]string{false: "text", true: "binary"}[job.Binary]
		if job.FastText {
			was = "fasttext"
		}
		return was, o.Subwords.Format == was
	case "threads":
		n := o.Threads
		if n == 0 {
			n = runtime.NumCPU()
		}
		return fmt.Sprint(job.Threads), n == job.Threads
	}
	return "its own vocabulary and settings", false
}

// subwordSetting is checkpointSetting for the subword flags: a typed value
// must ask for the n-grams the checkpoint was trained with.
func subwordSetting(name string, o TrainOptions, c subword.Config) (was string, same bool) {
	switch name {
	case "subwords":
		return fmt.Sprint(c.Enabled()), o.Subwords.On == c.Enabled()
	case "minn":
		return fmt.Sprint(c.MinN), o.Subwords.MinN == c.MinN
	case "maxn":
		return fmt.Sprint(c.MaxN), o.Subwords.MaxN == c.MaxN
	}
	return fmt.Sprint(c.Buckets), o.Subwords.Buckets == c.Buckets
}
