package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// WriteMapTSV writes 2-D coordinates of words as tab-separated values with
// a header line, "word\tx\ty", one word a line (escaped, see Escape).
// coords holds x and y of each word in turn. If class is not nil, a fourth
// column holds each word's class.
func WriteMapTSV(w io.Writer, words []string, coords []float64, class []int32) error {
	if err := checkMap(words, coords, class); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if class != nil {
		bw.WriteString("word\tx\ty\tclass\n")
	} else {
		bw.WriteString("word\tx\ty\n")
	}
	var line []byte
	for i, word := range words {
		line = append(line[:0], Escape(word)...)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, coords[2*i], 'g', 6, 64)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, coords[2*i+1], 'g', 6, 64)
		if class != nil {
			line = append(line, '\t')
			line = strconv.AppendInt(line, int64(class[i]), 10)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteMapJSON writes 2-D coordinates of words as a JSON array of objects
// {"word", "x", "y"}, with "class" too if class is not nil.
func WriteMapJSON(w io.Writer, words []string, coords []float64, class []int32) error {
	if err := checkMap(words, coords, class); err != nil {
		return err
	}
	type point struct {
		Word  string  `json:"word"`
		X     float64 `json:"x"`
		Y     float64 `json:"y"`
		Class *int32  `json:"class,omitempty"`
	}
	ps := make([]point, len(words))
	for i, word := range words {
		ps[i] = point{Word: word, X: coords[2*i], Y: coords[2*i+1]}
		if class != nil {
			ps[i].Class = &class[i]
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ps)
}

// checkMap returns an error if the coordinates or classes do not fit the
// words, or a coordinate is not a finite number.
func checkMap(words []string, coords []float64, class []int32) error {
	if len(coords) != 2*len(words) {
		return fmt.Errorf("export: %d coordinates for %d words", len(coords), len(words))
	}
	if class != nil && len(class) != len(words) {
		return fmt.Errorf("export: %d classes for %d words", len(class), len(words))
	}
	for i, c := range coords {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return fmt.Errorf("export: word %d (%q) has coordinate %g", i/2, words[i/2], c)
		}
	}
	return nil
}
