package progress

import (
	"bytes"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPlainLines(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Options{Total: 1000, Unit: "words", Desc: "train", Interval: time.Nanosecond})
	time.Sleep(time.Millisecond)
	b.Set(500, "lr 0.0125")
	b.Finish()
	line := buf.String()
	for _, want := range []string{"train:", "50.0%", "500/1000 words", "words/s", "ETA", "lr 0.0125"} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
}

func TestPlainLinesAreThrottled(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Options{Total: 10, Start: 2, Unit: "x", Desc: "d", Interval: time.Hour})
	b.Set(2, "")
	if buf.Len() != 0 {
		t.Fatalf("printed %q before any work was done", buf.String())
	}
	for i := int64(3); i < 10; i++ {
		b.Set(i, "")
	}
	// One line as soon as work is under way, then nothing within the interval.
	if got := buf.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "d:  30.0% 3/10 x") {
		t.Fatalf("printed %q, want one line at 3 of 10", got)
	}
}

// A live bar shows the counter the job advances, formatted as summaries
// are, and ends on the final count: 100 % for a finished job.
func TestLiveBarEndsOnFinalCount(t *testing.T) {
	var buf bytes.Buffer
	var done atomic.Int64
	const total = 588_200
	err := run(&buf, Options{Total: total, Unit: "words", Desc: "train"}, true,
		func() (int64, string) { return done.Load(), "lr 0.00001" },
		func() error {
			for range 10 {
				done.Add(total / 10)
				time.Sleep(pollInterval / 4)
			}
			done.Store(total)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("live bar not ended with a newline: %q", out)
	}
	draws := strings.Split(strings.TrimSuffix(out, "\n"), "\r")
	last := draws[len(draws)-1]
	for _, want := range []string{"train: 100.0% [####################] 588.2k/588.2k words", "M words/s", "lr 0.00001"} {
		if !strings.Contains(last, want) {
			t.Errorf("last draw %q lacks %q", last, want)
		}
	}
	if strings.Contains(last, "ETA") {
		t.Errorf("finished bar shows an ETA: %q", last)
	}
	if strings.Contains(out, "/hr") {
		t.Errorf("rate shown per hour: %q", out)
	}
}

func TestRunReturnsJobError(t *testing.T) {
	var buf bytes.Buffer
	want := errors.New("boom")
	if err := Run(&buf, Options{Quiet: true}, func() (int64, string) { return 0, "" }, func() error { return want }); err != want {
		t.Fatalf("Run returned %v, want %v", err, want)
	}
}

func TestQuiet(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Options{Total: 10, Quiet: true, Interval: time.Nanosecond})
	b.Set(5, "x")
	b.Finish()
	if buf.Len() != 0 {
		t.Fatalf("quiet bar printed %q", buf.String())
	}
}

func TestCountAndBytes(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Count(950), "950"}, {Count(12_345), "12.3k"}, {Count(4_560_000), "4.56M"}, {Count(7_890_000_000), "7.89G"},
		{Bytes(512), "512 B"}, {Bytes(3 << 20), "3.0 MiB"}, {Bytes(3 << 29), "1.50 GiB"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
