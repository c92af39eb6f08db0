// Package export writes word vectors and word classes in the formats other
// tools read: word2vec's -classes file, TensorBoard's Embedding Projector
// (tab-separated vectors and metadata), numpy's .npy matrix with a word
// list beside it, and 2-D maps of words as TSV coordinates or SVG plots.
//
// Writers take the words and the row-major matrix as package vecfile gives
// them and write to an io.Writer; WriteDir makes a directory of such files
// appear whole or not at all.
package export

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// escaper spells out the characters that would break a line-per-word file
// (and, in TSV, a tab-separated column). vecfile refuses words holding
// them, but words may come from elsewhere.
var escaper = strings.NewReplacer("\t", `\t`, "\n", `\n`, "\r", `\r`)

// Escape returns word with tabs, newlines and carriage returns written as
// \t, \n and \r, so that it stays on one line and in one column.
func Escape(word string) string { return escaper.Replace(word) }

// WriteClasses writes word classes as word2vec's -classes does, "word
// class" a line, sorted by class and, within a class, in row order (most
// frequent first, for a model's words).
func WriteClasses(w io.Writer, words []string, class []int32) error {
	if len(words) != len(class) {
		return fmt.Errorf("export: %d words but %d classes", len(words), len(class))
	}
	order := make([]int, len(words))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(class[a], class[b]) })
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	for _, i := range order {
		line = append(line[:0], Escape(words[i])...)
		line = append(line, ' ')
		line = strconv.AppendInt(line, int64(class[i]), 10)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteWords writes the words one a line, escaped (see Escape).
func WriteWords(w io.Writer, words []string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	for _, word := range words {
		bw.WriteString(Escape(word))
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// checkMatrix reports a matrix that is not rows × dim.
func checkMatrix(vecs []float32, rows, dim int) error {
	if rows < 0 || dim < 1 || len(vecs) != rows*dim {
		return fmt.Errorf("export: %d values do not make %d rows of %d", len(vecs), rows, dim)
	}
	return nil
}

// advance adds n to done, which may be nil.
func advance(done *atomic.Int64, n int) {
	if done != nil {
		done.Add(int64(n))
	}
}
