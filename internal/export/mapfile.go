package export

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
)

// WriteMapTSV writes 2-D coordinates of words as tab-separated values with
// a header line, "word\tx\ty", one word a line (escaped, see Escape).
// coords holds x and y of each word in turn.
func WriteMapTSV(w io.Writer, words []string, coords []float64) error {
	if len(coords) != 2*len(words) {
		return fmt.Errorf("export: %d coordinates for %d words", len(coords), len(words))
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("word\tx\ty\n")
	var line []byte
	for i, word := range words {
		line = append(line[:0], Escape(word)...)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, coords[2*i], 'g', 6, 64)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, coords[2*i+1], 'g', 6, 64)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// The SVG map's layout, in its user units.
const (
	mapSize   = 1000 // width and height of the plot area
	mapMargin = 60   // room around it for labels that stick out
)

// WriteMapSVG draws 2-D coordinates of words as an SVG scatter plot, each
// point labelled with its word, and caption above. Both axes have the same
// scale, so distances on the map are distances between the coordinates;
// y grows upwards, as in a plot.
func WriteMapSVG(w io.Writer, words []string, coords []float64, caption string) error {
	if len(coords) != 2*len(words) {
		return fmt.Errorf("export: %d coordinates for %d words", len(coords), len(words))
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range words {
		x, y := coords[2*i], coords[2*i+1]
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			return fmt.Errorf("export: word %d (%q) has coordinates %g, %g", i, words[i], x, y)
		}
		minX, maxX, minY, maxY = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y)
	}
	span := max(maxX-minX, maxY-minY)
	scale := 1.0
	if span > 0 {
		scale = mapSize / span
	}
	// Centre the points' box in the plot area.
	offX := mapMargin + (mapSize-(maxX-minX)*scale)/2
	offY := mapMargin + (mapSize-(maxY-minY)*scale)/2
	total := mapSize + 2*mapMargin
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n",
		total, total, total, total)
	fmt.Fprintf(bw, `<rect width="%d" height="%d" fill="white"/>`+"\n", total, total)
	bw.WriteString(`<text x="10" y="20" font-size="14">`)
	xml.EscapeText(bw, []byte(caption))
	bw.WriteString("</text>\n")
	for i, word := range words {
		cx := offX + (coords[2*i]-minX)*scale
		cy := offY + (maxY-coords[2*i+1])*scale
		fmt.Fprintf(bw, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="#1f77b4"/><text x="%.1f" y="%.1f">`, cx, cy, cx+4, cy-4)
		xml.EscapeText(bw, []byte(word))
		bw.WriteString("</text>\n")
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}
