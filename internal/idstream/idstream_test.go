package idstream

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/skipgram"
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
	for pass := range 3 {
		if g := readPass(t, src, make([]int32, 0, 8)); g != want {
			t.Errorf("pass %d: got %s, want %s", pass, g, want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("cache file left visible in %s: %d entries", dir, len(ents))
	}
}

// TestSentencesEndAtOutOfVocabularyWords checks that a sentence boundary
// whose first word is not in the vocabulary still separates the words before
// and after it: the trainer's windows never span two sentences.
func TestSentencesEndAtOutOfVocabularyWords(t *testing.T) {
	v := vocab.New([]string{"the", "cat", "sat", "went", "home"}, []int64{5, 4, 3, 2, 1})
	tests := []struct {
		name, text  string
		maxSentence int
		want        string
	}{
		{"line starts with an unknown word", "the cat sat\nzyzzyva went home\n", 0, "[0 1 2] [3 4]"},
		{"several unknown words at a line start", "the cat\nzz yy sat\n", 0, "[0 1] [2]"},
		{"a line of unknown words only", "the\nzz yy\ncat\n", 0, "[0] [1]"},
		{"a --max-sentence cut on an unknown word", "the cat zz sat went", 2, "[0 1] [2] [3]"},
		{"unknown word inside a line", "the zz cat\n", 0, "[0 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sentences(t, tt.text, v, corpus.Options{MaxSentence: tt.maxSentence}); got != tt.want {
				t.Errorf("sentences = %s, want %s", got, tt.want)
			}
		})
	}
}

// recorder passes a Source's sentences to the trainer and keeps a copy: the
// trainer's windows never reach past the sentence they are in.
type recorder struct {
	*Source
	seen [][]int32
}

func (r *recorder) Next(buf []int32) ([]int32, error) {
	sen, err := r.Source.Next(buf)
	if err == nil {
		r.seen = append(r.seen, slices.Clone(sen))
	}
	return sen, err
}

// TestTrainerSeesNoWindowAcrossLines trains on a corpus whose second line
// starts with a word under the minimum count and checks that no sentence the
// trainer is given, and so no window, holds words of both lines.
func TestTrainerSeesNoWindowAcrossLines(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.txt")
	text := strings.Repeat("the cat sat\nzyzzyva went home\n", 20)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	v := vocab.New([]string{"the", "cat", "sat", "went", "home"}, []int64{20, 20, 20, 20, 20})
	inputs, closer, err := corpus.Inputs([]string{p}, nil, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	shards, err := corpus.Split(inputs, 1)
	if err != nil {
		t.Fatal(err)
	}
	src, err := New(shards[0], v, corpus.Options{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rec := &recorder{Source: src}
	cfg := skipgram.DefaultConfig()
	cfg.Dim, cfg.Epochs, cfg.Sample = 4, 2, 0
	tr, err := skipgram.NewTrainer(cfg, skipgram.NewModel(v.Len(), cfg), v.Counts())
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Train(context.Background(), []skipgram.Source{rec}, nil); err != nil {
		t.Fatal(err)
	}
	if len(rec.seen) != 2*40 {
		t.Errorf("the trainer was given %d sentences in 2 passes of 40 lines", len(rec.seen))
	}
	for _, sen := range rec.seen {
		if slices.Contains(sen, 2) && slices.Contains(sen, 3) { // sat, went
			t.Fatalf("the trainer was given %v: \"sat\" and \"went\" share a window", sen)
		}
	}
}

// sentences returns the sentences of text's first and second pass, which
// must agree, as "[ids] [ids] …".
func sentences(t *testing.T, text string, v *vocab.Vocab, opts corpus.Options) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "c.txt")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, closer, err := corpus.Inputs([]string{p}, nil, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	shards, err := corpus.Split(inputs, 1)
	if err != nil {
		t.Fatal(err)
	}
	src, err := New(shards[0], v, opts, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var passes [2]string
	for pass := range passes {
		passes[pass] = readPass(t, src, nil)
	}
	if passes[0] != passes[1] {
		t.Errorf("the text pass read %s, the cache pass %s", passes[0], passes[1])
	}
	return passes[0]
}

func TestSkip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.txt")
	os.WriteFile(p, []byte("a b\nc\nb a\nc c"), 0o644)
	v := vocab.New([]string{"a", "b", "c"}, []int64{2, 2, 3})
	inputs, closer, err := corpus.Inputs([]string{p}, nil, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	shards, _ := corpus.Split(inputs, 1)
	for _, tc := range []struct {
		pass int
		skip int64
		want string
	}{{0, 0, "[0 1]"}, {0, 2, "[1 0]"}, {1, 0, "[0 1]"}, {2, 3, "[2 2]"}} {
		src, err := New(shards[0], v, corpus.Options{}, dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := src.Skip(tc.pass, tc.skip); err != nil {
			t.Fatal(err)
		}
		sen, err := src.Next(nil)
		if err != nil || fmt.Sprint(sen) != tc.want {
			t.Errorf("Skip(%d, %d): next sentence %v, %v; want %s", tc.pass, tc.skip, sen, err, tc.want)
		}
		src.Close()
	}
	src, _ := New(shards[0], v, corpus.Options{}, dir)
	defer src.Close()
	if err := src.Skip(0, 9); err == nil {
		t.Error("skipping past the end of the corpus did not fail")
	}
}

// readPass reads one pass of src, sentences printed as id lists and joined
// by spaces, and rewinds it for the next.
func readPass(t *testing.T, src *Source, buf []int32) string {
	t.Helper()
	var got []string
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
	if err := src.Rewind(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(got, " ")
}
