package vecfile

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	testWords = []string{"the", "king", "queen", "é"}
	testVecs  = []float32{
		1, 0, 0,
		0.5, -2, 1e-3,
		3, 4, 0,
		0, 0, 0,
	}
)

func textFile(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := WriteText(&buf, testWords, testVecs, 3); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func binaryFile(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := WriteBinary(&buf, testWords, testVecs, 3); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func nativeFile(t testing.TB) []byte {
	v, err := Read(bytes.NewReader(textFile(t)), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteNative(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// binRow is one row of the binary format.
func binRow(word string, vals ...float32) []byte {
	b := []byte(word + " ")
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return append(b, '\n')
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// checkVectors compares v with testWords/testVecs.
func checkVectors(t *testing.T, v *Vectors, raw bool) {
	t.Helper()
	if v.Len() != len(testWords) || v.Dim() != 3 {
		t.Fatalf("got %d×%d, want %d×3", v.Len(), v.Dim(), len(testWords))
	}
	for i, w := range testWords {
		if v.Word(i) != w {
			t.Errorf("word %d = %q, want %q", i, v.Word(i), w)
		}
		if r, ok := v.Index(w); !ok || r != i {
			t.Errorf("Index(%q) = %d, %v; want %d", w, r, ok, i)
		}
		want := testVecs[3*i : 3*i+3]
		got := v.Row(i)
		n := v.Norm(i)
		if n0 := norm(want); math.Abs(float64(n-n0)) > 1e-6*float64(n0) {
			t.Errorf("Norm(%d) = %v, want %v", i, n, n0)
		}
		for j := range want {
			x := got[j]
			if !raw && n > 0 {
				x *= n
			}
			if math.Abs(float64(x-want[j])) > 1e-6 {
				t.Errorf("row %d = %v (norm %v), want %v", i, got, n, want)
				break
			}
		}
	}
	if _, ok := v.Index("absent"); ok {
		t.Error("Index found a word that is not there")
	}
}

func TestReadFormats(t *testing.T) {
	crlf := bytes.ReplaceAll(textFile(t), []byte("\n"), []byte("\r\n"))
	fasttext := bytes.ReplaceAll(textFile(t), []byte("\n"), []byte(" \n")) // fastText ends rows with a space
	noNewlines := bytes.ReplaceAll(binaryFile(t), []byte("\n"), nil)       // gensim's binary rows
	noNewlines = append([]byte("4 3\n"), noNewlines[3:]...)
	for _, tc := range []struct {
		name   string
		data   []byte
		format Format
	}{
		{"text", textFile(t), Text},
		{"text CRLF", crlf, Text},
		{"fastText vec", fasttext, Text},
		{"text no final newline", bytes.TrimSuffix(textFile(t), []byte("\n")), Text},
		{"text tabs", bytes.ReplaceAll(textFile(t), []byte("0 "), []byte("0\t")), Text},
		{"binary", binaryFile(t), Binary},
		{"binary gensim", noNewlines, Binary},
		{"text gz", gz(t, textFile(t)), Text},
		{"binary gz", gz(t, binaryFile(t)), Binary},
		{"native", nativeFile(t), Native},
		{"native gz", gz(t, nativeFile(t)), Native},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, raw := range []bool{false, true} {
				v, err := Read(bytes.NewReader(tc.data), "f", Options{Raw: raw})
				if err != nil {
					t.Fatal(err)
				}
				if v.Format != tc.format {
					t.Errorf("format %v, want %v", v.Format, tc.format)
				}
				if v.Normalized() == raw {
					t.Errorf("Raw %v: Normalized() = %v", raw, v.Normalized())
				}
				checkVectors(t, v, raw)
			}
			// Open, from a file: native files are mapped.
			path := filepath.Join(t.TempDir(), "v")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			v, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkVectors(t, v, false)
			if err := v.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestReadDuplicatesKeepFirst(t *testing.T) {
	data := cat([]byte("3 2\n"), binRow("a", 1, 0), binRow("b", 0, 1), binRow("a", 0, -1))
	v, err := Read(bytes.NewReader(data), "f", Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	if v.Len() != 2 || v.Duplicates != 1 || v.Row(0)[0] != 1 {
		t.Fatalf("got %d words, %d duplicates, row 0 %v; want 2, 1, [1 0]", v.Len(), v.Duplicates, v.Row(0))
	}
}

func TestReadGrowsWithoutSize(t *testing.T) {
	// Through a plain reader the size is unknown and the matrix grows.
	var words []string
	var vecs []float32
	for i := range 5000 {
		words = append(words, "w"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strconv.Itoa(i))
		vecs = append(vecs, float32(i), 1, -1)
	}
	var buf bytes.Buffer
	if err := WriteBinary(&buf, words, vecs, 3); err != nil {
		t.Fatal(err)
	}
	v, err := Read(bytes.NewReader(buf.Bytes()), "f", Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range words {
		if r, ok := v.Index(w); !ok || r != i || v.Row(i)[0] != float32(i) {
			t.Fatalf("Index(%q) = %d, %v, row %v", w, r, ok, v.Row(r))
		}
	}
}

// TestReadErrors covers each way a file can be malformed: the error names
// the file and the line or offset, and says what is wrong.
func TestReadErrors(t *testing.T) {
	huge := []byte("1000000000000 300\nthe 1 2 3\n")
	for _, tc := range []struct {
		name string
		data []byte
		want string // substring of the error
		// stream is the error's substring when read from a stream, whose
		// size is unknown, if it differs from want.
		stream string
	}{
		{"empty", nil, "f: empty file", ""},
		{"header one number", []byte("12\n"), `f:1: first line "12\n" is not a "WORDS DIMENSIONS" header`, ""},
		{"header not numbers", []byte("a b\nx 1\n"), `f:1: first line "a b\n" is not a`, ""},
		{"headerless glove", []byte("the 0.1 0.2 0.3\n"), "headerless files, such as GloVe's", ""},
		{"header negative", []byte("-1 3\n"), "f:1: header announces -1 words", ""},
		{"header huge count", huge, "f:1: header announces 1000000000000 words; want 1 to 2147483647", ""},
		{"header huge dim", []byte("1 1000000000\n"), "f:1: header announces 1000000000 dimensions; want 1 to 65536", ""},
		{"header only", []byte("3 2"), "f:1: file ends after the header", ""},
		{"text short row", []byte("2 3\na 1 2 3\nb 1 2\n"), "f:1: header announces 2 words of 3 dimensions, which take at least 15 bytes in the word2vec text format, but only 14 bytes follow", `f:3: word "b": 2 values; the header announces 3`},
		{"text long row", []byte("1 2\na 1 2 3\n"), `f:2: word "a": more than the 2 values`, ""},
		{"text not a number", []byte("1 3\na 1 x2 3\n"), `f:2: word "a": value 2 ("x2") is not a number`, ""},
		{"text nan", []byte("1 3\na 1 nan 3\n"), `f:2: word "a": value 2 is NaN`, ""},
		{"text inf", []byte("1 3\na 1 2 -Inf\n"), `f:2: word "a": value 3 is infinite`, ""},
		{"text overflow", []byte("1 3\na 1 2 1e39\n"), `f:2: word "a": value 3 (1e39) is beyond the range of float32`, ""},
		{"text vector too long", []byte("1 2\na 3e38 3e38\n"), `f:2: the vector of "a" is too long: its length exceeds the float32 range`, ""},
		{"text fewer rows", []byte("3 2\na 1 2\nb 1 2\n"), "f:1: header announces 3 words of 2 dimensions", "f:3: file ends after 2 of the 3 words"},
		{"text more rows", []byte("1 2\na 1 2\nb 1 2\n"), "f:3: more rows than the 1 words the header announces", ""},
		{"text empty line", []byte("2 2\na 1 2\n\nb 1 2\n"), "f:3: empty line", ""},
		{"text word only", []byte("1 2\nabc\n"), "f:1: header announces 1 words of 2 dimensions", `f:2: line holds only "abc"`},
		{"text control char", []byte("1 2\na\x1b[31m 1 2\n"), `f:2: word "a\x1b[31m" contains control character 0x1b`, ""},
		{"text C1 control", []byte("1 2\na\u009b 1 2\n"), "contains control character U+009B", ""},
		{"text overlong word", []byte("1 2\n" + strings.Repeat("w", MaxWordBytes+1) + " 1 2\n"), "f:2: word of 1025 bytes (at most 1024 allowed)", ""},
		{"text counts exceed size", []byte("100 3\na 1 2 3\n"), "f:1: header announces 100 words of 3 dimensions, which take at least 799 bytes in the word2vec text format, but only 8 bytes follow",
			"f:2: file ends after 1 of the 100 words the header announces; the header is wrong or the file is truncated"},
		{"binary counts exceed size", cat([]byte("100 3\n"), binRow("a", 1, 2, 3)), "f:1: header announces 100 words of 3 dimensions, which take at least 1399 bytes in the word2vec binary format, but only 15 bytes follow",
			"f: offset 21: file ends after 1 of the 100 words"},
		{"binary truncated vector", cat([]byte("1 3\n"), binRow("a", 1, 2, 3)[:9]), "f:1: header announces 1 words of 3 dimensions, which take at least 13 bytes in the word2vec binary format, but only 9 bytes follow the header; the header is wrong or the file is truncated", `f: offset 13: file ends inside the vector of "a" (word 1 of 1): 7 of its 12 bytes are there`},
		{"binary truncated word", cat([]byte("2 3\n"), binRow("a", 1, 2, 3), []byte("bc")), "f:1: header announces 2 words of 3 dimensions", `file ends inside word 2 of 2 ("bc")`},
		{"binary fewer rows", cat([]byte("2 3\n"), binRow("a", 1, 2, 3)), "f:1: header announces 2 words of 3 dimensions", "f: offset 19: file ends after 1 of the 2 words"},
		{"binary more rows", cat([]byte("1 3\n"), binRow("a", 1, 2, 3), binRow("b", 1, 2, 3)), "f: offset 19: more data after the 1 words the header announces", ""},
		{"binary nan", cat([]byte("1 3\n"), binRow("a", 1, float32(math.NaN()), 3)), `f: offset 10: value 2 of "a" is NaN`, ""},
		{"binary inf", cat([]byte("1 3\n"), binRow("a", 1, 2, float32(math.Inf(1)))), `f: offset 14: value 3 of "a" is +Inf`, ""},
		{"binary control word", cat([]byte("1 3\n"), binRow("a\x00b", 1, 2, 3)), `f: offset 4: word "a\x00b" contains control character 0x00`, ""},
		{"binary overlong word", cat([]byte("1 3\n"), binRow(strings.Repeat("w", MaxWordBytes+1), 1, 2, 3)), "f: offset 4: word of 1025 bytes (at most 1024 allowed) (reading the binary format)", ""},
		{"no space at all", []byte("1 3\n" + strings.Repeat("w", 2<<20)), "f:2: line is longer than 1280 bytes", ""},
		{"gzip truncated", gz(t, textFile(t))[:30], "f: gzip data is truncated", ""},
		{"gzip corrupt", corruptGzip(gz(t, textFile(t))), "f: bad gzip data", ""},
		{"native truncated", nativeFile(t)[:200], "f: invalid w2v native file: header says the file has", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stream := tc.stream
			if stream == "" {
				stream = tc.want
			}
			v, err := Read(bytes.NewReader(tc.data), "f", Options{})
			if err == nil {
				t.Fatalf("read %d words, want an error containing %q", v.Len(), stream)
			}
			if !strings.Contains(err.Error(), stream) {
				t.Errorf("Read: error\n%v\nwant it to contain\n%s", err, stream)
			}
			// From a file, whose size is known.
			t.Chdir(t.TempDir())
			if err := os.WriteFile("f", tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			v, err = Open("f", Options{})
			if err == nil {
				t.Fatalf("Open: read %d words, want an error containing %q", v.Len(), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open: error\n%v\nwant it to contain\n%s", err, tc.want)
			}
		})
	}
}

func corruptGzip(b []byte) []byte {
	b = bytes.Clone(b)
	b[len(b)-6] ^= 0xff // the CRC
	return b
}

// TestHostileHeaderAllocatesLittle checks that a header claiming a huge
// matrix is refused, or read incrementally, without allocating for it.
func TestHostileHeaderAllocatesLittle(t *testing.T) {
	for _, data := range [][]byte{
		[]byte("2000000000 65536\na 1\n"),
		gz(t, []byte("2000000000 65536\na 1\n")),
		cat([]byte("2000000000 60000\n"), binRow("a", make([]float32, 10)...)),
	} {
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		_, err := Read(bytes.NewReader(data), "f", Options{})
		runtime.ReadMemStats(&ms1)
		if err == nil {
			t.Fatal("no error")
		}
		if grown := ms1.TotalAlloc - ms0.TotalAlloc; grown > 64<<20 {
			t.Errorf("allocated %d MiB for a %d-byte file", grown>>20, len(data))
		}
	}
}

func TestNativeRejectsDamage(t *testing.T) {
	good := nativeFile(t)
	for _, tc := range []struct {
		name string
		edit func(b []byte)
		want string
	}{
		{"version", func(b []byte) { b[8] = 9 }, "format version 9"},
		{"count", func(b []byte) { binary.LittleEndian.PutUint64(b[16:], 1<<40) }, "1099511627776 words"},
		{"offs section", func(b []byte) { binary.LittleEndian.PutUint64(b[32:], 1<<62) }, "word offsets section"},
		{"word offset", func(b []byte) { binary.LittleEndian.PutUint32(b[128+4:], 1000) }, "word offsets out of order at word 1"},
		{"table entry", func(b []byte) {
			off := binary.LittleEndian.Uint64(b[40:])
			binary.LittleEndian.PutUint32(b[off:], 77)
		}, "hash table entry 77"},
		{"table wiped", func(b []byte) {
			off, n := binary.LittleEndian.Uint64(b[40:]), binary.LittleEndian.Uint64(b[48:])
			clear(b[off : off+4*n])
		}, "hash table does not find word 1"},
		{"norm", func(b []byte) {
			off := binary.LittleEndian.Uint64(b[72:])
			binary.LittleEndian.PutUint32(b[off:], math.Float32bits(float32(math.NaN())))
		}, "norm of word 1 is NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := bytes.Clone(good)
			tc.edit(b)
			_, err := Read(bytes.NewReader(b), "f", Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestFormatErrorIs(t *testing.T) {
	_, err := Read(strings.NewReader("1 2\na 1\n"), "f", Options{})
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Line != 2 {
		t.Fatalf("error %v is not a FormatError at line 2", err)
	}
}

// TestOpenBigMatrix reads a file whose matrix is big enough to be
// allocated outside the Go heap, and releases it.
func TestOpenBigMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 68 MB file")
	}
	const n, dim = 1 << 16, 256
	words := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range words {
		words[i] = "w" + strconv.Itoa(i)
		vecs[i*dim+i%dim] = float32(i + 1)
	}
	path := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteBinary(f, words, vecs, dim); err != nil {
		t.Fatal(err)
	}
	f.Close()
	v, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1234, n - 1} {
		if r, ok := v.Index(words[i]); !ok || r != i || v.Row(i)[i%dim] != 1 || v.Norm(i) != float32(i+1) {
			t.Fatalf("row %d: Index %d %v, value %v, norm %v", i, r, ok, v.Row(i)[i%dim], v.Norm(i))
		}
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestReadExtremeValues checks that vectors of tiny or huge values, whose
// squares leave float32's range, are still normalised exactly.
func TestReadExtremeValues(t *testing.T) {
	data := []byte("3 2\ntiny 1e-40 -1e-40\nhuge 1e19 -3e19\nsub 1e-45 0\n")
	v, err := Read(bytes.NewReader(data), "f", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < v.Len(); i++ {
		r := v.Row(i)
		if l := math.Hypot(float64(r[0]), float64(r[1])); math.Abs(l-1) > 1e-6 {
			t.Errorf("%s: row %v has length %v", v.Word(i), r, l)
		}
	}
	if n := v.Norm(1); math.Abs(float64(n)/math.Sqrt(1e39)-1) > 1e-6 {
		t.Errorf("norm of huge = %v", n)
	}
}

// TestReadTextChunks reads text files spanning several parsing chunks: the
// rows must come out in order, and errors must name the right line.
func TestReadTextChunks(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 10 MB of text several times")
	}
	const n, dim = 30000, 40 // about 10 MB of text
	words := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range words {
		words[i] = "w" + strconv.Itoa(i)
		for j := range dim {
			vecs[i*dim+j] = float32(i) + float32(j)/64
		}
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, words, vecs, dim); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	v, err := Read(bytes.NewReader(good), "f", Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1, 12345, n - 1} {
		if r, ok := v.Index(words[i]); !ok || r != i || v.Row(i)[dim-1] != vecs[i*dim+dim-1] {
			t.Fatalf("row %d: Index %d %v, row %v", i, r, ok, v.Row(i)[:3])
		}
	}
	lines := bytes.SplitAfter(good, []byte("\n"))
	edit := func(line int, repl string) []byte {
		l := slices.Clone(lines)
		l[line-1] = []byte(repl)
		return bytes.Join(l, nil)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"bad value late", edit(25001, "w25000 1 2 x\n"), `f:25001: word "w25000": value 3 ("x") is not a number`},
		{"blank line late", edit(20000, "\n"), "f:20000: empty line"},
		{"extra rows", append(slices.Clone(good), "extra 1 2\n\n"...), "f:30002: more rows than the 30000 words"},
		{"missing rows", bytes.Join(lines[:29000], nil), "f:29000: file ends after 28999 of the 30000 words"},
		{"huge line late", edit(28000, strings.Repeat("9", 8<<20)+"\n"), "f:28000: line is longer than"},
		{"crlf and error", bytes.ReplaceAll(edit(29999, "w29998 1\n"), []byte("\n"), []byte("\r\n")), `f:29999: word "w29998": 1 values`},
	} {
		_, err := Read(bytes.NewReader(tc.data), "f", Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// Trailing blank lines are fine.
	if _, err := Read(bytes.NewReader(append(slices.Clone(good), "\n \r\n\n"...)), "f", Options{}); err != nil {
		t.Error(err)
	}
}
