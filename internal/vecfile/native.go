package vecfile

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"unsafe"

	"github.com/w2vtool/w2v/internal/subword"
)

// The native format is laid out so that a file can be memory-mapped and
// used in place: every section is aligned for its element type, the matrix
// to a page, and the hash index that Vectors.Index probes is stored, so
// opening a model costs a validation pass over the words, not a parse of
// the vectors.
//
//	header   16 little-endian uint64: magic, version (1, or 2 when the
//	         index holds a calibrated search breadth: see Graph), words n, dim,
//	         offsOff, tableOff, tableLen, wordsOff, wordsLen, normsOff,
//	         dataOff, fileSize, indexOff, indexLen, then 2 reserved zeros
//	offs     n+1 uint32: word i is words[offs[i]:offs[i+1]]
//	table    tableLen uint32 (a power of two > n): FNV-1a open addressing,
//	         0 for empty, else row+1
//	words    the words, concatenated
//	norms    n float32: the length each vector had before normalising
//	data     n×dim float32: the vectors scaled to unit length
//	index    optional, 8-aligned: a nearest-neighbour graph (see Graph)
//	subwords optional, page-aligned, at header word 14, its length at 15:
//	         8 uint64 (minn, maxn, buckets, then zeros) and buckets×dim
//	         float32, the n-gram rows of a fastText model (see Subwords)
//
// Readers that predate the subwords section ignore it: the header words it
// uses were reserved zeros.
const (
	nativeMagic      = "\x89w2v\r\n\x1a\n" // as PNG's: catches text-mode and 7-bit mangling
	nativeVersion    = 1
	nativeVersionEf  = 2 // the index section holds its search breadth (see Graph)
	nativeHeaderSize = 16 * 8
	nativePageAlign  = 4096
	subwordsHeadSize = 8 * 8
)

// WriteNative writes v in w2v's native format, which Open memory-maps.
// Raw vectors are normalised on the way out.
func WriteNative(w io.Writer, v *Vectors) error { return writeNative(w, v, nil) }

func writeNative(w io.Writer, v *Vectors, g *Graph) error {
	n, dim := v.Len(), v.dim
	if n < 1 || dim < 1 {
		return fmt.Errorf("vecfile: cannot write %d words of %d dimensions", n, dim)
	}
	if v.sub != nil && v.sub.pruned != nil {
		return fmt.Errorf("vecfile: the native format cannot hold a pruned model's n-gram rows")
	}
	table := buildTable(v.words, v.offs, tableSize(n))
	var h [16]uint64
	h[0] = binary.LittleEndian.Uint64([]byte(nativeMagic))
	h[1] = graphVersion(g)
	h[2], h[3] = uint64(n), uint64(dim)
	off := uint64(nativeHeaderSize)
	h[4], off = off, off+4*uint64(n+1)
	h[5], h[6], off = off, uint64(len(table)), off+4*uint64(len(table))
	h[7], h[8], off = off, uint64(len(v.words)), off+uint64(len(v.words))
	off = alignUp(off, 4)
	h[9], off = off, off+4*uint64(n)
	off = alignUp(off, nativePageAlign)
	h[10] = off
	h[11] = off + 4*uint64(n)*uint64(dim)
	if g != nil {
		h[12] = alignUp(h[11], 8)
		h[13] = graphSize(g, n)
		h[11] = h[12] + h[13]
	}
	if v.sub != nil {
		h[14] = alignUp(h[11], nativePageAlign)
		h[15] = subwordsHeadSize + uint64(len(v.sub.rows))
		h[11] = h[14] + h[15]
	}

	bw := bufio.NewWriterSize(w, bufSize)
	var written uint64
	put := func(b []byte) {
		bw.Write(b)
		written += uint64(len(b))
	}
	pad := func(to uint64) { put(make([]byte, to-written)) }
	buf := make([]byte, 0, 4*max(dim, 1024))
	for _, x := range h {
		buf = binary.LittleEndian.AppendUint64(buf, x)
	}
	put(buf)
	putU32s := func(xs []uint32) {
		for len(xs) > 0 {
			chunk := xs[:min(len(xs), 1024)]
			xs = xs[len(chunk):]
			buf = buf[:0]
			for _, x := range chunk {
				buf = binary.LittleEndian.AppendUint32(buf, x)
			}
			put(buf)
		}
	}
	putU32s(v.offs)
	putU32s(table)
	put(v.words)
	pad(h[9])
	norms := make([]uint32, n)
	for i := range norms {
		norms[i] = math.Float32bits(v.Norm(i))
	}
	putU32s(norms)
	pad(h[10])
	row := make([]float32, dim)
	for i := range n {
		copy(row, v.Row(i))
		if !v.Normalized() {
			normalize(row) // readers refuse vectors whose length overflows
		}
		buf = buf[:0]
		for _, x := range row {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
		put(buf)
	}
	if g != nil {
		pad(h[12])
		if err := writeGraph(bw, g, n); err != nil {
			return err
		}
		written = h[12] + h[13]
	}
	if v.sub != nil {
		pad(h[14])
		cfg := v.sub.cfg
		var head [subwordsHeadSize]byte
		binary.LittleEndian.PutUint64(head[0:], uint64(cfg.MinN))
		binary.LittleEndian.PutUint64(head[8:], uint64(cfg.MaxN))
		binary.LittleEndian.PutUint64(head[16:], uint64(cfg.Buckets))
		put(head[:])
		put(v.sub.rows)
	}
	return bw.Flush()
}

func alignUp(x, a uint64) uint64 { return (x + a - 1) &^ (a - 1) }

// openNative maps the native file f of the given size.
func openNative(f *os.File, name string, size int64, opts Options) (*Vectors, error) {
	if size != int64(int(size)) {
		return nil, fmt.Errorf("%s: %d bytes is too large to map on this platform", name, size)
	}
	mem, release, err := mapFile(f, int(size))
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", name, err)
	}
	if opts.Progress != nil {
		opts.Progress(size)
	}
	v, err := decodeNative(mem, name)
	if err != nil {
		release()
		return nil, err
	}
	if !littleEndian {
		// decodeNative copied everything it needed.
		release()
		return v, nil
	}
	v.release = release
	return v, nil
}

// decodeNative validates the native file mem and returns vectors that
// share its memory (on little-endian machines). Everything but the vector
// values is checked, so no lookup can go out of bounds or loop; values are
// only as trustworthy as the file, and a NaN in them merely never ranks.
func decodeNative(mem []byte, name string) (*Vectors, error) {
	bad := func(format string, args ...any) error {
		return &FormatError{File: name, Offset: -1, Msg: "invalid w2v native file: " + fmt.Sprintf(format, args...)}
	}
	if len(mem) < nativeHeaderSize || string(mem[:len(nativeMagic)]) != nativeMagic {
		return nil, bad("no native header")
	}
	var h [16]uint64
	for i := range h {
		h[i] = binary.LittleEndian.Uint64(mem[8*i:])
	}
	size := uint64(len(mem))
	if h[1] != nativeVersion && h[1] != nativeVersionEf {
		return nil, bad("format version %d; this w2v reads versions %d and %d (convert the model again)", h[1], nativeVersion, nativeVersionEf)
	}
	if h[11] != size {
		return nil, bad("header says the file has %d bytes, but it has %d; it is truncated or damaged", h[11], size)
	}
	n, dim := h[2], h[3]
	if n < 1 || n > MaxWords || dim < 1 || dim > MaxDim {
		return nil, bad("%d words of %d dimensions", n, dim)
	}
	tableLen, wordsLen := h[6], h[8]
	if tableLen <= n || tableLen&(tableLen-1) != 0 || tableLen > 1<<32 {
		return nil, bad("hash table of %d entries for %d words", tableLen, n)
	}
	if wordsLen > math.MaxUint32 {
		return nil, bad("%d bytes of words", wordsLen)
	}
	section := func(what string, off, count, elem, align uint64) ([]byte, error) {
		hi, length := bits.Mul64(count, elem)
		if hi != 0 || off%align != 0 || off < nativeHeaderSize || off > size || length > size-off {
			return nil, bad("%s section (offset %d, %d × %d bytes) is misplaced", what, off, count, elem)
		}
		return mem[off : off+length], nil
	}
	offsB, err := section("word offsets", h[4], n+1, 4, 4)
	if err != nil {
		return nil, err
	}
	tableB, err := section("hash table", h[5], tableLen, 4, 4)
	if err != nil {
		return nil, err
	}
	words, err := section("words", h[7], wordsLen, 1, 1)
	if err != nil {
		return nil, err
	}
	normsB, err := section("norms", h[9], n, 4, 4)
	if err != nil {
		return nil, err
	}
	dataB, err := section("vectors", h[10], n*dim, 4, 64)
	if err != nil {
		return nil, err
	}
	v := &Vectors{
		dim:    int(dim),
		words:  words,
		offs:   u32s(offsB),
		table:  u32s(tableB),
		norms:  f32s(normsB),
		data:   f32s(dataB),
		Format: Native,
	}
	if v.offs[0] != 0 || uint64(v.offs[n]) != wordsLen {
		return nil, bad("word offsets do not span the words section")
	}
	for i := 0; i < int(n); i++ {
		lo, hi := v.offs[i], v.offs[i+1]
		if hi < lo || uint64(hi) > wordsLen {
			return nil, bad("word offsets out of order at word %d", i+1)
		}
		if msg := checkWord(words[lo:hi]); msg != "" {
			return nil, bad("word %d: %s", i+1, msg)
		}
	}
	for _, e := range v.table {
		if uint64(e) > n {
			return nil, bad("hash table entry %d for %d words", e, n)
		}
	}
	for i := 0; i < int(n); i++ {
		if r, ok := index(v, v.wordBytes(i)); !ok || r != i {
			return nil, bad("hash table does not find word %d (%q); duplicate word or damaged index", i+1, truncate(v.wordBytes(i)))
		}
	}
	for i, x := range v.norms {
		if !(x >= 0) || math.IsInf(float64(x), 0) {
			return nil, bad("norm of word %d is %v", i+1, x)
		}
	}
	if h[14] != 0 || h[15] != 0 {
		b, err := section("subwords", h[14], h[15], 1, nativePageAlign)
		if err != nil {
			return nil, err
		}
		if v.sub, err = decodeSubwords(b, int(dim)); err != nil {
			return nil, bad("%v", err)
		}
	}
	switch dataEnd := h[10] + 4*n*dim; {
	case h[13] == 0 && h[12] == 0:
	case h[12] != alignUp(dataEnd, 8) || h[13] < graphHead(h[1]):
		return nil, bad("index section (offset %d, %d bytes) is misplaced", h[12], h[13])
	default:
		b, err := section("index", h[12], h[13], 1, 8)
		if err != nil {
			return nil, err
		}
		if v.graph, err = decodeGraph(b, h[1], int(n), v.norms, name); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// u32s views little-endian b as uint32s (copying on big-endian machines).
func u32s(b []byte) []uint32 {
	if len(b) == 0 {
		return nil
	}
	if littleEndian && uintptr(unsafe.Pointer(unsafe.SliceData(b)))%4 == 0 {
		return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/4)
	}
	out := make([]uint32, len(b)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

// f32s views little-endian b as float32s (copying on big-endian machines).
func f32s(b []byte) []float32 {
	if len(b) == 0 {
		return nil
	}
	if littleEndian && uintptr(unsafe.Pointer(unsafe.SliceData(b)))%4 == 0 {
		return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/4)
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// raw returns a copy of v with the vectors scaled back to their lengths
// in the file (to within rounding).
func (v *Vectors) raw() *Vectors {
	if !v.Normalized() {
		return v
	}
	data := make([]float32, len(v.data))
	for i := 0; i < v.Len(); i++ {
		row := data[i*v.dim : (i+1)*v.dim]
		copy(row, v.Row(i))
		for j := range row {
			row[j] *= v.norms[i]
		}
	}
	return &Vectors{dim: v.dim, data: data, words: v.words, offs: v.offs, table: v.table,
		Format: v.Format, Duplicates: v.Duplicates, sub: v.sub}
}

// decodeSubwords checks a native file's subwords section b.
func decodeSubwords(b []byte, dim int) (*Subwords, error) {
	if len(b) < subwordsHeadSize {
		return nil, fmt.Errorf("subwords section of %d bytes", len(b))
	}
	var h [3]uint64
	for i := range h {
		h[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	if h[0] > 1<<16 || h[1] > 1<<16 || h[2] > math.MaxInt32 {
		return nil, fmt.Errorf("subwords minn %d, maxn %d, %d buckets", h[0], h[1], h[2])
	}
	cfg := subword.Config{MinN: int(h[0]), MaxN: int(h[1]), Buckets: int(h[2])}
	if err := cfg.Validate(); err != nil || !cfg.Enabled() {
		return nil, fmt.Errorf("subwords minn %d, maxn %d, %d buckets", h[0], h[1], h[2])
	}
	rows := b[subwordsHeadSize:]
	if uint64(len(rows)) != h[2]*uint64(dim)*4 {
		return nil, fmt.Errorf("subwords section holds %d bytes of rows for %d buckets of %d dimensions", len(rows), h[2], dim)
	}
	if !littleEndian {
		rows = bytes.Clone(rows)
	}
	return &Subwords{cfg: cfg, dim: dim, rows: rows}, nil
}
