package vecfile_test

import (
	"bytes"
	"fmt"

	"github.com/w2vtool/w2v/internal/vecfile"
)

// A fastText model gives a word it has never seen the mean of its n-gram rows.
func ExampleFastText_WordVector() {
	args := vecfile.DefaultFastTextArgs(2)
	args.Bucket = 10
	m := &vecfile.FastText{Args: args, Words: []string{"cat"}, Counts: []int64{5}}
	m.Input = make([]float32, m.InputRows()*m.Dim()) // the word's row, then 10 buckets
	for i := range m.Input {
		m.Input[i] = float32(i % 3)
	}
	m.Output = make([]float32, len(m.Words)*m.Dim())

	var bin bytes.Buffer
	if err := vecfile.WriteFastText(&bin, m); err != nil {
		fmt.Println(err)
		return
	}
	read, err := vecfile.ReadFastText(&bin, "model.bin")
	if err != nil {
		fmt.Println(err)
		return
	}
	vec := make([]float32, read.Dim())
	known := read.WordVector(vec, "cats") // <ca <cat <cats <cats> cat cats cats> ats ats> ts>
	fmt.Println(known, len(read.AppendRows(nil, "cats")), "rows")
	// Output: false 10 rows
}
