package render_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/w2vtool/w2v/internal/render"
)

func ExampleWriteSVG() {
	m := render.Map{
		Words:   []string{"paris", "berlin", "france", "germany"},
		Coords:  []float64{0, 1, 1, 1, 0, 0, 1, 0}, // x, y of each word
		Class:   []int32{0, 0, 1, 1},               // capitals, countries
		Caption: "capitals above their countries",
	}
	var b bytes.Buffer
	if err := render.WriteSVG(&b, m); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(b.String(), "<circle"), "points,", strings.Count(b.String(), "<text")-1, "labels")
	// Output: 4 points, 4 labels
}
