package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// WritePNG draws m as WriteSVG does, into a PNG image of the SVG's size in
// pixels: antialiased discs, and the labels in the Go font, the one the
// layout measured them in, so no label overlaps another.
func WritePNG(w io.Writer, m Map) error {
	if err := m.check(); err != nil {
		return err
	}
	f, err := goFont()
	if err != nil {
		return err
	}
	ps := m.layout(f, 1)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for i, p := range ps {
		r, g, b := m.colorOf(i)
		rad := radius
		if p.side == none {
			rad = radius * 0.7
		}
		disc(img, p.x, p.y, rad, color.RGBA{r, g, b, 255})
	}
	label, err := face(f, fontSize)
	if err != nil {
		return err
	}
	for i, p := range ps {
		if p.side == none {
			continue
		}
		x, y := labelAnchor(p.x, p.y, p.width, p.side)
		ink := color.RGBA{0x22, 0x22, 0x22, 255}
		if m.Class != nil {
			r, g, b := m.colorOf(i)
			ink = color.RGBA{r / 2, g / 2, b / 2, 255}
		}
		text(img, label, ink, x, y, m.Words[i])
	}
	caption, err := face(f, capSize)
	if err != nil {
		return err
	}
	text(img, caption, color.Black, 10, 22, m.Caption)
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("render: png: %w", err)
	}
	return nil
}

func face(f *opentype.Font, size float64) (font.Face, error) {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("render: font: %w", err)
	}
	return fc, nil
}

// text draws s with its baseline's left end at (x, y).
func text(img draw.Image, fc font.Face, ink color.Color, x, y float64, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(ink), Face: fc,
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}}
	d.DrawString(s)
}

// disc blends a filled circle of radius r centred at (cx, cy) into img,
// each pixel covered in proportion to how much of it lies inside (to a
// pixel's width at the edge).
func disc(img *image.RGBA, cx, cy, r float64, c color.RGBA) {
	b := img.Bounds()
	for py := max(b.Min.Y, int(math.Floor(cy-r-1))); py <= min(b.Max.Y-1, int(math.Ceil(cy+r+1))); py++ {
		for px := max(b.Min.X, int(math.Floor(cx-r-1))); px <= min(b.Max.X-1, int(math.Ceil(cx+r+1))); px++ {
			d := math.Hypot(float64(px)+0.5-cx, float64(py)+0.5-cy)
			a := min(1, max(0, r+0.5-d))
			if a == 0 {
				continue
			}
			o := img.RGBAAt(px, py)
			mix := func(dst, src uint8) uint8 { return uint8(math.Round(float64(dst)*(1-a) + float64(src)*a)) }
			img.SetRGBA(px, py, color.RGBA{mix(o.R, c.R), mix(o.G, c.G), mix(o.B, c.B), 255})
		}
	}
}
