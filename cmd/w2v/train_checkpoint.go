package main

import (
	"fmt"
	"io"
	"os"

	"github.com/w2vtool/w2v/internal/atomicfile"
	"github.com/w2vtool/w2v/internal/checkpoint"
	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/vocab"
)

// writeCheckpoint saves the run's state atomically to the checkpoint path.
func (j *trainJob) writeCheckpoint(st skipgram.State) error {
	o := j.o
	job := checkpoint.Job{
		Output: o.output, Binary: o.binary, MinCount: o.minCount, MaxVocab: o.maxVocab,
		MaxSentence: o.maxSentence, MaxWordBytes: o.maxWordBytes, Threads: len(j.shards),
	}
	for _, in := range j.inputs {
		job.Inputs = append(job.Inputs, checkpoint.Input{Name: in.Name, Size: in.Size})
	}
	c := &checkpoint.Checkpoint{Job: job, Config: j.cfg, Words: j.voc.Words(), Counts: j.voc.Counts(), State: st, Model: j.model}
	return atomicfile.WriteFile(o.checkpoint, func(w io.Writer) error { return checkpoint.Write(w, c) })
}

// readCheckpoint reads a checkpoint file after checking it fits in memory.
func readCheckpoint(path string) (*checkpoint.Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if err := checkMemory(fi.Size(), "checkpoint "+path); err != nil {
		return nil, err
	}
	return checkpoint.Read(f, path, fi.Size())
}

// adoptCheckpoint takes the run's settings, vocabulary and model from c,
// keeping the options that may change on resume.
func (j *trainJob) adoptCheckpoint(c *checkpoint.Checkpoint) {
	o := &j.o
	if !o.outputGiven {
		o.output, o.binary = c.Job.Output, c.Job.Binary
	}
	o.minCount, o.maxVocab = c.Job.MinCount, c.Job.MaxVocab
	o.maxSentence, o.maxWordBytes, o.threads = c.Job.MaxSentence, c.Job.MaxWordBytes, c.Job.Threads
	j.cfg = c.Config
	j.voc = vocab.New(c.Words, c.Counts)
	j.model = c.Model
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
	}
	return nil
}
