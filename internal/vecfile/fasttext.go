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
	"sync"

	"github.com/w2vtool/w2v/internal/memstat"
	"github.com/w2vtool/w2v/internal/subword"
)

// fastText's .bin format (fastText 0.9, file version 12; version 11 has the
// same layout), all little-endian:
//
//	int32 magic 793712314, int32 version
//	args: int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model,
//	      bucket, minn, maxn, lrUpdateRate; float64 t
//	dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidxSize;
//	      size × (word bytes, 0, int64 count, int8 type); pruneidxSize ×
//	      (int32 bucket, int32 row)
//	uint8 quantized input; input matrix: int64 rows, int64 cols, floats
//	uint8 quantized output; output matrix: int64 rows, int64 cols, floats
//
// The input matrix holds a row per word, then one per n-gram bucket (or per
// kept bucket of a pruned model).
const (
	fastTextMagic   = 793712314
	fastTextVersion = 12
	// fastTextHeadSize is the magic, the version and the args block.
	fastTextHeadSize = 8 + 12*4 + 8
)

// FastTextLoss is fastText's loss function (args.loss).
type FastTextLoss int32

// fastText's losses.
const (
	LossHS      FastTextLoss = 1 // hierarchical softmax
	LossNS      FastTextLoss = 2 // negative sampling
	LossSoftmax FastTextLoss = 3
	LossOVA     FastTextLoss = 4 // one-vs-all
)

// FastTextModel is fastText's model kind (args.model).
type FastTextModel int32

// fastText's model kinds.
const (
	ModelCBOW       FastTextModel = 1
	ModelSkipgram   FastTextModel = 2
	ModelSupervised FastTextModel = 3
)

// FastTextArgs are the training settings a fastText .bin stores, named as
// fastText's command-line flags.
type FastTextArgs struct {
	Dim          int32
	Window       int32 // -ws
	Epoch        int32
	MinCount     int32
	Neg          int32
	WordNgrams   int32
	Loss         FastTextLoss
	Model        FastTextModel
	Bucket       int32
	MinN, MaxN   int32
	LRUpdateRate int32
	Sample       float64 // -t
}

// DefaultFastTextArgs returns fastText's defaults for skip-gram.
func DefaultFastTextArgs(dim int) FastTextArgs {
	return FastTextArgs{Dim: int32(dim), Window: 5, Epoch: 5, MinCount: 5, Neg: 5, WordNgrams: 1,
		Loss: LossNS, Model: ModelSkipgram, Bucket: subword.DefaultBuckets,
		MinN: subword.DefaultMinN, MaxN: subword.DefaultMaxN, LRUpdateRate: 100, Sample: 1e-4}
}

// FastText is a fastText model as its .bin file holds it: the settings,
// the dictionary and both matrices, unquantized.
type FastText struct {
	Args FastTextArgs
	// Words and their corpus counts, in dictionary order (row order).
	Words  []string
	Counts []int64
	// Labels of a supervised model follow the words in fastText's
	// dictionary; they have no input rows.
	Labels      []string
	LabelCounts []int64
	// Tokens is the number of tokens the dictionary was built from.
	Tokens int64
	// Pruned maps a bucket to its row after the words' rows in a pruned
	// model; nil (the usual case) means bucket b has row len(Words)+b.
	Pruned map[int32]int32
	// Input holds InputRows() rows of Args.Dim values: the words', then
	// the buckets'.
	Input []float32
	// Output holds the output rows (one per word; one per label in a
	// supervised model).
	Output []float32

	indexOnce sync.Once
	index     map[string]int32 // word → row, built at the first lookup
}

// Dim returns the number of dimensions.
func (m *FastText) Dim() int { return int(m.Args.Dim) }

// Subwords returns the model's n-gram settings.
func (m *FastText) Subwords() subword.Config {
	return subword.Config{MinN: int(m.Args.MinN), MaxN: int(m.Args.MaxN), Buckets: int(m.Args.Bucket)}
}

// InputRows returns the number of rows the input matrix must have.
func (m *FastText) InputRows() int {
	if m.Pruned != nil {
		return len(m.Words) + len(m.Pruned)
	}
	return len(m.Words) + int(m.Args.Bucket)
}

// outputRows returns the number of rows the output matrix must have.
func (m *FastText) outputRows() int {
	if m.Args.Model == ModelSupervised {
		return len(m.Labels)
	}
	return len(m.Words)
}

// matrixHead reads a matrix's quantization flag and shape, checks them
// against the shape expected and the bytes left, and returns the number of
// values that follow.
func (d *ftDecoder) matrixHead(what string, rows, cols int) (int64, error) {
	at := d.off
	q, err := d.r.ReadByte()
	if err != nil {
		return 0, d.bad(d.off, "file ends before the %s matrix; it is truncated", what)
	}
	d.off++
	switch q {
	case 0:
	case 1:
		return 0, d.bad(at, "the %s matrix is quantized (a .ftz model); w2v reads only unquantized .bin models", what)
	default:
		return 0, d.bad(at, "%s matrix quantization flag %d (0 or 1 allowed)", what, q)
	}
	at = d.off
	m, err := d.i64(what + " matrix")
	if err != nil {
		return 0, err
	}
	n, err := d.i64(what + " matrix")
	if err != nil {
		return 0, err
	}
	if m != int64(rows) || n != int64(cols) {
		return 0, d.bad(at, "%s matrix of %d×%d; the settings and dictionary make it %d×%d", what, m, n, rows, cols)
	}
	values := int64(rows) * int64(cols)
	if values*4 > d.left() {
		return 0, d.bad(at, "%s matrix of %d×%d needs %d bytes, but the file has %d left; it is truncated", what, m, n, values*4, d.left())
	}
	return values, nil
}

// Index returns the row of word, and whether it is in the vocabulary. The
// first call (or of AppendRows or WordVector) indexes Words, which must not
// change after; calls may be concurrent.
func (m *FastText) Index(word string) (int, bool) {
	m.indexOnce.Do(func() {
		m.index = make(map[string]int32, len(m.Words))
		for i, w := range m.Words {
			if _, dup := m.index[w]; !dup {
				m.index[w] = int32(i)
			}
		}
	})
	i, ok := m.index[word]
	return int(i), ok
}

// eos is fastText's end-of-sentence token, the one word without n-grams.
const eos = "</s>"

// AppendRows appends to dst the input rows whose mean is fastText's vector
// of word: its own row if it is in the vocabulary, then the rows of its
// n-grams (none for fastText's end-of-sentence token "</s>").
func (m *FastText) AppendRows(dst []int32, word string) []int32 {
	if i, ok := m.Index(word); ok {
		dst = append(dst, int32(i))
	}
	return m.appendNgramRows(dst, word)
}

func (m *FastText) appendNgramRows(dst []int32, word string) []int32 {
	cfg := m.Subwords()
	if !cfg.Enabled() || word == eos {
		return dst
	}
	start := len(dst)
	dst = cfg.AppendBuckets(dst, word)
	return pruneRows(dst, start, int32(len(m.Words)), m.Pruned)
}

// pruneRows turns the buckets in dst[start:] into input rows: nwords+bucket,
// or through the prune map, dropping buckets a pruned model has no row for.
func pruneRows(dst []int32, start int, nwords int32, pruned map[int32]int32) []int32 {
	out := dst[:start]
	for _, b := range dst[start:] {
		if pruned != nil {
			r, ok := pruned[b]
			if !ok {
				continue
			}
			b = r
		}
		out = append(out, nwords+b)
	}
	return out
}

// WordVector sets dst (of Dim() values) to fastText's vector of word, the
// mean of the rows AppendRows gives, as fastText's print-word-vectors
// prints it. It reports whether the word is in the vocabulary; an unseen
// word gets the mean of its n-gram rows, or zeros if it has none.
func (m *FastText) WordVector(dst []float32, word string) (known bool) {
	rows := m.AppendRows(make([]int32, 0, 64), word)
	subword.Mean(dst, m.Input, rows)
	_, known = m.Index(word)
	return known
}

// SubwordVector sets dst to the mean of word's n-gram rows alone, ignoring
// its own row if it has one, and reports whether it has any n-gram rows.
func (m *FastText) SubwordVector(dst []float32, word string) bool {
	rows := m.appendNgramRows(make([]int32, 0, 64), word)
	subword.Mean(dst, m.Input, rows)
	return len(rows) > 0
}

// check reports what makes m impossible to write as a .bin that fastText reads.
func (m *FastText) check() error {
	a := m.Args
	switch {
	case a.Dim < 1 || a.Dim > MaxDim:
		return fmt.Errorf("dimension %d", a.Dim)
	case len(m.Counts) != len(m.Words):
		return fmt.Errorf("%d counts for %d words", len(m.Counts), len(m.Words))
	case len(m.LabelCounts) != len(m.Labels):
		return fmt.Errorf("%d counts for %d labels", len(m.LabelCounts), len(m.Labels))
	case len(m.Words)+len(m.Labels) > MaxWords:
		return fmt.Errorf("%d words and labels", len(m.Words)+len(m.Labels))
	case a.Bucket < 0:
		return fmt.Errorf("%d buckets", a.Bucket)
	case a.Loss < LossHS || a.Loss > LossOVA:
		return fmt.Errorf("loss %d", a.Loss)
	case a.Model < ModelCBOW || a.Model > ModelSupervised:
		return fmt.Errorf("model %d", a.Model)
	case len(m.Input) != m.InputRows()*m.Dim():
		return fmt.Errorf("input matrix of %d values; %d rows of %d expected", len(m.Input), m.InputRows(), m.Dim())
	case len(m.Output) != m.outputRows()*m.Dim():
		return fmt.Errorf("output matrix of %d values; %d rows of %d expected", len(m.Output), m.outputRows(), m.Dim())
	}
	if err := m.Subwords().Validate(); err != nil && a.MaxN > 0 {
		return err
	}
	for _, ws := range [][]string{m.Words, m.Labels} {
		for _, w := range ws {
			if msg := checkWord([]byte(w)); msg != "" {
				return errors.New(msg)
			}
			for i := 0; i < len(w); i++ {
				if isSpace(w[i]) {
					return fmt.Errorf("word %q contains white space, which fastText cannot read back", w)
				}
			}
		}
	}
	return nil
}

// isSpace reports the bytes fastText splits words at.
func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == 0
}

// WriteFastText writes m as a fastText 0.9 .bin file (version 12), which
// fastText, gensim's load_facebook_model and ReadFastText read.
func WriteFastText(w io.Writer, m *FastText) error {
	if err := m.check(); err != nil {
		return fmt.Errorf("vecfile: cannot write fastText model: %w", err)
	}
	bw := bufio.NewWriterSize(w, bufSize)
	b := make([]byte, 0, 256)
	b = binary.LittleEndian.AppendUint32(b, fastTextMagic)
	b = binary.LittleEndian.AppendUint32(b, fastTextVersion)
	a := m.Args
	for _, x := range []int32{a.Dim, a.Window, a.Epoch, a.MinCount, a.Neg, a.WordNgrams,
		int32(a.Loss), int32(a.Model), a.Bucket, a.MinN, a.MaxN, a.LRUpdateRate} {
		b = binary.LittleEndian.AppendUint32(b, uint32(x))
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(a.Sample))
	nw, nl := len(m.Words), len(m.Labels)
	for _, x := range []int{nw + nl, nw, nl} {
		b = binary.LittleEndian.AppendUint32(b, uint32(x))
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(m.Tokens))
	prune := int64(-1) // fastText's "not pruned"
	if m.Pruned != nil {
		prune = int64(len(m.Pruned))
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(prune))
	bw.Write(b)
	entry := func(word string, count int64, typ byte) {
		b = append(b[:0], word...)
		b = append(b, 0)
		b = binary.LittleEndian.AppendUint64(b, uint64(count))
		b = append(b, typ)
		bw.Write(b)
	}
	for i, word := range m.Words {
		entry(word, m.Counts[i], 0)
	}
	for i, label := range m.Labels {
		entry(label, m.LabelCounts[i], 1)
	}
	for bucket, row := range m.Pruned {
		b = binary.LittleEndian.AppendUint32(b[:0], uint32(bucket))
		b = binary.LittleEndian.AppendUint32(b, uint32(row))
		bw.Write(b)
	}
	matrix := func(x []float32, rows int) {
		b = append(b[:0], 0) // not quantized
		b = binary.LittleEndian.AppendUint64(b, uint64(rows))
		b = binary.LittleEndian.AppendUint64(b, uint64(m.Dim()))
		bw.Write(b)
		for len(x) > 0 {
			chunk := x[:min(len(x), 4096)]
			x = x[len(chunk):]
			b = b[:0]
			for _, v := range chunk {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
			}
			bw.Write(b)
		}
	}
	matrix(m.Input, m.InputRows())
	matrix(m.Output, m.outputRows())
	return bw.Flush()
}

// OpenFastText reads the fastText .bin file at path, checking every size it
// declares against the file's length before allocating.
func OpenFastText(path string) (*FastText, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := int64(-1)
	if fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return readFastText(bufio.NewReaderSize(f, 1<<16), path, size)
}

// ReadFastText reads a fastText .bin model from r; name is used in error
// messages. Without a file length to check sizes against, matrices grow as
// their data arrives, so a file that lies about its sizes fails at its end
// rather than by exhausting memory.
func ReadFastText(r io.Reader, name string) (*FastText, error) {
	return readFastText(bufio.NewReaderSize(r, 1<<16), name, -1)
}

// ftDecoder reads a .bin's fields, tracking the offset for error messages.
type ftDecoder struct {
	r    *bufio.Reader
	name string
	off  int64
	size int64 // file length, or -1 if unknown
	buf  [8]byte
}

func (d *ftDecoder) bad(at int64, format string, args ...any) error {
	return &FormatError{File: d.name, Offset: at, Msg: "invalid fastText model: " + fmt.Sprintf(format, args...)}
}

func (d *ftDecoder) read(p []byte, what string) error {
	n, err := io.ReadFull(d.r, p)
	d.off += int64(n)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return d.bad(d.off, "file ends inside the %s; it is truncated", what)
		}
		return fmt.Errorf("read %s: %w", d.name, err)
	}
	return nil
}

func (d *ftDecoder) i32(what string) (int32, error) {
	err := d.read(d.buf[:4], what)
	return int32(binary.LittleEndian.Uint32(d.buf[:4])), err
}

func (d *ftDecoder) i64(what string) (int64, error) {
	err := d.read(d.buf[:8], what)
	return int64(binary.LittleEndian.Uint64(d.buf[:8])), err
}

// left returns the bytes left in the file, or MaxInt64 if its length is unknown.
func (d *ftDecoder) left() int64 {
	if d.size < 0 {
		return math.MaxInt64
	}
	return d.size - d.off
}

func readFastText(r *bufio.Reader, name string, size int64) (*FastText, error) {
	d := &ftDecoder{r: r, name: name, size: size}
	m, err := d.header()
	if err != nil {
		return nil, err
	}
	if m.Input, err = d.matrix("input", m.InputRows(), m.Dim()); err != nil {
		return nil, err
	}
	if m.Output, err = d.matrix("output", m.outputRows(), m.Dim()); err != nil {
		return nil, err
	}
	if _, err := r.ReadByte(); err == nil {
		return nil, d.bad(d.off, "data after the output matrix")
	}
	return m, nil
}

// header reads everything before the input matrix.
func (d *ftDecoder) header() (*FastText, error) {
	magic, err := d.i32("header")
	if err != nil {
		return nil, err
	}
	if magic != fastTextMagic {
		return nil, d.bad(0, "not a fastText .bin file (magic number %#x, not %#x)", uint32(magic), fastTextMagic)
	}
	version, err := d.i32("header")
	if err != nil {
		return nil, err
	}
	if version != 11 && version != 12 {
		return nil, d.bad(4, "file format version %d; w2v reads fastText's versions 11 and 12", version)
	}
	m := &FastText{}
	a := &m.Args
	for _, p := range []*int32{&a.Dim, &a.Window, &a.Epoch, &a.MinCount, &a.Neg, &a.WordNgrams,
		(*int32)(&a.Loss), (*int32)(&a.Model), &a.Bucket, &a.MinN, &a.MaxN, &a.LRUpdateRate} {
		if *p, err = d.i32("settings"); err != nil {
			return nil, err
		}
	}
	t, err := d.i64("settings")
	if err != nil {
		return nil, err
	}
	a.Sample = math.Float64frombits(uint64(t))
	if version == 11 && a.Model == ModelSupervised {
		a.MaxN = 0 // as fastText reads version 11 classifiers
	}
	switch {
	case a.Dim < 1 || a.Dim > MaxDim:
		return nil, d.bad(8, "dimension %d (1 to %d allowed)", a.Dim, MaxDim)
	case a.Loss < LossHS || a.Loss > LossOVA:
		return nil, d.bad(8+6*4, "loss %d (1 to 4 allowed)", a.Loss)
	case a.Model < ModelCBOW || a.Model > ModelSupervised:
		return nil, d.bad(8+7*4, "model %d (1 to 3 allowed)", a.Model)
	case a.Bucket < 0:
		return nil, d.bad(8+8*4, "%d buckets", a.Bucket)
	case a.MaxN > 0 && (a.MinN < 1 || a.MaxN < a.MinN):
		return nil, d.bad(8+9*4, "n-gram lengths minn %d, maxn %d", a.MinN, a.MaxN)
	case a.MaxN > 0 && a.Bucket == 0:
		return nil, d.bad(8+8*4, "n-grams (maxn %d) but no buckets", a.MaxN)
	}
	if m.Args.MaxN < 0 {
		m.Args.MaxN = 0
	}

	at := d.off
	var n [3]int32
	for i := range n {
		if n[i], err = d.i32("dictionary"); err != nil {
			return nil, err
		}
	}
	size, nwords, nlabels := n[0], n[1], n[2]
	// Each entry takes at least 10 bytes (a byte of word, its 0, the count, the type).
	if size < 0 || nwords < 0 || nlabels < 0 || int64(nwords)+int64(nlabels) != int64(size) || size > MaxWords || int64(size)*10 > d.left() {
		return nil, d.bad(at, "dictionary of %d entries: %d words and %d labels (the file has %d bytes left)", size, nwords, nlabels, d.left())
	}
	if m.Tokens, err = d.i64("dictionary"); err != nil {
		return nil, err
	}
	at = d.off
	prune, err := d.i64("dictionary")
	if err != nil {
		return nil, err
	}
	if prune < -1 || prune > int64(max(a.Bucket, 0)) || prune*8 > d.left() {
		return nil, d.bad(at, "pruned n-gram index of %d entries for %d buckets", prune, a.Bucket)
	}
	m.Words = make([]string, 0, min(int(nwords), 1<<16))
	m.Counts = make([]int64, 0, cap(m.Words))
	word := make([]byte, 0, 64)
	for i := range int(size) {
		at := d.off
		word = word[:0]
		for {
			c, err := d.r.ReadByte()
			if err != nil {
				return nil, d.bad(d.off, "file ends inside dictionary entry %d; it is truncated", i+1)
			}
			d.off++
			if c == 0 {
				break
			}
			if len(word) == MaxWordBytes {
				return nil, d.bad(at, "dictionary entry %d is longer than %d bytes", i+1, MaxWordBytes)
			}
			word = append(word, c)
		}
		if msg := checkWord(word); msg != "" {
			return nil, d.bad(at, "dictionary entry %d: %s", i+1, msg)
		}
		if bytes.IndexByte(word, ' ') >= 0 {
			return nil, d.bad(at, "dictionary entry %d (%q) contains a space", i+1, truncate(word))
		}
		count, err := d.i64("dictionary")
		if err != nil {
			return nil, err
		}
		typ, err := d.r.ReadByte()
		if err != nil {
			return nil, d.bad(d.off, "file ends inside dictionary entry %d; it is truncated", i+1)
		}
		d.off++
		isLabel := i >= int(nwords)
		if count < 0 || typ > 1 || (typ == 1) != isLabel {
			return nil, d.bad(at, "dictionary entry %d (%q): count %d, type %d, but the dictionary has %d words then %d labels", i+1, truncate(word), count, typ, nwords, nlabels)
		}
		if isLabel {
			m.Labels = append(m.Labels, string(word))
			m.LabelCounts = append(m.LabelCounts, count)
		} else {
			m.Words = append(m.Words, string(word))
			m.Counts = append(m.Counts, count)
		}
	}
	if prune >= 0 {
		m.Pruned = make(map[int32]int32, min(prune, 1<<16)) // the entries prove the size
		for range prune {
			at := d.off
			bucket, err := d.i32("pruned n-gram index")
			if err != nil {
				return nil, err
			}
			row, err := d.i32("pruned n-gram index")
			if err != nil {
				return nil, err
			}
			if bucket < 0 || bucket >= a.Bucket || row < 0 || int64(row) >= prune {
				return nil, d.bad(at, "pruned n-gram index maps bucket %d to row %d (%d buckets, %d rows)", bucket, row, a.Bucket, prune)
			}
			m.Pruned[bucket] = row
		}
	}
	return m, nil
}

// matrix reads a dense matrix of the given shape, preceded by its
// quantization flag.
func (d *ftDecoder) matrix(what string, rows, cols int) ([]float32, error) {
	values, err := d.matrixHead(what, rows, cols)
	if err != nil {
		return nil, err
	}
	if d.size >= 0 {
		if err := memstat.Check(values*4, "the fastText "+what+" matrix"); err != nil {
			return nil, &FormatError{File: d.name, Offset: d.off, Msg: err.Error()}
		}
	}
	// Read in chunks: with the file's length unknown a lying size runs
	// out of data before it runs out of memory.
	const chunk = 1 << 20
	var out []float32
	if d.size >= 0 {
		out = make([]float32, 0, values)
	}
	buf := make([]byte, 4*min(values, chunk))
	for left := values; left > 0; {
		k := min(left, chunk)
		if err := d.read(buf[:4*k], what+" matrix"); err != nil {
			return nil, err
		}
		for i := range k {
			out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:])))
		}
		left -= k
	}
	if out == nil {
		out = []float32{}
	}
	return out, nil
}
