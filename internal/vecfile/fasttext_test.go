package vecfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/w2vtool/w2v/internal/subword"
)

// synthFastText returns a small skip-gram model with random rows: 5 words,
// 4 dimensions, n-grams of 3 to 4 characters in 50 buckets.
func synthFastText(seed uint64) *FastText {
	r := rand.New(rand.NewPCG(seed, 1))
	a := DefaultFastTextArgs(4)
	a.Bucket, a.MinN, a.MaxN = 50, 3, 4
	m := &FastText{Args: a,
		Words:  []string{"</s>", "the", "cat", "sat", "naïve"},
		Counts: []int64{9, 7, 5, 5, 5},
		Tokens: 31,
	}
	m.Input = make([]float32, m.InputRows()*m.Dim())
	m.Output = make([]float32, len(m.Words)*m.Dim())
	for i := range m.Input {
		m.Input[i] = r.Float32() - 0.5
	}
	for i := range m.Output {
		m.Output[i] = r.Float32() - 0.5
	}
	return m
}

func encodeFastText(t testing.TB, m *FastText) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteFastText(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFastTextRoundTrip(t *testing.T) {
	m := synthFastText(1)
	data := encodeFastText(t, m)
	got, err := ReadFastText(bytes.NewReader(data), "m.bin")
	if err != nil {
		t.Fatal(err)
	}
	unindex(got)
	unindex(m)
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("read back %+v\nwrote %+v", got, m)
	}
	if again := encodeFastText(t, got); !bytes.Equal(again, data) {
		t.Fatal("writing the model read back gives different bytes")
	}
	// OpenFastText, which knows the file's length, reads the same.
	path := filepath.Join(t.TempDir(), "m.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	opened, err := OpenFastText(path)
	if err != nil {
		t.Fatal(err)
	}
	unindex(opened)
	if !reflect.DeepEqual(opened, m) {
		t.Fatal("OpenFastText reads a different model than ReadFastText")
	}
}

// unindex forgets m's lookup table, for comparing models.
func unindex(m *FastText) {
	m.indexOnce = sync.Once{}
	m.index = nil
}

// TestFastTextWordVector works the vectors out from the rows by hand.
func TestFastTextWordVector(t *testing.T) {
	m := synthFastText(2)
	dim, nw := m.Dim(), len(m.Words)
	row := func(r int) []float32 { return m.Input[r*dim : (r+1)*dim] }
	bucket := func(s string) int { return nw + int(subword.Hash(s)%50) }
	mean := func(rows ...int) []float32 {
		out := make([]float32, dim)
		for _, r := range rows {
			for j, x := range row(r) {
				out[j] += x
			}
		}
		for j := range out {
			out[j] *= 1 / float32(len(rows))
		}
		return out
	}
	tests := []struct {
		word  string
		known bool
		want  []float32
	}{
		// "<cat>": 3-grams <ca cat at>, 4-grams <cat cat>, after its own row 2.
		{"cat", true, mean(2, bucket("<ca"), bucket("<cat"), bucket("cat"), bucket("cat>"), bucket("at>"))},
		// An unseen word: its n-grams alone.
		{"dog", false, mean(bucket("<do"), bucket("<dog"), bucket("dog"), bucket("dog>"), bucket("og>"))},
		// fastText gives its end-of-sentence token no n-grams.
		{"</s>", true, mean(0)},
		// n-grams count characters: "ï" is one.
		{"ïx", false, mean(bucket("<ïx"), bucket("<ïx>"), bucket("ïx>"))},
		// Too short for a 3-gram besides the wrapped word itself.
		{"a", false, mean(bucket("<a>"))},
	}
	for _, tt := range tests {
		got := make([]float32, dim)
		known := m.WordVector(got, tt.word)
		if known != tt.known || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("WordVector(%q) = %v, %v; want %v, %v", tt.word, got, known, tt.want, tt.known)
		}
	}
	// SubwordVector leaves the word's own row out.
	got := make([]float32, dim)
	if !m.SubwordVector(got, "cat") {
		t.Fatal("SubwordVector(cat) found no n-grams")
	}
	if want := mean(bucket("<ca"), bucket("<cat"), bucket("cat"), bucket("cat>"), bucket("at>")); !reflect.DeepEqual(got, want) {
		t.Errorf("SubwordVector(cat) = %v; want %v", got, want)
	}
}

func TestFastTextPruned(t *testing.T) {
	m := synthFastText(3)
	m.Pruned = map[int32]int32{int32(subword.Hash("<ca") % 50): 0, int32(subword.Hash("at>") % 50): 1}
	m.Input = m.Input[:m.InputRows()*m.Dim()]
	got, err := ReadFastText(bytes.NewReader(encodeFastText(t, m)), "p.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Pruned, m.Pruned) {
		t.Fatalf("prune index %v; want %v", got.Pruned, m.Pruned)
	}
	// "cat" keeps its own row and the two n-grams the prune index keeps.
	rows := got.AppendRows(nil, "cat")
	if want := []int32{2, 5, 6}; !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows of cat %v; want %v", rows, want)
	}
}

func TestWriteFastTextRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*FastText)
		msg    string
	}{
		{"short input", func(m *FastText) { m.Input = m.Input[:len(m.Input)-1] }, "input matrix"},
		{"short output", func(m *FastText) { m.Output = m.Output[4:] }, "output matrix"},
		{"counts", func(m *FastText) { m.Counts = m.Counts[1:] }, "counts"},
		{"space", func(m *FastText) { m.Words[1] = "a b" }, "white space"},
		{"dim", func(m *FastText) { m.Args.Dim = 0 }, "dimension"},
	}
	for _, tt := range tests {
		m := synthFastText(4)
		tt.change(m)
		err := WriteFastText(&bytes.Buffer{}, m)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v; want one mentioning %q", tt.name, err, tt.msg)
		}
	}
}

// dictOffset returns the offset of the dictionary's first entry in an
// encoded model.
const dictOffset = fastTextHeadSize + 3*4 + 2*8

func TestReadFastTextErrors(t *testing.T) {
	m := synthFastText(5)
	good := encodeFastText(t, m)
	// The input matrix's header follows the quantization flag after the dictionary.
	var entries int
	for _, w := range m.Words {
		entries += len(w) + 1 + 8 + 1
	}
	inputAt := dictOffset + entries
	outputAt := inputAt + 1 + 16 + 4*len(m.Input)
	put32 := func(off int, x int32) func([]byte) {
		return func(b []byte) { binary.LittleEndian.PutUint32(b[off:], uint32(x)) }
	}
	put64 := func(off int, x int64) func([]byte) {
		return func(b []byte) { binary.LittleEndian.PutUint64(b[off:], uint64(x)) }
	}
	tests := []struct {
		name   string
		change func([]byte) []byte
		msg    string
	}{
		{"word2vec file", func([]byte) []byte { return []byte("3 2\nthe 1 2\n") }, "not a fastText .bin"},
		{"version 13", wrap(put32(4, 13)), "version 13"},
		{"dim 0", wrap(put32(8, 0)), "dimension 0"},
		{"loss 9", wrap(put32(8+6*4, 9)), "loss 9"},
		{"maxn < minn", wrap(put32(8+10*4, 2)), "n-gram lengths"},
		{"negative buckets", wrap(put32(8+8*4, -1)), "buckets"},
		{"dictionary too big for the file", wrap(put32(fastTextHeadSize, 1<<30)), "dictionary of"},
		{"nwords+nlabels != size", wrap(put32(fastTextHeadSize+4, 4)), "dictionary of"},
		{"prune index too big", wrap(put64(fastTextHeadSize+12+8, 51)), "pruned n-gram index"},
		{"label among the words", func(b []byte) []byte { b[dictOffset+len("</s>")+1+8] = 1; return b }, "type 1"},
		{"quantized input (.ftz)", func(b []byte) []byte { b[inputAt] = 1; return b }, ".ftz"},
		{"quantized output", func(b []byte) []byte { b[outputAt] = 1; return b }, "quantized"},
		{"bad flag", func(b []byte) []byte { b[inputAt] = 7; return b }, "quantization flag 7"},
		{"input rows lie", wrap(put64(inputAt+1, int64(len(m.Words))+49)), "input matrix of 54×4"},
		{"input rows huge", wrap(put64(inputAt+1, 1<<40)), "input matrix of"},
		{"output cols lie", wrap(put64(outputAt+1+8, 5)), "output matrix of 5×5"},
		{"trailing data", func(b []byte) []byte { return append(b, 0) }, "data after the output matrix"},
		{"truncated output", func(b []byte) []byte { return b[:len(b)-1] }, "truncated"},
		{"truncated input matrix", func(b []byte) []byte { return b[:inputAt+40] }, "truncated"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		data := tt.change(bytes.Clone(good))
		_, err := ReadFastText(bytes.NewReader(data), "bad.bin")
		checkFormatError(t, tt.name+" (ReadFastText)", err, "bad.bin", tt.msg)
		path := filepath.Join(dir, "bad.bin")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = OpenFastText(path)
		checkFormatError(t, tt.name+" (OpenFastText)", err, path, tt.msg)
		if tt.name != "word2vec file" {
			_, err = Open(path, Options{})
			checkFormatError(t, tt.name+" (Open)", err, path, tt.msg)
		}
	}
}

func wrap(f func([]byte)) func([]byte) []byte { return func(b []byte) []byte { f(b); return b } }

func checkFormatError(t *testing.T, name string, err error, file, msg string) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) || fe.File != file || !strings.Contains(err.Error(), msg) {
		t.Errorf("%s: error %v; want a FormatError for %s mentioning %q", name, err, file, msg)
	}
}

// TestReadFastTextTruncated cuts a model at every byte: each cut is an
// error naming the file, never a panic or a model.
func TestReadFastTextTruncated(t *testing.T) {
	good := encodeFastText(t, synthFastText(6))
	for n := range len(good) {
		_, err := ReadFastText(bytes.NewReader(good[:n]), "cut.bin")
		var fe *FormatError
		if !errors.As(err, &fe) || fe.File != "cut.bin" {
			t.Fatalf("cut at %d of %d bytes: error %v", n, len(good), err)
		}
		if n < 4 {
			continue // too short to be told from a word2vec file
		}
		_, err = decodeFastTextVectors(good[:n], "cut.bin", Options{})
		if !errors.As(err, &fe) || fe.File != "cut.bin" {
			t.Fatalf("vectors cut at %d of %d bytes: error %v", n, len(good), err)
		}
	}
}

// TestReadFastTextVersion11 reads fastText's older layout, which differs
// only in the version number.
func TestReadFastTextVersion11(t *testing.T) {
	data := encodeFastText(t, synthFastText(7))
	binary.LittleEndian.PutUint32(data[4:], 11)
	if _, err := ReadFastText(bytes.NewReader(data), "v11.bin"); err != nil {
		t.Fatal(err)
	}
}

func FuzzReadFastText(f *testing.F) {
	f.Add(encodeFastText(f, synthFastText(8)))
	small := synthFastText(9)
	small.Args.Bucket = 2
	small.Words, small.Counts = small.Words[:2], small.Counts[:2]
	small.Input = small.Input[:small.InputRows()*small.Dim()]
	small.Output = small.Output[:len(small.Words)*small.Dim()]
	f.Add(encodeFastText(f, small))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The path Open takes: vectors from the mapped file.
		if v, err := decodeFastTextVectors(data, "fuzz.bin", Options{}); err == nil {
			checkInvariants(t, v)
			if sub := v.Subwords(); sub != nil {
				sub.Vector(make([]float32, v.Dim()), "unseen")
			}
		} else if fe := (*FormatError)(nil); !errors.As(err, &fe) {
			t.Fatalf("vectors: error %v is not a FormatError", err)
		}
		m, err := ReadFastText(bytes.NewReader(data), "fuzz.bin")
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FormatError", err)
			}
			return
		}
		// Whatever reads writes back byte for byte, but for what reading
		// normalises: version 11, a negative maxn, the prune index's order.
		canonical := binary.LittleEndian.Uint32(data[4:]) == fastTextVersion &&
			int32(binary.LittleEndian.Uint32(data[8+10*4:])) >= 0 && m.Pruned == nil
		again := encodeFastText(t, m)
		if canonical && !bytes.Equal(again, data) {
			t.Fatal("the model read does not write back to the same bytes")
		}
		m2, err := ReadFastText(bytes.NewReader(again), "again.bin")
		if err != nil {
			t.Fatalf("reading back what was written: %v", err)
		}
		v := make([]float32, m.Dim())
		for _, w := range append(m2.Words, "unseen") {
			m2.WordVector(v, w)
		}
	})
}

// TestOpenFastText reads a .bin as vectors: each word's full vector (mean
// of its rows), and Subwords for unseen words, the same from a mapped file
// and from a stream.
func TestOpenFastText(t *testing.T) {
	m := synthFastText(13)
	data := encodeFastText(t, m)
	path := filepath.Join(t.TempDir(), "m.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	opened, err := Open(path, Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	defer opened.Close()
	streamed, err := Read(bytes.NewReader(data), "m.bin", Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	normed, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer normed.Close()
	want := make([]float32, m.Dim())
	got := make([]float32, m.Dim())
	for _, v := range []*Vectors{opened, streamed, normed} {
		if v.Format != FastTextBin || v.Len() != len(m.Words) || v.Dim() != m.Dim() {
			t.Fatalf("read %v: %d words × %d", v.Format, v.Len(), v.Dim())
		}
		for i, w := range m.Words {
			m.WordVector(want, w)
			if v.Normalized() {
				normalize(want)
			}
			if v.Word(i) != w || !reflect.DeepEqual(v.Row(i), want) {
				t.Fatalf("word %d: %q %v; want %q %v", i, v.Word(i), v.Row(i), w, want)
			}
		}
		sub := v.Subwords()
		if sub == nil || sub.Config() != m.Subwords() {
			t.Fatalf("subwords %v", sub)
		}
		for _, w := range append(unseenWords, "cat") {
			m.SubwordVector(want, w)
			sub.Vector(got, w)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("subword vector of %q: %v; want %v", w, got, want)
			}
		}
	}
	// A model without n-grams has no Subwords.
	m.Args.MaxN, m.Args.Bucket = 0, 0
	m.Input = m.Input[:m.InputRows()*m.Dim()]
	v, err := Read(bytes.NewReader(encodeFastText(t, m)), "plain.bin", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Subwords() != nil {
		t.Fatal("a model without n-grams has Subwords")
	}
}

// TestNativeSubwords converts a .bin to the native format, which keeps the
// n-gram rows (mapped, like the vectors), and checks damaged sections.
func TestNativeSubwords(t *testing.T) {
	m := synthFastText(14)
	dir := t.TempDir()
	bin := filepath.Join(dir, "m.bin")
	if err := os.WriteFile(bin, encodeFastText(t, m), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := Open(bin, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var b bytes.Buffer
	if err := WriteNative(&b, src); err != nil {
		t.Fatal(err)
	}
	native := filepath.Join(dir, "m.w2v")
	if err := os.WriteFile(native, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := Open(native, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if v.Format != Native || !reflect.DeepEqual(v.Matrix(), src.Matrix()) || !reflect.DeepEqual(v.Words(), src.Words()) {
		t.Fatal("the native copy has other words or vectors")
	}
	sub := v.Subwords()
	if sub == nil || sub.Config() != m.Subwords() {
		t.Fatalf("native subwords %v", sub)
	}
	want, got := make([]float32, m.Dim()), make([]float32, m.Dim())
	for _, w := range unseenWords {
		m.SubwordVector(want, w)
		sub.Vector(got, w)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("native subword vector of %q: %v; want %v", w, got, want)
		}
	}
	// A native file without subwords has none.
	var plain bytes.Buffer
	src.sub = nil
	if err := WriteNative(&plain, src); err != nil {
		t.Fatal(err)
	}
	if plain.Len() >= b.Len() {
		t.Fatalf("native file without subwords has %d bytes, with %d", plain.Len(), b.Len())
	}
	if v, err := decodeNative(plain.Bytes(), "plain.w2v"); err != nil || v.Subwords() != nil {
		t.Fatalf("native file without subwords: %v, %v", v, err)
	}

	head := func(i int) int { return 8 * i }
	good := b.Bytes()
	off := binary.LittleEndian.Uint64(good[head(14):])
	tests := []struct {
		name   string
		change func([]byte)
		msg    string
	}{
		{"misplaced", func(b []byte) { binary.LittleEndian.PutUint64(b[head(14):], off+4) }, "subwords section"},
		{"length", func(b []byte) { binary.LittleEndian.PutUint64(b[head(15):], 3) }, "subwords section"},
		{"maxn < minn", func(b []byte) { binary.LittleEndian.PutUint64(b[off+8:], 2) }, "maxn 2"},
		{"buckets", func(b []byte) { binary.LittleEndian.PutUint64(b[off+16:], 49) }, "rows for 49 buckets"},
	}
	for _, tt := range tests {
		data := bytes.Clone(good)
		tt.change(data)
		_, err := decodeNative(data, "bad.w2v")
		checkFormatError(t, tt.name, err, "bad.w2v", tt.msg)
	}
}

// TestFastTextManyWords reads a model big enough to be averaged by several
// goroutines (run with -race), each word its own row's and n-grams' mean.
func TestFastTextManyWords(t *testing.T) {
	m := synthFastText(15)
	m.Words, m.Counts = nil, nil
	for i := range 5000 {
		m.Words = append(m.Words, "w"+strconv.Itoa(i))
		m.Counts = append(m.Counts, 1)
	}
	r := rand.New(rand.NewPCG(15, 2))
	m.Input = make([]float32, m.InputRows()*m.Dim())
	for i := range m.Input {
		m.Input[i] = r.Float32()
	}
	m.Output = make([]float32, len(m.Words)*m.Dim())
	v, err := decodeFastTextVectors(encodeFastText(t, m), "many.bin", Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, m.Dim())
	for i, w := range m.Words {
		m.WordVector(want, w)
		if !reflect.DeepEqual(v.Row(i), want) {
			t.Fatalf("%s: %v; want %v", w, v.Row(i), want)
		}
	}
}

// TestFastTextSupervised: a classifier's labels follow the words in the
// dictionary and own the output rows; they round-trip, and are not words.
func TestFastTextSupervised(t *testing.T) {
	m := synthFastText(16)
	m.Args.Model, m.Args.Loss = ModelSupervised, LossSoftmax
	m.Labels, m.LabelCounts = []string{"__label__a", "__label__b"}, []int64{3, 4}
	m.Output = make([]float32, len(m.Labels)*m.Dim())
	data := encodeFastText(t, m)
	got, err := ReadFastText(bytes.NewReader(data), "sup.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Labels, m.Labels) || !reflect.DeepEqual(got.LabelCounts, m.LabelCounts) {
		t.Fatalf("labels %v %v", got.Labels, got.LabelCounts)
	}
	v, err := Read(bytes.NewReader(data), "sup.bin", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v.Words(), m.Words) {
		t.Fatalf("words %q; want %q (no labels)", v.Words(), m.Words)
	}
}
