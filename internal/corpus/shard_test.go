package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSplitCoversEveryWordOnce(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var paths []string
	var want []string
	for f := 0; f < 3; f++ {
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
	for n := 1; n <= 9; n++ {
		shards, err := Split(paths, n)
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
			r.Close()
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
	shards, err := Split([]string{p}, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, sh := range shards {
		if b := sh.Bytes(); b < int64(len(text))/4-20 || b > int64(len(text))/4+20 {
			t.Errorf("shard %d has %d bytes of %d", i, b, len(text))
		}
	}
}

func TestSplitRejectsDirectory(t *testing.T) {
	if _, err := Split([]string{t.TempDir()}, 2); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v", err)
	}
}

func TestShardReaderRewind(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.txt")
	os.WriteFile(p, []byte("a b c\nd"), 0o644)
	shards, _ := Split([]string{p}, 1)
	r := NewShardReader(shards[0], Options{})
	defer r.Close()
	for pass := 0; pass < 2; pass++ {
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
