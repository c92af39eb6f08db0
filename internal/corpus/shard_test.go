package corpus

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func TestSplitCoversEveryWordOnce(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var paths []string
	var want []string
	for f := range 3 {
		var sb strings.Builder
		for i := 0; i < 200+f*37; i++ {
			w := fmt.Sprintf("w%d_%d", f, rng.IntN(50))
			want = append(want, w)
			sb.WriteString(w)
			sb.WriteString([]string{" ", "  ", "\n", "\t"}[rng.IntN(4)])
		}
		// The last file ends without whitespace.
		text := sb.String()
		if f == 2 {
			text = strings.TrimRight(text, " \n\t")
		}
		p := filepath.Join(dir, fmt.Sprintf("f%d.txt", f))
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	inputs, closer, err := Inputs(paths, nil, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	for n := 1; n <= 9; n++ {
		shards, err := Split(inputs, n)
		if err != nil {
			t.Fatal(err)
		}
		if len(shards) != n {
			t.Fatalf("n=%d: got %d shards", n, len(shards))
		}
		var got []string
		for _, sh := range shards {
			r := NewShardReader(sh, Options{})
			for r.Scan() {
				got = append(got, string(r.Word()))
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("n=%d: words differ: got %d words, want %d", n, len(got), len(want))
		}
	}
}

func TestSplitSingleLineBalanced(t *testing.T) {
	p := filepath.Join(t.TempDir(), "one.txt")
	text := strings.TrimSpace(strings.Repeat("alpha beta gamma ", 10000))
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	shards, err := Split(mustInputs(t, p), 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, sh := range shards {
		if b := sh.Bytes(); b < int64(len(text))/4-20 || b > int64(len(text))/4+20 {
			t.Errorf("shard %d has %d bytes of %d", i, b, len(text))
		}
	}
}

func mustInputs(t *testing.T, paths ...string) []*Input {
	t.Helper()
	inputs, closer, err := Inputs(paths, nil, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closer.Close() })
	return inputs
}

func TestInputsErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.gz")
	os.WriteFile(bad, []byte("\x1f\x8b but no gzip header"), 0o644)
	var trunc bytes.Buffer
	zw := gzip.NewWriter(&trunc)
	zw.Write(bytes.Repeat([]byte("word "), 10000))
	zw.Close()
	truncated := filepath.Join(dir, "trunc.gz")
	os.WriteFile(truncated, trunc.Bytes()[:trunc.Len()/2], 0o644)
	tests := []struct{ path, want string }{
		{filepath.Join(dir, "missing.txt"), "does not exist"},
		{dir, "is a directory"},
		{bad, "bad.gz: gzip: invalid header (the gzip data is corrupt)"},
		{truncated, "trunc.gz: unexpected EOF (the file is truncated or corrupt)"},
	}
	for _, tt := range tests {
		_, _, err := Inputs([]string{tt.path}, nil, dir, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Inputs(%s) err = %v, want %q", tt.path, err, tt.want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("spool files left behind: %d entries in %s", len(ents), dir)
	}
}

func TestInputsSpoolGzipAndStdin(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, "alpha beta\ngamma")
	zw.Close()
	gz := filepath.Join(dir, "c.gz")
	os.WriteFile(gz, buf.Bytes(), 0o644)
	var seen atomic.Int64
	inputs, closer, err := Inputs([]string{gz, "-"}, strings.NewReader("delta epsilon"), dir, &seen)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	// Both sources are counted: the compressed file's bytes and stdin's 13.
	if got := seen.Load(); got != int64(buf.Len())+13 {
		t.Errorf("counted %d bytes read, want %d", got, buf.Len()+13)
	}
	shards, err := Split(inputs, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sh := range shards {
		r := NewShardReader(sh, Options{})
		for r.Scan() {
			got = append(got, string(r.Word()))
		}
	}
	if strings.Join(got, " ") != "alpha beta gamma delta epsilon" {
		t.Fatalf("got %q", got)
	}
	if inputs[1].Name != "standard input" {
		t.Errorf("stdin input named %q", inputs[1].Name)
	}
}

// Gzip data is known by its magic bytes whatever the file is called, and
// text named .gz is read as text.
func TestInputsDetectGzip(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, "alpha beta gamma")
	zw.Close()
	zipped := filepath.Join(dir, "zipped.txt")
	os.WriteFile(zipped, buf.Bytes(), 0o644)
	plain := filepath.Join(dir, "plain.gz")
	os.WriteFile(plain, []byte("delta epsilon"), 0o644)
	tests := []struct {
		name  string
		path  string
		stdin string
		want  string
	}{
		{"gzip named .txt", zipped, "", "alpha beta gamma"},
		{"gzip on standard input", "-", buf.String(), "alpha beta gamma"},
		{"text named .gz", plain, "", "delta epsilon"},
		{"one byte of text", "-", "\x1f", "\x1f"},
	}
	for _, tt := range tests {
		inputs, closer, err := Inputs([]string{tt.path}, strings.NewReader(tt.stdin), dir, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		shards, _ := Split(inputs, 1)
		var got []string
		r := NewShardReader(shards[0], Options{})
		for r.Scan() {
			got = append(got, string(r.Word()))
		}
		closer.Close()
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s: read %q, want %q", tt.name, g, tt.want)
		}
	}
}

func TestShardReaderRewind(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.txt")
	os.WriteFile(p, []byte("a b c\nd"), 0o644)
	shards, _ := Split(mustInputs(t, p), 1)
	r := NewShardReader(shards[0], Options{})
	for pass := range 2 {
		var got []string
		for r.Scan() {
			got = append(got, string(r.Word()))
		}
		if strings.Join(got, "") != "abcd" {
			t.Fatalf("pass %d: %v", pass, got)
		}
		r.Rewind()
	}
}
