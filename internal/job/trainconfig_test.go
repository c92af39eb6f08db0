package job

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/skipgram"
)

// trainDefaults are the train command's flag defaults.
func trainDefaults() TrainOptions {
	d := skipgram.DefaultConfig()
	return TrainOptions{
		Model: "skipgram", Dim: d.Dim, Window: d.Window, Negative: d.Negative, Epochs: d.Epochs,
		Alpha: 0.025, Sample: d.Sample, Seed: d.Seed, MinCount: 5, MaxSentence: 1000, MaxWordBytes: 100,
		Loss: d.Loss.String(), Temperature: d.Temperature, Subwords: DefaultSubwordOptions(),
	}
}

func TestTrainOptionsConfig(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*TrainOptions)
		wantErr string // empty: valid
		check   func(*testing.T, TrainOptions, skipgram.Config)
	}{
		{name: "defaults", change: func(*TrainOptions) {}, check: func(t *testing.T, o TrainOptions, c skipgram.Config) {
			if o.Threads != runtime.NumCPU() {
				t.Errorf("Threads = %d, want the CPUs, %d", o.Threads, runtime.NumCPU())
			}
			if c.Arch != skipgram.SkipGram || c.Dim != 100 || c.Window != 5 || c.Alpha != 0.025 {
				t.Errorf("config %+v does not carry the options", c)
			}
			if !c.SharedNegatives || !o.SharedNegatives {
				t.Errorf("skipgram with negatives: shared negatives off (config %v, options %v), want on by default", c.SharedNegatives, o.SharedNegatives)
			}
			if c.Subwords.Enabled() {
				t.Errorf("subwords on without being asked for")
			}
		}},
		{name: "shared negatives given off stay off", change: func(o *TrainOptions) { o.SharedNegativesGiven = true }, check: func(t *testing.T, o TrainOptions, c skipgram.Config) {
			if c.SharedNegatives || o.SharedNegatives {
				t.Errorf("--shared-negatives=false given, config has %v", c.SharedNegatives)
			}
		}},
		{name: "cbow has no shared negatives", change: func(o *TrainOptions) { o.Model = "cbow" }, check: func(t *testing.T, o TrainOptions, c skipgram.Config) {
			if c.Arch != skipgram.CBOW || c.SharedNegatives {
				t.Errorf("cbow: arch %v, shared negatives %v", c.Arch, c.SharedNegatives)
			}
		}},
		{name: "threads kept", change: func(o *TrainOptions) { o.Threads = 3 }, check: func(t *testing.T, o TrainOptions, _ skipgram.Config) {
			if o.Threads != 3 {
				t.Errorf("Threads = %d, want 3", o.Threads)
			}
		}},
		{name: "subwords", change: func(o *TrainOptions) { o.Subwords.On = true }, check: func(t *testing.T, _ TrainOptions, c skipgram.Config) {
			if !c.Subwords.Enabled() || c.Subwords.MinN != 3 || c.Subwords.MaxN != 6 {
				t.Errorf("subwords: got %+v, want fastText's n-grams 3 to 6", c.Subwords)
			}
		}},
		{name: "negative threads", change: func(o *TrainOptions) { o.Threads = -1 }, wantErr: "--threads must be 0 (all CPUs) or more, got -1"},
		{name: "min-count 0", change: func(o *TrainOptions) { o.MinCount = 0 }, wantErr: "--min-count must be at least 1, got 0"},
		{name: "negative max-vocab", change: func(o *TrainOptions) { o.MaxVocab = -2 }, wantErr: "--max-vocab must be 0 (no limit) or more, got -2"},
		{name: "max-sentence 0", change: func(o *TrainOptions) { o.MaxSentence = 0 }, wantErr: "--max-sentence must be at least 1, got 0"},
		{name: "max-word-bytes 3", change: func(o *TrainOptions) { o.MaxWordBytes = 3 }, wantErr: "--max-word-bytes must be at least 4, got 3"},
		{name: "negative checkpoint-every", change: func(o *TrainOptions) { o.CheckpointEvery = -1 }, wantErr: "--checkpoint-every must not be negative"},
		{name: "unknown model", change: func(o *TrainOptions) { o.Model = "glove" }, wantErr: "--model: "},
		{name: "unknown loss", change: func(o *TrainOptions) { o.Loss = "hinge" }, wantErr: "--loss: "},
		{name: "bad subwords", change: func(o *TrainOptions) { o.Subwords.On, o.Subwords.MinN = true, 0 }, wantErr: "--"},
		{name: "invalid config", change: func(o *TrainOptions) { o.Dim = 0 }, wantErr: "--"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := trainDefaults()
			tt.change(&o)
			cfg, err := o.Config()
			if tt.wantErr != "" {
				var ue failure.UsageError
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) || !errors.As(err, &ue) {
					t.Fatalf("Config() error = %v, want a usage error starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Config(): %v", err)
			}
			tt.check(t, o, cfg)
		})
	}
}

func TestTrainOptionsResolveSubwords(t *testing.T) {
	tests := []struct {
		name      string
		change    func(*TrainOptions)
		changed   []string // flags set
		wantErr   string
		wantOn    bool
		wantAlpha float64
		wantOut   string
		wantBin   bool
	}{
		{name: "nothing", wantAlpha: 0.025, wantOut: "vectors.txt"},
		{name: "--subwords takes fastText's alpha", change: func(o *TrainOptions) { o.Subwords.On = true }, changed: []string{"subwords"},
			wantOn: true, wantAlpha: subwordAlpha, wantOut: "vectors.txt"},
		{name: "--minn implies subwords", changed: []string{"minn"}, wantOn: true, wantAlpha: subwordAlpha, wantOut: "vectors.txt"},
		{name: "--alpha given wins", change: func(o *TrainOptions) { o.Subwords.On, o.Alpha = true, 0.1 }, changed: []string{"subwords", "alpha"},
			wantOn: true, wantAlpha: 0.1, wantOut: "vectors.txt"},
		{name: "--subwords=false with --buckets stays off", changed: []string{"subwords", "buckets"}, wantAlpha: 0.025, wantOut: "vectors.txt"},
		{name: "--format binary", change: func(o *TrainOptions) { o.Subwords.Format = "binary" }, changed: []string{"format"},
			wantAlpha: 0.025, wantOut: "vectors.txt", wantBin: true},
		{name: "--format fasttext names the output", change: func(o *TrainOptions) { o.Subwords.Format = "fasttext" }, changed: []string{"format"},
			wantAlpha: 0.025, wantOut: "vectors.bin"},
		{name: "--format fasttext keeps -o", change: func(o *TrainOptions) { o.Subwords.Format, o.Output = "fasttext", "m.bin" }, changed: []string{"format", "output"},
			wantAlpha: 0.025, wantOut: "m.bin"},
		{name: "--format bogus", change: func(o *TrainOptions) { o.Subwords.Format = "glove" }, changed: []string{"format"},
			wantErr: `--format "glove": want text, binary or fasttext`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := trainDefaults()
			o.Output = "vectors.txt"
			if tt.change != nil {
				tt.change(&o)
			}
			changed := func(name string) bool {
				return slices.Contains(tt.changed, name)
			}
			err := o.ResolveSubwords(changed)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ResolveSubwords() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ResolveSubwords(): %v", err)
			}
			if o.Subwords.On != tt.wantOn || o.Alpha != tt.wantAlpha || o.Output != tt.wantOut || o.Binary != tt.wantBin {
				t.Errorf("got subwords %v, alpha %v, output %q, binary %v; want %v, %v, %q, %v",
					o.Subwords.On, o.Alpha, o.Output, o.Binary, tt.wantOn, tt.wantAlpha, tt.wantOut, tt.wantBin)
			}
			if tt.wantBin && !o.BinaryGiven {
				t.Errorf("--format binary: BinaryGiven false, so the output's name would win")
			}
		})
	}
}
