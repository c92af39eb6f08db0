package export_test

import (
	"os"

	"github.com/w2vtool/w2v/internal/export"
)

func ExampleWriteMapTSV() {
	words := []string{"paris", "berlin"}
	coords := []float64{0.5, -1.25, 2, 0} // x, y of each word
	export.WriteMapTSV(os.Stdout, words, coords, []int32{0, 0})
	// Output:
	// word	x	y	class
	// paris	0.5	-1.25	0
	// berlin	2	0	0
}
