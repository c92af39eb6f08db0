// Package render draws 2-D maps of words: a labelled scatter plot as SVG,
// PNG, or a self-contained HTML page that zooms, pans and finds words.
//
// The maths that makes the coordinates is package explore's; this package
// only lays them out. All three formats share one layout: the points
// scaled into a square with equal axes, and labels thinned greedily in the
// order the points come (most frequent word first, as vector files list
// them), each placed right, left, above, below or diagonally off its point
// where it overlaps no label already placed, or left out. Every point is drawn; a
// word whose label did not fit is still named by hovering in the HTML page.
package render

import (
	"fmt"
	"math"
	"slices"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Map is what to draw.
type Map struct {
	// Words and their coordinates, x and y of each in turn. Earlier
	// words' labels win a contested place.
	Words  []string
	Coords []float64
	// Class, if not nil, holds a class per word (0, 1, …) that colours
	// its point and label.
	Class   []int32
	Caption string // drawn above the map
}

// The layout, in pixels (PNG) or user units (SVG).
const (
	plotSize = 1000 // width and height of the square the points fill
	margin   = 60   // room around it for labels that stick out
	top      = 30   // room above for the caption
	width    = plotSize + 2*margin
	height   = plotSize + 2*margin + top
	fontSize = 11
	capSize  = 14
	radius   = 2.5
	pad      = 1 // space kept between labels
)

// side is where a label sits against its point.
type side int8

const (
	none side = iota
	right
	left
	above
	below
	aboveRight
	belowRight
	aboveLeft
	belowLeft
)

// placed is a point of the layout.
type placed struct {
	x, y  float64 // position in pixels, y downwards
	side  side    // where its label goes, none if it did not fit
	width float64 // its label's width in pixels
}

// box is a label's rectangle.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) overlaps(c box) bool {
	return b.x0 < c.x1+pad && c.x0 < b.x1+pad && b.y0 < c.y1+pad && c.y0 < b.y1+pad
}

// check returns an error if the map cannot be drawn.
func (m *Map) check() error {
	if len(m.Coords) != 2*len(m.Words) {
		return fmt.Errorf("render: %d coordinates for %d words", len(m.Coords), len(m.Words))
	}
	if m.Class != nil && len(m.Class) != len(m.Words) {
		return fmt.Errorf("render: %d classes for %d words", len(m.Class), len(m.Words))
	}
	for i, c := range m.Coords {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return fmt.Errorf("render: word %d (%q) has coordinate %g", i/2, m.Words[i/2], c)
		}
	}
	return nil
}

// layout places the points of m in the plot, y downwards, and their
// labels at a zoom factor: at zoom z the map is z times larger but the
// labels keep their size, so more of them fit.
func (m *Map) layout(f *opentype.Font, zoom float64) []placed {
	n := len(m.Words)
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range n {
		x, y := m.Coords[2*i], m.Coords[2*i+1]
		minX, maxX, minY, maxY = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y)
	}
	span := max(maxX-minX, maxY-minY)
	scale := 1.0
	if span > 0 {
		scale = plotSize / span
	}
	// Centre the points' box in the plot.
	offX := margin + (plotSize-(maxX-minX)*scale)/2
	offY := top + margin + (plotSize-(maxY-minY)*scale)/2
	ps := make([]placed, n)
	for i := range n {
		ps[i] = placed{x: offX + (m.Coords[2*i]-minX)*scale, y: offY + (maxY-m.Coords[2*i+1])*scale, width: textWidth(f, m.Words[i], fontSize)}
	}
	// Labels are tried in order against a grid of cells of the label
	// height, each listing the boxes that touch it.
	cell := float64(fontSize)
	grid := make(map[[2]int32][]box)
	cells := func(b box, f func(k [2]int32) bool) bool {
		for gx := int32(math.Floor(b.x0 / cell)); gx <= int32(math.Floor(b.x1/cell)); gx++ {
			for gy := int32(math.Floor(b.y0 / cell)); gy <= int32(math.Floor(b.y1/cell)); gy++ {
				if !f([2]int32{gx, gy}) {
					return false
				}
			}
		}
		return true
	}
	free := func(b box) bool {
		return cells(b, func(k [2]int32) bool {
			return !slices.ContainsFunc(grid[k], b.overlaps)
		})
	}
	for i := range ps {
		p := &ps[i]
		for s := right; s <= belowLeft; s++ {
			b := labelBox(p.x*zoom, p.y*zoom, p.width, s)
			if !free(b) {
				continue
			}
			p.side = s
			cells(b, func(k [2]int32) bool {
				grid[k] = append(grid[k], b)
				return true
			})
			break
		}
	}
	return ps
}

// labelBox returns the rectangle of a label of width w on side s of a
// point at (x, y).
func labelBox(x, y, w float64, s side) box {
	const gap = 0.45 * fontSize
	h := 1.15 * fontSize
	switch s {
	case left:
		return box{x - gap - w, y - h/2, x - gap, y + h/2}
	case above:
		return box{x - w/2, y - gap - h, x + w/2, y - gap}
	case below:
		return box{x - w/2, y + gap, x + w/2, y + gap + h}
	case aboveRight:
		return box{x + gap/2, y - gap/2 - h, x + gap/2 + w, y - gap/2}
	case belowRight:
		return box{x + gap/2, y + gap/2, x + gap/2 + w, y + gap/2 + h}
	case aboveLeft:
		return box{x - gap/2 - w, y - gap/2 - h, x - gap/2, y - gap/2}
	case belowLeft:
		return box{x - gap/2 - w, y + gap/2, x - gap/2, y + gap/2 + h}
	}
	return box{x + gap, y - h/2, x + gap + w, y + h/2}
}

// labelAnchor returns where a label's text starts (its left end, on the
// baseline) for a label of width w on side s of a point at (x, y).
func labelAnchor(x, y, w float64, s side) (float64, float64) {
	b := labelBox(x, y, w, s)
	return b.x0, b.y1 - 0.3*fontSize
}

// goFont returns the Go font (golang.org/x/image/font/gofont), which
// measures the labels and draws the PNG's text. Parsing it takes well
// under a millisecond, so each map parses its own.
func goFont() (*opentype.Font, error) {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("render: font: %w", err)
	}
	return f, nil
}

// textWidth returns the width of s in the Go font at size pixels.
func textWidth(f *opentype.Font, s string, size float64) float64 {
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(size * 64)
	var w fixed.Int26_6
	for _, r := range s {
		adv := fixed.Int26_6(0.6 * size * 64)
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			if a, err := f.GlyphAdvance(&buf, g, ppem, font.HintingNone); err == nil {
				adv = a
			}
		}
		w += adv
	}
	return float64(w) / 64
}

// Color returns the colour of class c: hues a golden angle apart, so
// neighbouring class numbers differ most, at a lightness that reads on
// white.
func Color(c int32) (r, g, b uint8) {
	if c < 0 {
		return 0x1f, 0x77, 0xb4
	}
	h := math.Mod(float64(c)*137.508+210, 360)
	l := 0.42 + 0.08*float64(c%3)/2
	return hsl(h, 0.7, l)
}

// hsl converts a colour from hue (degrees), saturation and lightness.
func hsl(h, s, l float64) (uint8, uint8, uint8) {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	case h < 120:
		r, g = x, c
	case h < 180:
		g, b = c, x
	case h < 240:
		g, b = x, c
	case h < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	to := func(v float64) uint8 { return uint8(math.Round(255 * (v + m))) }
	return to(r), to(g), to(b)
}

// colorOf returns the colour of word i of m.
func (m *Map) colorOf(i int) (uint8, uint8, uint8) {
	if m.Class == nil {
		return Color(-1)
	}
	return Color(m.Class[i])
}
