package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// svgMap is the part of an SVG map the test reads back.
type svgMap struct {
	ViewBox string    `xml:"viewBox,attr"`
	Texts   []svgText `xml:"text"`
	Groups  []struct {
		Circles []struct {
			X     float64 `xml:"cx,attr"`
			Y     float64 `xml:"cy,attr"`
			Fill  string  `xml:"fill,attr"`
			Title string  `xml:"title"`
		} `xml:"circle"`
		Texts []svgText `xml:"text"`
	} `xml:"g"`
}

type svgText struct {
	X    float64 `xml:"x,attr"`
	Y    float64 `xml:"y,attr"`
	Text string  `xml:",chardata"`
}

func TestWriteSVG(t *testing.T) {
	words := []string{"origin", "east", "north", "<b>&amp;\"x\""}
	coords := []float64{0, 0, 2, 0, 0, 1, -1, -1}
	var b bytes.Buffer
	if err := WriteSVG(&b, Map{Words: words, Coords: coords, Caption: "PCA <1> & 2"}); err != nil {
		t.Fatal(err)
	}
	var m svgMap
	if err := xml.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	if len(m.Groups) != 2 || len(m.Texts) != 1 || m.Texts[0].Text != "PCA <1> & 2" {
		t.Fatalf("groups %d, texts %+v", len(m.Groups), m.Texts)
	}
	p, labels := m.Groups[0].Circles, m.Groups[1].Texts
	if len(p) != 4 || len(labels) != 4 {
		t.Fatalf("%d points, %d labels", len(p), len(labels))
	}
	for i, w := range words {
		if labels[i].Text != w || p[i].Title != w {
			t.Errorf("label %d = %q, title %q, want %q", i, labels[i].Text, p[i].Title, w)
		}
		if c := p[i]; c.X < 0 || c.X > width || c.Y < 0 || c.Y > height {
			t.Errorf("point %d at %v, outside the %d × %d view", i, c, width, height)
		}
	}
	// East is right of the origin, north above it (smaller y), and one
	// unit is the same length on both axes.
	if p[1].X <= p[0].X || math.Abs(p[1].Y-p[0].Y) > 0.1 || p[2].Y >= p[0].Y || math.Abs(p[2].X-p[0].X) > 0.1 {
		t.Errorf("points %v", p)
	}
	if ex, ny := p[1].X-p[0].X, p[0].Y-p[2].Y; math.Abs(ex-2*ny) > 0.2 {
		t.Errorf("2 units east is %.1f, 1 unit north %.1f: axes scaled differently", ex, ny)
	}
	// The widest span (x, 3 units) fills the plot.
	if span := p[1].X - p[3].X; math.Abs(span-plotSize) > 0.2 {
		t.Errorf("x span drawn %.1f wide, want %d", span, plotSize)
	}
	for _, bad := range []Map{
		{Words: []string{"x"}, Coords: []float64{0, math.NaN()}},
		{Words: []string{"x"}, Coords: []float64{math.Inf(1), 0}},
		{Words: []string{"x"}, Coords: []float64{0}},
		{Words: []string{"x"}, Coords: []float64{0, 0}, Class: []int32{1, 2}},
	} {
		for name, write := range map[string]func(*bytes.Buffer, Map) error{
			"svg":  func(b *bytes.Buffer, m Map) error { return WriteSVG(b, m) },
			"png":  func(b *bytes.Buffer, m Map) error { return WritePNG(b, m) },
			"html": func(b *bytes.Buffer, m Map) error { return WriteHTML(b, m) },
		} {
			if err := write(&bytes.Buffer{}, bad); err == nil {
				t.Errorf("%s of %+v: no error", name, bad)
			}
		}
	}
}

// pile is n words in a heap at the centre of the map, and a few far out.
func pile(n int) Map {
	rng := rand.New(rand.NewPCG(1, 2))
	m := Map{Caption: "pile"}
	for i := range n {
		m.Words = append(m.Words, strings.Repeat("w", 3+i%7)+string(rune('a'+i%26)))
		s := 0.05
		if i%50 == 0 {
			s = 1
		}
		m.Coords = append(m.Coords, s*rng.NormFloat64(), s*rng.NormFloat64())
		m.Class = append(m.Class, int32(i%5))
	}
	return m
}

func TestLabelsNeverOverlap(t *testing.T) {
	m := pile(2000)
	f, err := goFont()
	if err != nil {
		t.Fatal(err)
	}
	for _, zoom := range []float64{1, 4} {
		ps := m.layout(f, zoom)
		var boxes []box
		for i, p := range ps {
			if p.side == none {
				continue
			}
			b := labelBox(p.x*zoom, p.y*zoom, p.width, p.side)
			for j, c := range boxes {
				if b.x0 < c.x1 && c.x0 < b.x1 && b.y0 < c.y1 && c.y0 < b.y1 {
					t.Fatalf("zoom %g: label %d (%q) overlaps label %d", zoom, i, m.Words[i], j)
				}
			}
			boxes = append(boxes, b)
		}
		// The first word always gets its label; a heap of 2,000 cannot
		// label them all, but a good share of the space fills.
		if ps[0].side == none || len(boxes) == len(ps) || len(boxes) < 30 {
			t.Errorf("zoom %g: %d of %d labelled, the first %v", zoom, len(boxes), len(ps), ps[0].side != none)
		}
		t.Logf("zoom %g: %d of %d labelled", zoom, len(boxes), len(ps))
	}
}

func TestWritePNG(t *testing.T) {
	m := Map{Words: []string{"left", "right"}, Coords: []float64{0, 0, 1, 0}, Class: []int32{0, 1}, Caption: "two"}
	var b bytes.Buffer
	if err := WritePNG(&b, m); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != width || s.Y != height {
		t.Fatalf("size %v, want %d × %d", s, width, height)
	}
	f, _ := goFont()
	for i, p := range m.layout(f, 1) {
		r, g, bl, _ := img.At(int(p.x), int(p.y)).RGBA()
		wr, wg, wb := Color(m.Class[i])
		if r>>8 != uint32(wr) || g>>8 != uint32(wg) || bl>>8 != uint32(wb) {
			t.Errorf("point %d at (%.0f, %.0f) is %d,%d,%d, want its class's colour %d,%d,%d", i, p.x, p.y, r>>8, g>>8, bl>>8, wr, wg, wb)
		}
		// Its label is drawn: dark pixels in its box.
		bx := labelBox(p.x, p.y, p.width, p.side)
		ink := 0
		for y := int(bx.y0); y < int(bx.y1); y++ {
			for x := int(bx.x0); x < int(bx.x1); x++ {
				if r, _, _, _ := img.At(x, y).RGBA(); r>>8 < 160 {
					ink++
				}
			}
		}
		if ink < 10 {
			t.Errorf("label %q: %d inked pixels in its box", m.Words[i], ink)
		}
	}
}

func TestWriteHTML(t *testing.T) {
	m := pile(500)
	m.Words[3] = "</script><b>"
	m.Caption = "a <map> & more"
	var b bytes.Buffer
	if err := WriteHTML(&b, m); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	// Self-contained: nothing to fetch (the SVG namespace is a name, not a fetch).
	for _, bad := range []string{"src=", "href=", "@import", "url(", "fetch(", "XMLHttpRequest"} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if n := strings.Count(page, "</script>"); n != 1 {
		t.Errorf("%d </script> in the page: a word broke out of the script", n)
	}
	if !strings.Contains(page, "<title>a &lt;map&gt; &amp; more</title>") {
		t.Error("caption not escaped in the title")
	}
	js := regexp.MustCompile(`const D = (.*);\n`).FindStringSubmatch(page)
	if js == nil {
		t.Fatal("no data in the page")
	}
	var d struct {
		W []string  `json:"w"`
		X []float64 `json:"x"`
		Z []float64 `json:"z"`
	}
	if err := json.Unmarshal([]byte(js[1]), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.W) != 500 || d.W[3] != m.Words[3] || len(d.X) != 500 || len(d.Z) != 500 {
		t.Fatalf("data holds %d words, word 3 %q", len(d.W), d.W[3])
	}
	// Zooming in shows more labels: some appear only past zoom 1.
	at1, later := 0, 0
	for _, z := range d.Z {
		switch {
		case z == 1:
			at1++
		case z > 1:
			later++
		}
	}
	if at1 == 0 || later == 0 || d.Z[0] != 1 {
		t.Errorf("%d labels at zoom 1, %d later, the first at zoom %g", at1, later, d.Z[0])
	}
}
