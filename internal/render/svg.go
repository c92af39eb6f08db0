package render

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
)

// fontFamily names the Go font first, the one the labels were measured
// in, and fonts of similar width after it.
const fontFamily = `Go, 'DejaVu Sans', Verdana, sans-serif`

// WriteSVG draws m as an SVG scatter plot: a point per word, coloured by
// class if m has classes, the labels that fit, and the caption above.
// Both axes have the same scale and y grows upwards, as in a plot.
// Hovering over a point shows its word.
func WriteSVG(w io.Writer, m Map) error {
	if err := m.check(); err != nil {
		return err
	}
	f, err := goFont()
	if err != nil {
		return err
	}
	ps := m.layout(f, 1)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="%s" font-size="%d">`+"\n",
		width, height, width, height, fontFamily, fontSize)
	writeSVGBody(bw, &m, ps)
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// writeSVGBody writes the background, caption, points and labels.
func writeSVGBody(bw *bufio.Writer, m *Map, ps []placed) {
	fmt.Fprintf(bw, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(bw, `<text x="10" y="22" font-size="%d">`, capSize)
	xml.EscapeText(bw, []byte(m.Caption))
	bw.WriteString("</text>\n<g>\n")
	for i, p := range ps {
		r, g, b := m.colorOf(i)
		rad := radius
		if p.side == none {
			rad = radius * 0.7
		}
		fmt.Fprintf(bw, `<circle cx="%.1f" cy="%.1f" r="%.2g" fill="#%02x%02x%02x"><title>`, p.x, p.y, rad, r, g, b)
		xml.EscapeText(bw, []byte(m.Words[i]))
		bw.WriteString("</title></circle>\n")
	}
	bw.WriteString("</g>\n<g>\n")
	for i, p := range ps {
		if p.side == none {
			continue
		}
		x, y := labelAnchor(p.x, p.y, p.width, p.side)
		fill := "#222"
		if m.Class != nil {
			r, g, b := m.colorOf(i)
			fill = fmt.Sprintf("#%02x%02x%02x", r/2, g/2, b/2)
		}
		fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" fill="%s">`, x, y, fill)
		xml.EscapeText(bw, []byte(m.Words[i]))
		bw.WriteString("</text>\n")
	}
	bw.WriteString("</g>\n")
}
