package vecfile

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"unsafe"

	"github.com/w2vtool/w2v/internal/memstat"
)

// Options control how vectors are read.
type Options struct {
	// Raw keeps the vectors as stored; by default each row is scaled to
	// unit length and its length kept for Norm.
	Raw bool
	// Progress, if set, is called now and then with the number of bytes
	// of the file read so far (compressed bytes for a gzip file).
	Progress func(read int64)
}

// A FormatError reports a malformed vector file and where it goes wrong.
type FormatError struct {
	File   string
	Line   int64 // 1-based line of a text file; 0 if the error has none
	Offset int64 // byte offset in a binary file (in the decompressed data of a gzip file); -1 if none
	Msg    string
}

func (e *FormatError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.Offset >= 0:
		return fmt.Sprintf("%s: offset %d: %s", e.File, e.Offset, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

const bufSize = 1 << 20

var gzipMagic = []byte{0x1f, 0x8b}

// Open reads the vector file at path. The format is detected from the
// content: word2vec text (which includes fastText's .vec files) or binary,
// either possibly gzip-compressed, or w2v's native format, which is
// memory-mapped where the platform allows, so even a multi-gigabyte model
// opens at once. Close the result to release the mapping.
func Open(path string, opts Options) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a vector file", path)
	}
	size := int64(-1) // unknown, for pipes and devices
	if fi.Mode().IsRegular() {
		size = fi.Size()
	}
	if size >= nativeHeaderSize {
		var magic [len(nativeMagic)]byte
		if _, err := f.ReadAt(magic[:], 0); err == nil {
			switch {
			case string(magic[:]) == nativeMagic && !opts.Raw:
				return openNative(f, path, size, opts)
			case isFastText(magic[:]):
				return openFastText(f, path, size, opts)
			}
		}
	}
	return read(newCountingReader(f, opts.Progress), path, size, opts)
}

// Read reads vectors in any format Open accepts from r; name is used in
// error messages. Nothing is memory-mapped.
func Read(r io.Reader, name string, opts Options) (*Vectors, error) {
	return read(newCountingReader(r, opts.Progress), name, -1, opts)
}

func read(r io.Reader, name string, size int64, opts Options) (*Vectors, error) {
	br := bufio.NewReaderSize(r, bufSize)
	head, err := br.Peek(len(nativeMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if bytes.HasPrefix(head, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &FormatError{File: name, Offset: -1, Msg: fmt.Sprintf("bad gzip data: %v", err)}
		}
		defer zr.Close()
		br = bufio.NewReaderSize(&gzipErrReader{zr, name}, bufSize)
		size = -1 // the compressed size bounds nothing
		head, err = br.Peek(len(nativeMagic))
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
	}
	if string(head) == nativeMagic {
		data, err := io.ReadAll(br)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		v, err := decodeNative(data, name)
		if err != nil {
			return nil, err
		}
		if opts.Raw {
			v = v.raw()
		}
		return v, nil
	}
	if isFastText(head) {
		data, err := io.ReadAll(br)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		return decodeFastTextVectors(data, name, opts)
	}
	if string(head) == checkpointMagic {
		return nil, &FormatError{File: name, Offset: -1, Msg: "this is a training checkpoint, not a vector file; finish the training with: w2v train --resume " + name}
	}
	p := &parser{br: br, name: name}
	return p.parse(size, 0, opts)
}

// checkpointMagic starts internal/checkpoint's files, which users can
// mistake for vectors (r.txt.ckpt beside r.txt).
const checkpointMagic = "W2VCKPT\x00"

// gzipErrReader names the file in decompression errors, which otherwise
// surface deep inside the parser as bare "gzip: invalid checksum".
type gzipErrReader struct {
	r    io.Reader
	name string
}

func (g *gzipErrReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%s: gzip data is truncated: %w", g.name, err)
		} else {
			err = fmt.Errorf("%s: bad gzip data: %w", g.name, err)
		}
	}
	return n, err
}

// countingReader reports the bytes read through it to a progress callback.
type countingReader struct {
	r        io.Reader
	n        int64
	progress func(int64)
}

func newCountingReader(r io.Reader, progress func(int64)) io.Reader {
	if progress == nil {
		return r
	}
	return &countingReader{r: r, progress: progress}
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.progress(c.n)
	return n, err
}

// parser reads word2vec's text and binary formats.
type parser struct {
	br   *bufio.Reader
	name string
	off  int64 // bytes consumed
	line int64 // lines consumed
}

func (p *parser) errLine(format string, args ...any) error {
	return &FormatError{File: p.name, Line: p.line, Offset: -1, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) errAt(off int64, format string, args ...any) error {
	return &FormatError{File: p.name, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// ioErr wraps a read error that is not the data's fault.
func (p *parser) ioErr(err error) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		return err
	}
	return fmt.Errorf("read %s: %w", p.name, err)
}

// parse reads a word2vec file of the given size (-1 if unknown) in format,
// or in the format detected if format is 0.
func (p *parser) parse(size int64, format Format, opts Options) (*Vectors, error) {
	n, dim, err := p.header()
	if err != nil {
		return nil, err
	}
	if format == 0 {
		format = p.detect(dim)
	}
	// Every row takes at least a one-byte word and a separator, then dim
	// four-byte values (binary) or dim space-digit pairs and a newline
	// (text). Where the size is known, a header claiming more than the file
	// holds is refused before anything is allocated for it.
	minRow := int64(4*dim + 2)
	if format == Text {
		minRow = int64(2*dim + 2)
	}
	prealloc := false
	if size >= 0 {
		left := size - p.off
		if need := int64(n)*minRow - 1; need > left {
			return nil, &FormatError{File: p.name, Line: 1, Msg: fmt.Sprintf(
				"header announces %d words of %d dimensions, which take at least %d bytes in the %s format, but only %d bytes follow the header; the header is wrong or the file is truncated",
				n, dim, need, format, left)}
		}
		prealloc = true
	}
	if err := checkMemory(p.name, int64(n)*int64(dim)*4, prealloc); err != nil {
		return nil, err
	}
	b := newBuilder(n, dim, prealloc, !opts.Raw)
	if format == Text {
		err = p.text(b, n, dim)
	} else {
		err = p.binary(b, n, dim)
	}
	if err != nil {
		if b.release != nil {
			b.release()
		}
		return nil, err
	}
	v := b.finish()
	v.Format = format
	return v, nil
}

// header reads the "count dim" line that starts both word2vec formats.
func (p *parser) header() (n, dim int, err error) {
	line, err := p.br.ReadSlice('\n')
	p.off += int64(len(line))
	p.line = 1
	if len(line) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return 0, 0, &FormatError{File: p.name, Offset: -1, Msg: "empty file; want a word2vec or fastText vector file"}
		}
		return 0, 0, p.ioErr(err)
	}
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return 0, 0, p.ioErr(err)
	}
	fields := bytes.Fields(line)
	bad := func(why string) error {
		shown := line
		if len(shown) > 60 {
			shown = append(shown[:60:60], "..."...)
		}
		return p.errLine("first line %q is not a \"WORDS DIMENSIONS\" header (%s); word2vec and fastText vector files start with one", shown, why)
	}
	if len(fields) != 2 {
		if len(fields) > 2 {
			return 0, 0, bad("headerless files, such as GloVe's, need one added")
		}
		return 0, 0, bad("want two numbers")
	}
	nn, err1 := strconv.ParseInt(string(fields[0]), 10, 64)
	dd, err2 := strconv.ParseInt(string(fields[1]), 10, 64)
	switch {
	case err1 != nil || err2 != nil:
		return 0, 0, bad("want two numbers")
	case nn < 1 || nn > MaxWords:
		return 0, 0, p.errLine("header announces %d words; want 1 to %d", nn, MaxWords)
	case dd < 1 || dd > MaxDim:
		return 0, 0, p.errLine("header announces %d dimensions; want 1 to %d", dd, MaxDim)
	}
	if err != nil { // no newline after the header
		return 0, 0, p.errLine("file ends after the header; want %d words", nn)
	}
	return int(nn), int(dd), nil
}

// numberByte marks the bytes that can occur in the values of a text row:
// digits, signs, points, exponents, the letters of nan and inf(inity), and
// blanks.
var numberByte = func() (t [256]bool) {
	for _, c := range []byte("0123456789.+-eE \t\rnaiftyNAIFTY") {
		t[c] = true
	}
	return t
}()

// detect tells the two word2vec formats apart from the first row after the
// header. In the text format the word is followed by dim numbers in ASCII
// and a newline; in the binary format by 4·dim bytes of float32 data, which
// for any real dimension contain control characters that text never holds.
// A text row with bad values still reads as text (so its error speaks of
// lines and values) as long as it is printable ASCII.
func (p *parser) detect(dim int) Format {
	buf, _ := p.br.Peek(bufSize)
	buf = bytes.TrimLeft(buf, "\n")
	_, after, ok := bytes.Cut(buf, []byte{' '})
	if !ok {
		return Text // one long word or nothing: either way an error, reported by line
	}
	window := after
	window = window[:min(len(window), 4*dim)]
	seg := window
	if nl := bytes.IndexByte(seg, '\n'); nl >= 0 {
		seg = seg[:nl]
	}
	if len(seg) == 0 {
		return Binary // a text row has values; a float's first byte can be '\n'
	}
	numeric, fields, inField := true, 0, false
	for _, c := range seg {
		numeric = numeric && numberByte[c]
		blank := c == ' ' || c == '\t' || c == '\r'
		if !blank && !inField {
			fields++
		}
		inField = !blank
	}
	if numeric && 2*fields >= dim {
		return Text
	}
	for _, c := range window {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return Binary
		}
	}
	for _, c := range seg {
		if c >= 0x80 {
			return Binary
		}
	}
	return Text
}

// parseValues parses the blank-separated numbers of s into dst. It returns
// a description of the problem, or "".
func parseValues(dst []float32, s []byte) string {
	k := 0
	for i := 0; ; {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i == len(s) {
			break
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		tok := s[i:j]
		i = j
		if k == len(dst) {
			return fmt.Sprintf("more than the %d values the header announces", len(dst))
		}
		f, err := parseFloat32(tok)
		switch {
		case err != nil && errors.Is(err, strconv.ErrRange):
			return fmt.Sprintf("value %d (%s) is beyond the range of float32", k+1, truncate(tok))
		case err != nil:
			return fmt.Sprintf("value %d (%q) is not a number", k+1, truncate(tok))
		case math.IsNaN(f):
			return fmt.Sprintf("value %d is NaN", k+1)
		case math.IsInf(f, 0):
			return fmt.Sprintf("value %d is infinite", k+1)
		}
		dst[k] = float32(f)
		k++
	}
	if k < len(dst) {
		return fmt.Sprintf("%d values; the header announces %d", k, len(dst))
	}
	return ""
}

// binary reads n rows of the binary format: the word, a space, dim
// little-endian float32 values, and (as the C tool writes, not gensim) a
// newline.
func (p *parser) binary(b *builder, n, dim int) error {
	word := make([]byte, 0, 64)
	for b.rows < n {
		for {
			c, err := p.br.ReadByte()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return p.errAt(p.off, "file ends after %d of the %d words the header announces; the header is wrong or the file is truncated", b.rows, n)
				}
				return p.ioErr(err)
			}
			if c != '\n' {
				p.br.UnreadByte()
				break
			}
			p.off++
		}
		start := p.off
		w, err := p.br.ReadSlice(' ')
		p.off += int64(len(w))
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			return p.errAt(start, "word longer than %d bytes, or no space after it", MaxWordBytes)
		case errors.Is(err, io.EOF):
			return p.errAt(start, "file ends inside word %d of %d (%q); it is truncated", b.rows+1, n, truncate(w))
		case err != nil:
			return p.ioErr(err)
		}
		word = append(word[:0], w[:len(w)-1]...)
		if msg := checkWord(word); msg != "" {
			return p.errAt(start, "%s (reading the binary format)", msg)
		}
		row, err := b.slot()
		if err != nil {
			return p.errAt(start, "%v", err)
		}
		raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(row))), 4*len(row))
		if got, err := io.ReadFull(p.br, raw); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return p.errAt(p.off+int64(got), "file ends inside the vector of %q (word %d of %d): %d of its %d bytes are there; it is truncated",
					truncate(word), b.rows+1, n, got, len(raw))
			}
			return p.ioErr(err)
		}
		if !littleEndian {
			for j := range row {
				row[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
			}
		}
		for j, f := range row {
			if math.Float32bits(f)&0x7f800000 == 0x7f800000 { // NaN or ±Inf
				return p.errAt(p.off+int64(4*j), "value %d of %q is %v", j+1, truncate(word), f)
			}
		}
		p.off += int64(len(raw))
		if err := b.add(word); err != nil {
			return p.errAt(start, "%v", err)
		}
	}
	// Anything but blanks after the last row means the header lies.
	for {
		c, err := p.br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return p.ioErr(err)
		}
		if c != '\n' && c != ' ' && c != '\r' && c != '\t' {
			return p.errAt(p.off, "more data after the %d words the header announces", n)
		}
		p.off++
	}
}

// truncate shortens s for error messages.
func truncate(s []byte) string {
	if len(s) > 40 {
		return string(s[:40]) + "..."
	}
	return string(s)
}

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// builder collects rows as they are parsed.
type builder struct {
	dim       int
	n         int // rows the header announces
	rows      int // rows read, duplicates included
	kept      int // rows kept
	data      []float32
	norms     []float32 // nil when not normalising
	normalize bool
	words     []byte
	offs      []uint32
	table     []uint32
	dups      int
	release   func() error // frees data when it lives outside the Go heap
}

// newBuilder prepares for n rows of dim values. With prealloc (the file's
// size vouches for n) the matrix is allocated at once; otherwise it grows
// with the data actually read.
func newBuilder(n, dim int, prealloc, normalize bool) *builder {
	b := &builder{dim: dim, n: n, normalize: normalize}
	rows := n
	if prealloc {
		b.data, b.release = allocMatrix(n * dim)
	} else {
		rows = min(n, max(1, (1<<20)/dim))
		b.data = make([]float32, rows*dim)
	}
	b.offs = make([]uint32, 1, rows+1)
	b.words = make([]byte, 0, 8*rows)
	b.table = make([]uint32, tableSize(rows))
	if normalize {
		b.norms = make([]float32, 0, rows)
	}
	return b
}

// slot returns the storage for the next row.
func (b *builder) slot() ([]float32, error) {
	end := (b.kept + 1) * b.dim
	if end > len(b.data) {
		grown := min(max(2*len(b.data), end), b.n*b.dim)
		// Growing copies: the old and new matrices are both alive.
		if err := checkMemory("", 4*int64(len(b.data)+grown), true); err != nil {
			return nil, err
		}
		b.data = append(b.data, make([]float32, grown-len(b.data))...)
	}
	return b.data[end-b.dim : end : end], nil
}

// checkMemory fails if a matrix of the given bytes cannot fit in the memory
// available, so a model too big for the machine (or a decompression bomb)
// gets a clear error rather than the out-of-memory killer. With now false
// the matrix will grow as rows arrive, and only a header's claim that
// exceeds the memory is refused, once the rows prove it.
func checkMemory(name string, bytes int64, now bool) error {
	if !now {
		return nil
	}
	err := memstat.Check(bytes, "the vectors")
	if err == nil || name == "" {
		return err
	}
	return &FormatError{File: name, Offset: -1, Msg: err.Error()}
}

// add records word for the row just filled in; a duplicate word's row is
// dropped.
func (b *builder) add(word []byte) error {
	b.rows++
	mask := uint64(len(b.table) - 1)
	h := hash(word) & mask
	for ; b.table[h] != 0; h = (h + 1) & mask {
		r := int(b.table[h] - 1)
		if bytes.Equal(b.words[b.offs[r]:b.offs[r+1]], word) {
			b.dups++
			return nil
		}
	}
	if uint64(len(b.words))+uint64(len(word)) > math.MaxUint32 {
		return errors.New("words take more than 4 GiB")
	}
	if b.normalize {
		nv, ok := normalize(b.data[b.kept*b.dim : (b.kept+1)*b.dim])
		if !ok {
			return fmt.Errorf("the vector of %q is too long: its length exceeds the float32 range", truncate(word))
		}
		b.norms = append(b.norms, nv)
	} else if math.IsInf(float64(norm(b.data[b.kept*b.dim:(b.kept+1)*b.dim])), 0) {
		// Rejected raw too, so converting a file never makes one that
		// cannot be read back.
		return fmt.Errorf("the vector of %q is too long: its length exceeds the float32 range", truncate(word))
	}
	b.table[h] = uint32(b.kept + 1)
	b.words = append(b.words, word...)
	b.offs = append(b.offs, uint32(len(b.words)))
	b.kept++
	if 2*b.kept > len(b.table) {
		b.table = buildTable(b.words, b.offs, tableSize(b.kept))
	}
	return nil
}

func (b *builder) finish() *Vectors {
	return &Vectors{
		dim:        b.dim,
		data:       b.data[: b.kept*b.dim : b.kept*b.dim],
		norms:      b.norms,
		words:      b.words,
		offs:       b.offs,
		table:      b.table,
		Duplicates: b.dups,
		release:    b.release,
	}
}

// buildTable indexes the words delimited by offs in a hash table of the
// given power-of-two size. Earlier rows win, so duplicates are unreachable.
func buildTable(words []byte, offs []uint32, size int) []uint32 {
	table := make([]uint32, size)
	mask := uint64(size - 1)
	for i := 0; i+1 < len(offs); i++ {
		w := words[offs[i]:offs[i+1]]
		h := hash(w) & mask
		dup := false
		for ; table[h] != 0; h = (h + 1) & mask {
			r := table[h] - 1
			if bytes.Equal(words[offs[r]:offs[r+1]], w) {
				dup = true
				break
			}
		}
		if !dup {
			table[h] = uint32(i + 1)
		}
	}
	return table
}
