package vecfile

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"strings"
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

// TestWriteRefusesNonFinite checks that neither format writes NaN or an
// infinity, which no reader accepts, and that nothing is written before the
// error.
func TestWriteRefusesNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	writers := map[string]func(io.Writer, []string, []float32, int) error{"text": WriteText, "binary": WriteBinary}
	tests := []struct {
		name string
		vecs []float32
		want string
	}{
		{"NaN", []float32{0.5, 1, 2, nan}, `"b" holds NaN (value 2 of 2)`},
		{"+Inf", []float32{inf, 1, 2, 3}, `"a" holds +Inf (value 1 of 2)`},
		{"-Inf", []float32{0, 1, -inf, 3}, `"b" holds -Inf (value 1 of 2)`},
	}
	for format, write := range writers {
		for _, tt := range tests {
			var buf bytes.Buffer
			err := write(&buf, []string{"a", "b"}, tt.vecs, 2)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s, %s: error %v, want one saying %s", format, tt.name, err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("%s, %s: wrote %q before failing", format, tt.name, buf.Bytes())
			}
		}
	}
}
