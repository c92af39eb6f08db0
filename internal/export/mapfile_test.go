package export

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestWriteMapTSV(t *testing.T) {
	tests := []struct {
		name  string
		class []int32
		want  string
	}{
		{"no classes", nil, "word\tx\ty\nking\t1.5\t-2\na\\tb\t0.123457\t1e-09\n"},
		{"classes", []int32{3, 0}, "word\tx\ty\tclass\nking\t1.5\t-2\t3\na\\tb\t0.123457\t1e-09\t0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteMapTSV(&b, []string{"king", "a\tb"}, []float64{1.5, -2, 0.1234567, 1e-9}, tt.class); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestWriteMapJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMapJSON(&b, []string{"king", "\"q\""}, []float64{1.5, -2, 0, 1e-9}, []int32{0, 2}); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Word  string
		X, Y  float64
		Class *int32
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if len(got) != 2 || got[1].Word != `"q"` || got[0].X != 1.5 || got[1].Y != 1e-9 || got[1].Class == nil || *got[1].Class != 2 {
		t.Errorf("read back %+v from\n%s", got, b.String())
	}
	b.Reset()
	if err := WriteMapJSON(&b, []string{"a", "b"}, []float64{1, 2, 3, 4}, nil); err != nil || strings.Contains(b.String(), "class") {
		t.Errorf("no classes: err %v, output\n%s", err, b.String())
	}
}

func TestWriteMapBadInput(t *testing.T) {
	tests := []struct {
		name   string
		words  []string
		coords []float64
		class  []int32
		msg    string
	}{
		{"one coordinate", []string{"a"}, []float64{1}, nil, "coordinates"},
		{"NaN", []string{"a"}, []float64{0, math.NaN()}, nil, "coordinate NaN"},
		{"infinite", []string{"a"}, []float64{math.Inf(1), 0}, nil, "coordinate +Inf"},
		{"classes short", []string{"a", "b"}, []float64{0, 0, 1, 1}, []int32{1}, "1 classes for 2 words"},
	}
	for _, tt := range tests {
		for name, write := range map[string]func() error{
			"tsv":  func() error { return WriteMapTSV(&bytes.Buffer{}, tt.words, tt.coords, tt.class) },
			"json": func() error { return WriteMapJSON(&bytes.Buffer{}, tt.words, tt.coords, tt.class) },
		} {
			if err := write(); err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("%s, %s: err = %v, want %q", tt.name, name, err, tt.msg)
			}
		}
	}
}
