package progress

import (
	"bytes"
	"strings"
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
	b := New(&buf, Options{Total: 10, Unit: "x", Desc: "d", Interval: time.Hour})
	for i := range int64(10) {
		b.Set(i, "")
	}
	if buf.Len() != 0 {
		t.Fatalf("printed %q within the interval", buf.String())
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
