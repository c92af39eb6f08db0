package job

import (
	"math"
	"runtime"
	"testing"
)

func TestPhrasesOptionsCheck(t *testing.T) {
	valid := PhrasesOptions{Output: "p.txt", Threshold: 100, MinCount: 5, Threads: 2, MaxEntries: 1000, MaxWordBytes: 100}
	tests := []struct {
		name        string
		change      func(*PhrasesOptions)
		err         string // the usage error's text; empty: valid
		wantThreads int
	}{
		{name: "valid", change: func(*PhrasesOptions) {}, wantThreads: 2},
		{name: "threads 0 is all CPUs", change: func(o *PhrasesOptions) { o.Threads = 0 }, wantThreads: runtime.NumCPU()},
		{name: "threshold 0", change: func(o *PhrasesOptions) { o.Threshold = 0 }, err: "--threshold must be a positive number, got 0"},
		{name: "threshold NaN", change: func(o *PhrasesOptions) { o.Threshold = math.NaN() }, err: "--threshold must be a positive number, got NaN"},
		{name: "threshold +Inf", change: func(o *PhrasesOptions) { o.Threshold = math.Inf(1) }, err: "--threshold must be a positive number, got +Inf"},
		{name: "min-count 0", change: func(o *PhrasesOptions) { o.MinCount = 0 }, err: "--min-count must be at least 1, got 0"},
		{name: "negative threads", change: func(o *PhrasesOptions) { o.Threads = -1 }, err: "--threads must be 0 (all CPUs) or more, got -1"},
		{name: "max-entries 0", change: func(o *PhrasesOptions) { o.MaxEntries = 0 }, err: "--max-entries must be at least 1, got 0"},
		{name: "max-word-bytes 3", change: func(o *PhrasesOptions) { o.MaxWordBytes = 3 }, err: "--max-word-bytes must be at least 4, got 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid
			tt.change(&o)
			err := o.Check()
			if !matches(err, tt.err, true) || (err != nil && err.Error() != tt.err) {
				t.Fatalf("Check() error %v, want the usage error %q", err, tt.err)
			}
			if err == nil && o.Threads != tt.wantThreads {
				t.Errorf("Threads = %d, want %d", o.Threads, tt.wantThreads)
			}
		})
	}
}
