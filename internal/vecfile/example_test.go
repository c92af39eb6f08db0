package vecfile_test

import (
	"fmt"
	"strings"

	"github.com/w2vtool/w2v/internal/vecfile"
)

func ExampleRead() {
	model := "3 2\nthe 3 4\nking 1 0\nqueen 0 -2\n"
	v, err := vecfile.Read(strings.NewReader(model), "model.txt", vecfile.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	i, _ := v.Index("the")
	fmt.Println(v.Format, v.Len(), v.Dim())
	fmt.Println(v.Word(i), v.Row(i), v.Norm(i))

	_, err = vecfile.Read(strings.NewReader("3 2\nthe 3 4\nking 1\n"), "bad.txt", vecfile.Options{})
	fmt.Println(err)
	// Output:
	// word2vec text 3 2
	// the [0.6 0.8] 5
	// bad.txt:3: word "king": 1 values; the header announces 2
}
