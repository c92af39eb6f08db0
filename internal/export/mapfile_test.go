package export

import (
	"bytes"
	"encoding/xml"
	"math"
	"strings"
	"testing"
)

func TestWriteMapTSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMapTSV(&b, []string{"king", "a\tb"}, []float64{1.5, -2, 0.1234567, 1e-9}); err != nil {
		t.Fatal(err)
	}
	want := "word\tx\ty\nking\t1.5\t-2\na\\tb\t0.123457\t1e-09\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	if err := WriteMapTSV(&b, []string{"a"}, []float64{1}); err == nil {
		t.Error("1 coordinate for 1 word: no error")
	}
}

// svgMap is the part of an SVG map the test reads back.
type svgMap struct {
	ViewBox string `xml:"viewBox,attr"`
	Circles []struct {
		X float64 `xml:"cx,attr"`
		Y float64 `xml:"cy,attr"`
	} `xml:"circle"`
	Texts []string `xml:"text"`
}

func TestWriteMapSVG(t *testing.T) {
	words := []string{"origin", "east", "north", "<b>&amp;\"x\""}
	coords := []float64{0, 0, 2, 0, 0, 1, -1, -1}
	var b bytes.Buffer
	if err := WriteMapSVG(&b, words, coords, "PCA <1> & 2"); err != nil {
		t.Fatal(err)
	}
	var m svgMap
	if err := xml.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	if len(m.Circles) != 4 || len(m.Texts) != 5 || m.Texts[0] != "PCA <1> & 2" {
		t.Fatalf("%d points, texts %q", len(m.Circles), m.Texts)
	}
	for i, w := range words {
		if m.Texts[i+1] != w {
			t.Errorf("label %d = %q, want %q", i, m.Texts[i+1], w)
		}
		if c := m.Circles[i]; c.X < 0 || c.X > 1120 || c.Y < 0 || c.Y > 1120 {
			t.Errorf("point %d at %v, outside the 1120 × 1120 view", i, c)
		}
	}
	p := m.Circles
	// East is right of the origin, north above it (smaller y), and one
	// unit is the same length on both axes.
	if p[1].X <= p[0].X || math.Abs(p[1].Y-p[0].Y) > 0.1 || p[2].Y >= p[0].Y || math.Abs(p[2].X-p[0].X) > 0.1 {
		t.Errorf("points %v", p)
	}
	if ex, ny := p[1].X-p[0].X, p[0].Y-p[2].Y; math.Abs(ex-2*ny) > 0.2 {
		t.Errorf("2 units east is %.1f, 1 unit north %.1f: axes scaled differently", ex, ny)
	}
	// The widest span (x, 3 units) fills the 1000-unit plot area.
	if span := p[1].X - p[3].X; math.Abs(span-1000) > 0.2 {
		t.Errorf("x span drawn %.1f wide, want 1000", span)
	}
	for _, bad := range [][]float64{{0, math.NaN()}, {math.Inf(1), 0}} {
		if err := WriteMapSVG(&b, []string{"x"}, bad, ""); err == nil || !strings.Contains(err.Error(), "coordinates") {
			t.Errorf("%v: err = %v", bad, err)
		}
	}
}
