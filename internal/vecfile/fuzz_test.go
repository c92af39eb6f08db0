package vecfile

import (
	"bufio"
	"bytes"
	"math"
	"testing"
)

// checkInvariants verifies what every successfully read file must satisfy.
func checkInvariants(t *testing.T, v *Vectors) {
	t.Helper()
	if v.Len() < 1 || v.Dim() < 1 || v.Dim() > MaxDim || len(v.Matrix()) != v.Len()*v.Dim() {
		t.Fatalf("shape %d×%d with %d values", v.Len(), v.Dim(), len(v.Matrix()))
	}
	for i := 0; i < v.Len(); i++ {
		w := v.Word(i)
		if msg := checkWord([]byte(w)); msg != "" {
			t.Fatalf("word %d: %s", i, msg)
		}
		if r, ok := v.Index(w); !ok || r != i {
			t.Fatalf("Index(%q) = %d, %v; want %d", w, r, ok, i)
		}
		if v.Format == Native {
			// decodeNative validates a native file's structure but maps its
			// vectors as they are: checking every value would read the
			// whole file on open. The values need not be unit length.
			continue
		}
		var ss float64
		for _, x := range v.Row(i) {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("row %d holds %v", i, x)
			}
			ss += float64(x) * float64(x)
		}
		if v.Normalized() && ss != 0 && math.Abs(ss-1) > 1e-3 {
			t.Fatalf("row %d has squared length %v", i, ss)
		}
	}
}

// fuzzWord2vec reads data in format (0: detected) and, if that works,
// checks the result and that it survives the native format.
func fuzzWord2vec(t *testing.T, data []byte, format Format) {
	// Exercise both the file path (size known, matrix allocated at once)
	// and the stream path (matrix grown as rows arrive).
	size := int64(len(data))
	if len(data)%2 == 1 {
		size = -1
	}
	p := &parser{br: bufio.NewReaderSize(bytes.NewReader(data), bufSize), name: "fuzz"}
	v, err := p.parse(size, format, Options{})
	if err != nil {
		return
	}
	checkInvariants(t, v)
	var buf bytes.Buffer
	if err := WriteNative(&buf, v); err != nil {
		t.Fatal(err)
	}
	n, err := decodeNative(buf.Bytes(), "native")
	if err != nil {
		t.Fatalf("reading back the native file: %v", err)
	}
	if n.Len() != v.Len() || !bytes.Equal(n.words, v.words) {
		t.Fatalf("native round trip: %d words, want %d", n.Len(), v.Len())
	}
}

func FuzzReadText(f *testing.F) {
	f.Add([]byte("2 3\nking 0.1 -2 3e-3\nqueen 1 2 3 \n"))
	f.Add([]byte("1 2\r\né 1 nan\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWord2vec(t, data, Text) })
}

func FuzzReadBinary(f *testing.F) {
	f.Add(cat([]byte("2 2\n"), binRow("a", 1, 2), binRow("b", -1, 0.5)))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWord2vec(t, data, Binary) })
}

// FuzzRead goes through format detection, gzip and the native format.
func FuzzRead(f *testing.F) {
	f.Add([]byte("1 1\na 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Read(bytes.NewReader(data), "fuzz", Options{})
		if err != nil {
			return
		}
		checkInvariants(t, v)
	})
}

// FuzzDecodeNative mutates native files, which are mapped and trusted for
// their structure once validated.
func FuzzDecodeNative(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeNative(data, "fuzz")
		if err != nil {
			return
		}
		for i := 0; i < v.Len(); i++ {
			if r, ok := v.Index(v.Word(i)); !ok || r != i {
				t.Fatalf("Index(%q) = %d, %v; want %d", v.Word(i), r, ok, i)
			}
		}
		v.Index("not there, probably")
		for i := 0; i < v.Len(); i++ {
			_ = v.Row(i)
		}
	})
}
