package vecfile

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
)

// checkMatrix reports an error unless vecs holds len(words) rows of dim,
// all finite. The readers refuse NaN and infinities, so a file holding one
// could be written but never read back; and such a value only comes from
// training that diverged.
func checkMatrix(words []string, vecs []float32, dim int) error {
	if dim <= 0 || len(vecs) != len(words)*dim {
		return fmt.Errorf("vecfile: %d words × dim %d does not match %d values", len(words), dim, len(vecs))
	}
	for i, v := range vecs {
		if v-v != 0 { // NaN and ±Inf only
			return fmt.Errorf("vecfile: vector of %q holds %v (value %d of %d): refusing to write a non-finite value", words[i/dim], v, i%dim+1, dim)
		}
	}
	return nil
}

// WriteText writes vectors in word2vec's text format: a "count dim" header
// line, then one line per word, the word and its dim values separated by
// single spaces. Values are written in the shortest form that reads back to
// the same float32, so text files lose nothing.
func WriteText(w io.Writer, words []string, vecs []float32, dim int) error {
	if err := checkMatrix(words, vecs, dim); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	line := make([]byte, 0, 16*dim)
	line = fmt.Appendf(line, "%d %d\n", len(words), dim)
	for i, word := range words {
		line = append(line, word...)
		for _, v := range vecs[i*dim : (i+1)*dim] {
			line = append(line, ' ')
			line = strconv.AppendFloat(line, float64(v), 'g', -1, 32)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
		line = line[:0]
	}
	if _, err := bw.Write(line); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteBinary writes vectors in word2vec's binary format: a "count dim"
// header line, then for each word the word, a space, dim little-endian
// float32 values, and a newline (as word2vec's C tool writes it).
func WriteBinary(w io.Writer, words []string, vecs []float32, dim int) error {
	if err := checkMatrix(words, vecs, dim); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := fmt.Fprintf(bw, "%d %d\n", len(words), dim); err != nil {
		return err
	}
	row := make([]byte, 4*dim)
	for i, word := range words {
		for j, v := range vecs[i*dim : (i+1)*dim] {
			binary.LittleEndian.PutUint32(row[4*j:], math.Float32bits(v))
		}
		bw.WriteString(word)
		bw.WriteByte(' ')
		bw.Write(row)
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}
