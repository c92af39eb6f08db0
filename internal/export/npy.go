package export

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sync/atomic"
)

// The files of an npy export.
const (
	NPYVectors = "vectors.npy"
	NPYWords   = "words.txt"
)

// NPYFiles returns the names of the files WriteNPYDir writes.
func NPYFiles() []string { return []string{NPYVectors, NPYWords} }

// npyAlign is the alignment of the data in an .npy file: numpy pads the
// header so that the data starts at a multiple of 64 bytes, and so do we,
// so that a memory-mapped matrix (numpy.load(..., mmap_mode="r")) has
// aligned rows.
const npyAlign = 64

// WriteNPY writes the rows × dim matrix vecs as a numpy .npy file (format
// version 1.0): a little-endian float32 array of shape (rows, dim) in C
// order. done, if not nil, counts the rows written.
func WriteNPY(w io.Writer, vecs []float32, rows, dim int, done *atomic.Int64) error {
	if err := checkMatrix(vecs, rows, dim); err != nil {
		return err
	}
	header := npyHeader(rows, dim)
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.Write(header); err != nil {
		return err
	}
	buf := make([]byte, 0, 4*dim)
	for r := range rows {
		buf = buf[:0]
		for _, x := range vecs[r*dim : (r+1)*dim] {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		if r%1024 == 1023 {
			advance(done, 1024)
		}
	}
	advance(done, rows%1024)
	return bw.Flush()
}

// npyHeader returns the header of an .npy file of a rows × dim float32
// matrix, padded so that the data after it is aligned.
func npyHeader(rows, dim int) []byte {
	dict := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", rows, dim)
	// magic (6) + version (2) + header length (2) + dict + padding + '\n'
	pad := npyAlign - (10+len(dict)+1)%npyAlign
	if pad == npyAlign {
		pad = 0
	}
	hlen := len(dict) + pad + 1
	header := make([]byte, 0, 10+hlen)
	header = append(header, "\x93NUMPY\x01\x00"...)
	header = binary.LittleEndian.AppendUint16(header, uint16(hlen))
	header = append(header, dict...)
	for range pad {
		header = append(header, ' ')
	}
	header = append(header, '\n')
	return header
}

// WriteNPYDir writes an npy export into the directory dir (see WriteDir):
// vectors.npy and words.txt, the words of its rows one a line (escaped, see
// Escape). done, if not nil, counts the rows written.
func WriteNPYDir(dir string, words []string, vecs []float32, dim int, done *atomic.Int64) error {
	if err := checkMatrix(vecs, len(words), dim); err != nil {
		return err
	}
	return WriteDir(dir, NPYFiles(), func(tmp string) error {
		if err := writeFile(tmp, NPYVectors, func(w io.Writer) error { return WriteNPY(w, vecs, len(words), dim, done) }); err != nil {
			return err
		}
		return writeFile(tmp, NPYWords, func(w io.Writer) error { return WriteWords(w, words) })
	})
}
