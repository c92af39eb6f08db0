package idstream

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/vocab"
)

func TestPassesAgree(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.txt")
	text := "a b zz c\nc a\n\nzz\nb b b a c"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	v := vocab.New([]string{"a", "b", "c"}, []int64{3, 4, 3})
	inputs, closer, err := corpus.Inputs([]string{p}, nil, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	shards, err := corpus.Split(inputs, 1)
	if err != nil {
		t.Fatal(err)
	}
	src, err := New(shards[0], v, corpus.Options{MaxSentence: 4}, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	// "zz" is not in the vocabulary; the last line is cut after 4 tokens.
	want := "[0 1 2] [2 0] [1 1 1 0] [2]"
	for pass := 0; pass < 3; pass++ {
		var got []string
		buf := make([]int32, 0, 8)
		for {
			sen, err := src.Next(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprint(sen))
		}
		if g := strings.Join(got, " "); g != want {
			t.Errorf("pass %d: got %s, want %s", pass, g, want)
		}
		if err := src.Rewind(); err != nil {
			t.Fatal(err)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("cache file left visible in %s: %d entries", dir, len(ents))
	}
}
