package export

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/w2vtool/w2v/internal/testenv"
)

func TestWriteClasses(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		class []int32
		want  string
	}{
		{"sorted by class, row order within", []string{"the", "cat", "of", "dog", "and"}, []int32{0, 1, 0, 1, 2},
			"the 0\nof 0\ncat 1\ndog 1\nand 2\n"},
		{"classes out of order", []string{"a", "b", "c"}, []int32{2, 0, 1}, "b 0\nc 1\na 2\n"},
		{"escaped", []string{"tab\there", "new\nline"}, []int32{1, 0}, "new\\nline 0\ntab\\there 1\n"},
		{"empty", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteClasses(&b, tt.words, tt.class); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
	if err := WriteClasses(&bytes.Buffer{}, []string{"a"}, nil); err == nil {
		t.Error("1 word, 0 classes: no error")
	}
}

// readProjectorTSV parses a projector export's files as the Embedding
// Projector does: lines split on "\n" (a last empty line ignored), values
// on tabs, and a single-column metadata file has no header.
func readProjectorTSV(t *testing.T, dir string) (words []string, vecs [][]float32) {
	t.Helper()
	lines := func(name string) []string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		ls := strings.Split(string(b), "\n")
		if ls[len(ls)-1] != "" {
			t.Fatalf("%s does not end in a newline", name)
		}
		return ls[:len(ls)-1]
	}
	for i, l := range lines(ProjectorVectors) {
		var row []float32
		for f := range strings.SplitSeq(l, "\t") {
			x, err := strconv.ParseFloat(f, 32)
			if err != nil {
				t.Fatalf("vectors.tsv line %d: %v", i+1, err)
			}
			row = append(row, float32(x))
		}
		vecs = append(vecs, row)
	}
	for i, l := range lines(ProjectorMetadata) {
		if strings.Contains(l, "\t") {
			t.Fatalf("metadata.tsv line %d has a tab: the projector would take it for two columns and a header", i+1)
		}
		words = append(words, l)
	}
	return words, vecs
}

func TestWriteProjector(t *testing.T) {
	words := []string{"the", "naïve", "tab\tword", "line\nword", "1.5"}
	vecs := []float32{
		0.5, -1, 0.1,
		1e-8, 3.4028235e38, -0,
		1, 2, 3,
		0.33333334, -0.25, 7,
		0, 0, 0,
	}
	dir := filepath.Join(t.TempDir(), "proj")
	var done atomic.Int64
	if err := WriteProjector(dir, "w2v", words, vecs, 3, &done); err != nil {
		t.Fatal(err)
	}
	if done.Load() != 5 {
		t.Errorf("progress counted %d rows, want 5", done.Load())
	}
	// The exact layout.
	want := map[string]string{
		ProjectorVectors:  "0.5\t-1\t0.1\n1e-08\t3.4028235e+38\t0\n1\t2\t3\n0.33333334\t-0.25\t7\n0\t0\t0\n",
		ProjectorMetadata: "the\nnaïve\ntab\\tword\nline\\nword\n1.5\n",
		ProjectorConfig: `{
  "embeddings": [
    {
      "tensorName": "w2v",
      "tensorShape": [
        5,
        3
      ],
      "tensorPath": "vectors.tsv",
      "metadataPath": "metadata.tsv"
    }
  ]
}
`,
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Errorf("directory holds %d files, want %d", len(entries), len(want))
	}
	for name, w := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != w {
			t.Errorf("%s:\n%q\nwant\n%q", name, b, w)
		}
	}
	// As the projector reads it: as many metadata lines as vectors, same values.
	gotWords, gotVecs := readProjectorTSV(t, dir)
	if len(gotWords) != len(words) || len(gotVecs) != len(words) {
		t.Fatalf("%d metadata lines and %d vectors for %d words", len(gotWords), len(gotVecs), len(words))
	}
	for i, row := range gotVecs {
		if !slices.Equal(row, vecs[i*3:(i+1)*3]) {
			t.Errorf("row %d read back as %v, want %v", i, row, vecs[i*3:(i+1)*3])
		}
		if gotWords[i] != Escape(words[i]) {
			t.Errorf("word %d read back as %q", i, gotWords[i])
		}
	}
	var cfg projectorConfig
	b, _ := os.ReadFile(filepath.Join(dir, ProjectorConfig))
	if err := json.Unmarshal(b, &cfg); err != nil || len(cfg.Embeddings) != 1 || !slices.Equal(cfg.Embeddings[0].TensorShape, []int{5, 3}) {
		t.Errorf("config %s: %+v, %v", b, cfg, err)
	}
}

func TestWriteNPYHeader(t *testing.T) {
	tests := []struct {
		rows, dim int
		dict      string
	}{
		{2, 3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"},
		{0, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1), }"},
		{1, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }"},
	}
	for _, tt := range tests {
		vecs := make([]float32, tt.rows*tt.dim)
		for i := range vecs {
			vecs[i] = float32(i) - 0.5
		}
		var b bytes.Buffer
		if err := WriteNPY(&b, vecs, tt.rows, tt.dim, nil); err != nil {
			t.Fatal(err)
		}
		out := b.Bytes()
		if string(out[:8]) != "\x93NUMPY\x01\x00" {
			t.Fatalf("magic and version %q", out[:8])
		}
		hlen := int(binary.LittleEndian.Uint16(out[8:10]))
		header := string(out[10 : 10+hlen])
		if (10+hlen)%64 != 0 || !strings.HasPrefix(header, tt.dict) || strings.Trim(header[len(tt.dict):], " ") != "\n" {
			t.Errorf("header %q (%d bytes before the data), want %q padded to 64 and a newline", header, 10+hlen, tt.dict)
		}
		data := out[10+hlen:]
		if len(data) != 4*len(vecs) {
			t.Fatalf("%d bytes of data, want %d", len(data), 4*len(vecs))
		}
		for i := 0; i < len(vecs); i += 1 + len(vecs)/7 {
			if x := math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:])); x != vecs[i] {
				t.Errorf("value %d is %v, want %v", i, x, vecs[i])
			}
		}
	}
}

func TestNPYHeaderLarge(t *testing.T) {
	// Big shapes lengthen the dict; the padding still aligns the data.
	for _, shape := range [][2]int{{3000000, 300}, {1 << 40, 1 << 20}, {99999999, 4}} {
		h := npyHeader(shape[0], shape[1])
		want := fmt.Sprintf("'shape': (%d, %d), }", shape[0], shape[1])
		if len(h)%64 != 0 || int(binary.LittleEndian.Uint16(h[8:]))+10 != len(h) || !strings.Contains(string(h), want) || h[len(h)-1] != '\n' {
			t.Errorf("header for %v: %q", shape, h)
		}
	}
}

// numpyPython returns a Python interpreter that can import numpy.
func numpyPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import numpy").Run() == nil {
			return path
		}
	}
	testenv.Missing(t, "Python with numpy", "apt-get install -y python3-numpy")
	return ""
}

// TestNPYNumpy loads an npy export with numpy, memory-mapped, and checks
// the values and the words against what was written.
func TestNPYNumpy(t *testing.T) {
	py := numpyPython(t)
	words := []string{"king", "queen", "naïve", "x"}
	vecs := []float32{
		0.1, -0.2, 3.4028235e38, 1e-45, 0,
		1, 2, 3, 4, 5,
		-1.5, 0.33333334, 7e-20, -0, 123456.79,
		0.25, 0.5, 0.75, 1, 1.25,
	}
	dir := filepath.Join(t.TempDir(), "npy")
	if err := WriteNPYDir(dir, words, vecs, 5, nil); err != nil {
		t.Fatal(err)
	}
	script := `
import sys, numpy
m = numpy.load(sys.argv[1] + "/vectors.npy", mmap_mode="r")
assert isinstance(m, numpy.memmap), type(m)
print(m.dtype, m.shape, m.flags["C_CONTIGUOUS"])
for row in m:
    print(" ".join(repr(float(x)) for x in row))
with open(sys.argv[1] + "/words.txt", encoding="utf-8") as f:
    print("|".join(f.read().splitlines()))
`
	out, err := exec.Command(py, "-c", script, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2+len(words) || lines[0] != "float32 (4, 5) True" {
		t.Fatalf("numpy read:\n%s", out)
	}
	for i := range words {
		fields := strings.Fields(lines[1+i])
		for d, f := range fields {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil || float32(x) != vecs[i*5+d] || math.Signbit(x) != math.Signbit(float64(vecs[i*5+d])) {
				t.Errorf("numpy row %d column %d = %s, want %v", i, d, f, vecs[i*5+d])
			}
		}
	}
	if got := lines[len(lines)-1]; got != strings.Join(words, "|") {
		t.Errorf("words.txt read as %q", got)
	}
}

func TestWriteDir(t *testing.T) {
	names := []string{"a.txt", "b.txt"}
	write := func(content string) func(tmp string) error {
		return func(tmp string) error {
			for _, n := range names {
				if err := os.WriteFile(filepath.Join(tmp, n), []byte(content), 0o644); err != nil {
					return err
				}
			}
			return nil
		}
	}
	leftovers := func(t *testing.T, parent string, want int) {
		t.Helper()
		entries, _ := os.ReadDir(parent)
		if len(entries) != want {
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			t.Errorf("%s holds %v, want %d entries", parent, got, want)
		}
	}
	t.Run("new, then replaced", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		if err := WriteDir(dir, names, write("one")); err != nil {
			t.Fatal(err)
		}
		if err := WriteDir(dir, names, write("two")); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "b.txt")); string(b) != "two" {
			t.Errorf("b.txt = %q after the second export", b)
		}
		if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o755 {
			t.Errorf("directory mode %v, want 0755", fi.Mode().Perm())
		}
		leftovers(t, parent, 1)
	})
	t.Run("failure leaves nothing, and the old export", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		if err := WriteDir(dir, names, write("one")); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err := WriteDir(dir, names, func(tmp string) error {
			write("half")(tmp)
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want boom", err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "one" {
			t.Errorf("a.txt = %q after a failed export, want the old one", b)
		}
		leftovers(t, parent, 1)
		if err := WriteDir(filepath.Join(parent, "new"), names, func(string) error { return boom }); !errors.Is(err, boom) {
			t.Errorf("err = %v, want boom", err)
		}
		leftovers(t, parent, 1)
	})
	t.Run("refused", func(t *testing.T) {
		parent := t.TempDir()
		file := filepath.Join(parent, "file")
		os.WriteFile(file, []byte("x"), 0o644)
		foreign := filepath.Join(parent, "mine")
		os.Mkdir(foreign, 0o755)
		os.WriteFile(filepath.Join(foreign, "thesis.tex"), []byte("x"), 0o644)
		tests := []struct{ dir, msg string }{
			{file, "exists and is not a directory"},
			{foreign, "holds thesis.tex, which this export does not write"},
			{filepath.Join(parent, "missing", "out"), "no such file or directory"},
		}
		for _, tt := range tests {
			called := false
			err := WriteDir(tt.dir, names, func(string) error { called = true; return nil })
			if err == nil || !strings.Contains(err.Error(), tt.msg) || called {
				t.Errorf("%s: err = %v (fill called %v), want %q before any work", tt.dir, err, called, tt.msg)
			}
		}
		if b, _ := os.ReadFile(filepath.Join(foreign, "thesis.tex")); string(b) != "x" {
			t.Error("the foreign directory was changed")
		}
		leftovers(t, parent, 2)
	})
}

func TestBadMatrix(t *testing.T) {
	var b bytes.Buffer
	for _, err := range []error{
		WriteNPY(&b, make([]float32, 5), 2, 3, nil),
		WriteVectorsTSV(&b, make([]float32, 6), 3, 3, nil),
		WriteNPY(&b, nil, 0, 0, nil),
		WriteProjector(t.TempDir()+"/p", "w", []string{"a"}, make([]float32, 4), 3, nil),
		WriteNPYDir(t.TempDir()+"/n", []string{"a", "b"}, make([]float32, 3), 3, nil),
	} {
		if err == nil || !strings.Contains(err.Error(), "do not make") {
			t.Errorf("err = %v, want a bad matrix reported", err)
		}
	}
	if b.Len() != 0 {
		t.Errorf("%d bytes written for bad matrices", b.Len())
	}
}

func TestCheckDir(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	old := filepath.Join(parent, "old")
	os.Mkdir(old, 0o755)
	os.WriteFile(filepath.Join(old, NPYWords), []byte("x"), 0o644)
	tests := []struct{ dir, msg string }{
		{filepath.Join(parent, "new"), ""},
		{old, ""},
		{filepath.Join(parent, "missing", "out"), "no such file or directory"},
		{filepath.Join(file, "out"), "is not a directory"},
		{file, "exists and is not a directory"},
	}
	for _, tt := range tests {
		err := CheckDir(tt.dir, NPYFiles())
		if tt.msg == "" && err != nil || tt.msg != "" && (err == nil || !strings.Contains(err.Error(), tt.msg)) {
			t.Errorf("CheckDir(%s) = %v, want %q", tt.dir, err, tt.msg)
		}
	}
	if err := CheckDir(old, ProjectorFiles()); err == nil {
		t.Error("a directory holding an npy export passed as one a projector export may replace")
	}
}
