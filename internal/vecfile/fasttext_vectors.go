package vecfile

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sync"

	"github.com/w2vtool/w2v/internal/subword"
)

// FastTextBin is fastText's .bin model format, which Open reads as the
// words' full vectors plus the n-gram rows that give unseen words theirs.
const FastTextBin Format = Native + 1

// Sniff reports the format of the file at path from its first bytes:
// Native, FastTextBin, or 0 for the others (word2vec text or binary,
// possibly gzipped), which only parsing tells apart.
func Sniff(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	head := make([]byte, len(nativeMagic))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	switch head = head[:n]; {
	case string(head) == nativeMagic:
		return Native, nil
	case isFastText(head):
		return FastTextBin, nil
	}
	return 0, nil
}

// isFastText reports whether head starts a fastText .bin file.
func isFastText(head []byte) bool {
	return len(head) >= 4 && binary.LittleEndian.Uint32(head) == fastTextMagic
}

// Subwords gives any word a vector from a fastText model's n-gram rows: the
// mean of the rows of its character n-grams, as fastText gives words it has
// never seen. The rows stay as the file stores them (memory-mapped where
// possible), so a model with millions of buckets costs nothing to open.
type Subwords struct {
	cfg    subword.Config
	dim    int
	pruned map[int32]int32 // nil unless the model was pruned
	rows   []byte          // little-endian float32 rows, one per bucket (per kept bucket if pruned)
}

// Config returns the n-gram settings.
func (s *Subwords) Config() subword.Config { return s.cfg }

// Vector sets dst (of the model's dimension) to the mean of the rows of
// word's n-grams and reports whether it has any; without any dst is zero.
func (s *Subwords) Vector(dst []float32, word string) bool {
	rows := s.appendRows(make([]int32, 0, 64), word)
	meanRows(dst, s.rows, rows)
	return len(rows) > 0
}

func (s *Subwords) appendRows(dst []int32, word string) []int32 {
	if word == eos {
		return dst
	}
	start := len(dst)
	dst = s.cfg.AppendBuckets(dst, word)
	return pruneRows(dst, start, 0, s.pruned)
}

// meanRows is subword.Mean over rows stored as little-endian bytes, which
// in a fastText file need not be aligned for float32.
func meanRows(dst []float32, m []byte, rows []int32) {
	clear(dst)
	dim := len(dst)
	for _, r := range rows {
		row := m[int(r)*dim*4 : (int(r)+1)*dim*4]
		for j := range dst {
			dst[j] += math.Float32frombits(binary.LittleEndian.Uint32(row[4*j:]))
		}
	}
	if len(rows) > 0 {
		inv := float32(1 / float64(len(rows)))
		for j := range dst {
			dst[j] *= inv
		}
	}
}

// Subwords returns the n-gram rows that give unseen words a vector, or nil
// if the vectors came from a file without them (only fastText .bin models
// and native files converted from them have them).
func (v *Vectors) Subwords() *Subwords { return v.sub }

// openFastText maps the fastText .bin file f and returns its words' vectors.
func openFastText(f *os.File, name string, size int64, opts Options) (*Vectors, error) {
	if size != int64(int(size)) {
		return nil, fmt.Errorf("%s: %d bytes is too large to map on this platform", name, size)
	}
	mem, release, err := mapFile(f, int(size))
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", name, err)
	}
	v, err := decodeFastTextVectors(mem, name, opts)
	if err != nil {
		release()
		return nil, err
	}
	if opts.Progress != nil {
		opts.Progress(size)
	}
	if v.sub == nil || !littleEndian {
		release()
		return v, nil
	}
	free := v.release
	v.release = func() error {
		err := release()
		if free != nil {
			err = errors.Join(free(), err)
		}
		return err
	}
	return v, nil
}

// decodeFastTextVectors reads the fastText .bin in mem as vectors: each
// word's vector is the mean of its rows, as fastText's print-word-vectors
// and .vec files give it, and the bucket rows stay in mem for Subwords.
func decodeFastTextVectors(mem []byte, name string, opts Options) (*Vectors, error) {
	d := &ftDecoder{r: bufio.NewReaderSize(bytes.NewReader(mem), 1<<16), name: name, size: int64(len(mem))}
	m, err := d.header()
	if err != nil {
		return nil, err
	}
	dim := m.Dim()
	input, err := d.matrixAt(mem, "input", m.InputRows(), dim)
	if err != nil {
		return nil, err
	}
	if _, err := d.matrixAt(mem, "output", m.outputRows(), dim); err != nil {
		return nil, err
	}
	if d.off != int64(len(mem)) {
		return nil, d.bad(d.off, "data after the output matrix")
	}
	n := len(m.Words)
	if n == 0 {
		return nil, d.bad(-1, "the model has no words")
	}
	if err := checkMemory(name, 4*int64(n)*int64(dim), true); err != nil {
		return nil, err
	}
	b := newBuilder(n, dim, true, !opts.Raw)
	// Each word's rows are summed from the file in parallel; the rows
	// are then indexed in order, which drops (rare, hostile) duplicates.
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(1, n/1024))
	for w := range workers {
		wg.Go(func() {
			rows := make([]int32, 0, 64)
			for i := w; i < n; i += workers {
				// Row i itself, as fastText does, even for a repeated word.
				rows = m.appendNgramRows(append(rows[:0], int32(i)), m.Words[i])
				meanRows(b.data[i*dim:(i+1)*dim], input, rows)
			}
		})
	}
	wg.Wait()
	for i, w := range m.Words {
		for _, x := range b.data[i*dim : (i+1)*dim] {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, d.bad(-1, "the vector of word %d (%q) holds %v: the matrix is damaged", i+1, truncate([]byte(w)), x)
			}
		}
		if b.kept != i {
			copy(b.data[b.kept*dim:(b.kept+1)*dim], b.data[i*dim:(i+1)*dim])
		}
		if err := b.add([]byte(w)); err != nil {
			return nil, &FormatError{File: name, Offset: -1, Msg: err.Error()}
		}
	}
	v := b.finish()
	v.Format = FastTextBin
	if cfg := m.Subwords(); cfg.Enabled() {
		buckets := input[n*dim*4:]
		if !littleEndian {
			buckets = bytes.Clone(buckets)
		}
		v.sub = &Subwords{cfg: cfg, dim: dim, pruned: m.Pruned, rows: buckets}
	}
	return v, nil
}

// matrixAt checks the header of the dense matrix at the decoder's offset in
// mem and returns its values' bytes, moving the offset past them.
func (d *ftDecoder) matrixAt(mem []byte, what string, rows, cols int) ([]byte, error) {
	head := mem[min(d.off, int64(len(mem))):]
	if len(head) < 17 {
		return nil, d.bad(d.off, "file ends before the %s matrix; it is truncated", what)
	}
	d.r = bufio.NewReaderSize(bytes.NewReader(head[:17]), 16)
	if _, err := d.matrixHead(what, rows, cols); err != nil {
		return nil, err
	}
	size := int64(rows) * int64(cols) * 4
	out := mem[d.off : d.off+size]
	d.off += size
	return out, nil
}
