package vecfile

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	err := WriteText(&buf, []string{"a", "bé"}, []float32{0.5, -1, 1e-7, 0.1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := "2 2\na 0.5 -1\nbé 1e-07 0.1\n"
	if buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
}

func TestWriteBinary(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBinary(&buf, []string{"x"}, []float32{1.5, -2}, 2); err != nil {
		t.Fatal(err)
	}
	want := []byte("1 2\nx ")
	want = binary.LittleEndian.AppendUint32(want, math.Float32bits(1.5))
	want = binary.LittleEndian.AppendUint32(want, math.Float32bits(-2))
	want = append(want, '\n')
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("got %q, want %q", buf.Bytes(), want)
	}
}

func TestWriteShapeMismatch(t *testing.T) {
	if err := WriteText(&bytes.Buffer{}, []string{"a"}, []float32{1, 2, 3}, 2); err == nil {
		t.Fatal("want an error for 3 values of a 1×2 matrix")
	}
}
