// Package checkpoint saves and restores a training run: settings,
// vocabulary, the weight matrices (with subwords, the input matrix holds
// the n-gram buckets' rows too) and each worker's position, so an
// interrupted run can continue exactly where it stopped.
//
// A model file (w2v train --save-model) is a checkpoint of a finished run:
// it holds everything that continuing training on new text needs.
//
// The file holds a magic string and version, a gob-encoded header, the
// matrices as little-endian float32, and a CRC-32C of everything before it,
// so a truncated or corrupted checkpoint is refused rather than resumed.
package checkpoint

import (
	"bufio"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"github.com/w2vtool/w2v/internal/hugepage"
	"hash"
	"hash/crc32"
	"hash/fnv"
	"io"
	"math"

	"github.com/w2vtool/w2v/internal/skipgram"
)

const (
	magic   = "W2VCKPT\x00"
	version = 1
)

// ErrNotCheckpoint is the error Read returns for a file that does not start
// as checkpoints and model files do.
var ErrNotCheckpoint = errors.New("not a w2v checkpoint or model file")

// Input identifies one corpus file, so a resumed run can check it is
// reading the same data.
type Input struct {
	Name   string
	Size   int64
	Sample uint64 // Fingerprint of the content; 0 in checkpoints that predate it
}

// Fingerprint blocks: enough spread over the file that an edit of more than
// a few percent is likely to change one, few enough that a corpus of
// gigabytes is sampled in a few milliseconds.
const (
	fingerprintBlocks    = 64
	fingerprintBlockSize = 4096
)

// Fingerprint hashes size and evenly spaced blocks of r, the first and last
// included: a cheap check that a corpus is the one a checkpoint was made
// from, catching a different text of the same size. It is never 0.
func Fingerprint(r io.ReaderAt, size int64) (uint64, error) {
	h := fnv.New64a()
	binary.Write(h, binary.LittleEndian, size)
	buf := make([]byte, fingerprintBlockSize)
	last := max(size-fingerprintBlockSize, 0)
	for i := range int64(fingerprintBlocks) {
		off := last * i / (fingerprintBlocks - 1)
		n, err := r.ReadAt(buf[:min(fingerprintBlockSize, size)], off)
		if err != nil && !(errors.Is(err, io.EOF) && int64(n) == min(fingerprintBlockSize, size-off)) {
			return 0, err
		}
		h.Write(buf[:n])
	}
	return h.Sum64() | 1, nil
}

// Job holds the command-level settings of a training run.
type Job struct {
	Inputs       []Input
	Output       string
	Binary       bool
	FastText     bool // the output is a fastText .bin model
	MinCount     int64
	MaxVocab     int
	MaxSentence  int
	MaxWordBytes int
	Threads      int
	SaveModel    string // --save-model: where the finished run writes its model file

	// EpochWords is the words an epoch reads when training continues a
	// model on new text, whose counts sum the old text's and the new's;
	// 0 in a run from scratch, whose epoch reads the sum of the counts.
	EpochWords int64
}

// Checkpoint is everything needed to resume a training run.
type Checkpoint struct {
	Job    Job
	Config skipgram.Config
	Words  []string
	Counts []int64
	State  skipgram.State
	Model  *skipgram.Model
}

// header is what precedes the matrices in the file.
type header struct {
	Job                  Job
	Config               skipgram.Config
	Words                []string
	Counts               []int64
	State                skipgram.State
	Dim                  int
	InLen, OutLen, HSLen int64
}

// Write writes c to w.
func Write(w io.Writer, c *Checkpoint) error {
	crc := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<20)
	m := c.Model
	h := header{Job: c.Job, Config: c.Config, Words: c.Words, Counts: c.Counts, State: c.State,
		Dim: m.Dim, InLen: int64(len(m.In)), OutLen: int64(len(m.Out)), HSLen: int64(len(m.OutHS))}
	var hb bytesBuffer
	if err := gob.NewEncoder(&hb).Encode(&h); err != nil {
		return fmt.Errorf("encode checkpoint header: %w", err)
	}
	bw.WriteString(magic)
	binary.Write(bw, binary.LittleEndian, uint32(version))
	binary.Write(bw, binary.LittleEndian, uint64(len(hb)))
	bw.Write(hb)
	for _, mat := range [][]float32{m.In, m.Out, m.OutHS} {
		if err := writeFloats(bw, mat); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return binary.Write(w, binary.LittleEndian, crc.Sum32())
}

func writeFloats(w io.Writer, x []float32) error {
	var buf [4096]byte
	for len(x) > 0 {
		n := min(len(x), len(buf)/4)
		for i, v := range x[:n] {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(buf[:4*n]); err != nil {
			return err
		}
		x = x[n:]
	}
	return nil
}

// ReadOptions changes how ReadWith reads a checkpoint.
type ReadOptions struct {
	// GrowTo, when more than the checkpoint's words, gives each matrix
	// capacity for a model grown to GrowTo words (and, with subwords, the
	// same buckets): a row per added word in the input and output matrices
	// and in the inner nodes', so that skipgram.GrowInPlace can grow them
	// without a second copy of the model. A matrix the file lacks stays
	// nil.
	GrowTo int
}

// Read reads a checkpoint of size bytes from r; name is used in errors.
// Sizes in the file are checked against size before anything is allocated
// for them.
func Read(r io.Reader, name string, size int64) (*Checkpoint, error) {
	return ReadWith(r, name, size, ReadOptions{})
}

// ReadHeader reads what precedes the matrices of a checkpoint of size
// bytes from r, checked as Read checks it: the returned Checkpoint has no
// Model. The checksum, which covers the matrices, is not checked.
func ReadHeader(r io.Reader, name string, size int64) (*Checkpoint, error) {
	h, _, err := readHeader(r, name, size)
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Job: h.Job, Config: h.Config, Words: h.Words, Counts: h.Counts, State: h.State}, nil
}

// ReadWith is Read with opts.
func ReadWith(r io.Reader, name string, size int64, opts ReadOptions) (*Checkpoint, error) {
	h, br, err := readHeader(r, name, size)
	if err != nil {
		return nil, err
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("checkpoint %s: %s", name, fmt.Sprintf(format, args...))
	}
	m := &skipgram.Model{Dim: h.Dim, Words: len(h.Words)}
	if h.Config.Subwords.Enabled() {
		if m.Sub, err = skipgram.NewSubwords(h.Words, h.Config.Subwords); err != nil {
			return nil, bad("%v", err)
		}
	}
	room := max(int64(opts.GrowTo)-int64(len(h.Words)), 0) * int64(h.Dim)
	if m.In, err = readFloats(br.r, h.InLen, room); err == nil {
		if m.Out, err = readFloats(br.r, h.OutLen, room); err == nil {
			m.OutHS, err = readFloats(br.r, h.HSLen, room)
		}
	}
	if err != nil {
		return nil, bad("matrices: %v", err)
	}
	sum := br.crc.Sum32()
	var stored uint32
	if err := binary.Read(r, binary.LittleEndian, &stored); err != nil {
		return nil, bad("checksum: %v", err)
	}
	if stored != sum {
		return nil, bad("checksum mismatch: the file is corrupt")
	}
	return &Checkpoint{Job: h.Job, Config: h.Config, Words: h.Words, Counts: h.Counts, State: h.State, Model: m}, nil
}

// bodyReader reads what follows the header, summing it into the checksum
// that started with the header.
type bodyReader struct {
	r   *bufio.Reader
	crc hash.Hash32
}

// readHeader reads and checks a checkpoint's header, leaving br at the
// first matrix.
func readHeader(r io.Reader, name string, size int64) (*header, bodyReader, error) {
	crc := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	// The checksum covers everything but its own 4 bytes at the end.
	br := bodyReader{bufio.NewReaderSize(io.TeeReader(io.LimitReader(r, size-4), crc), 1<<20), crc}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("checkpoint %s: %s", name, fmt.Sprintf(format, args...))
	}
	var pre [len(magic) + 4 + 8]byte
	if _, err := io.ReadFull(br.r, pre[:]); err != nil {
		return nil, br, fmt.Errorf("checkpoint %s: too short: %w", name, ErrNotCheckpoint)
	}
	if string(pre[:len(magic)]) != magic {
		return nil, br, fmt.Errorf("checkpoint %s: %w", name, ErrNotCheckpoint)
	}
	if v := binary.LittleEndian.Uint32(pre[len(magic):]); v != version {
		return nil, br, bad("version %d, this w2v reads version %d", v, version)
	}
	hlen := binary.LittleEndian.Uint64(pre[len(magic)+4:])
	if hlen > uint64(size) {
		return nil, br, bad("header of %d bytes in a file of %d: truncated or corrupt", hlen, size)
	}
	var h header
	if err := gob.NewDecoder(io.LimitReader(br.r, int64(hlen))).Decode(&h); err != nil {
		return nil, br, bad("header: %v", err)
	}
	want := int64(len(pre)) + int64(hlen) + 4*(h.InLen+h.OutLen+h.HSLen) + 4
	if h.InLen < 0 || h.OutLen < 0 || h.HSLen < 0 || want != size {
		return nil, br, bad("holds %d bytes, its header implies %d: truncated or corrupt", size, want)
	}
	if err := h.Config.Subwords.Validate(); err != nil {
		return nil, br, bad("header: %v", err)
	}
	// With subwords the input matrix holds the buckets' rows after the words'.
	inRows := int64(len(h.Words))
	if h.Config.Subwords.Enabled() {
		inRows += int64(h.Config.Subwords.Buckets)
	}
	if h.Dim < 1 || h.InLen != inRows*int64(h.Dim) || len(h.Counts) != len(h.Words) {
		return nil, br, bad("header describes %d words and %d input rows of dim %d but a %d-value matrix", len(h.Words), inRows, h.Dim, h.InLen)
	}
	return &h, br, nil
}

// readFloats reads n values into a slice with room for more values
// beyond them; nil when n is 0.
func readFloats(r io.Reader, n, room int64) ([]float32, error) {
	if n == 0 {
		return nil, nil
	}
	x := hugepage.Floats(int(n + room))[:n] // the trainer reads these rows at random
	var buf [4096]byte
	for i := int64(0); i < n; {
		k := min(n-i, int64(len(buf)/4))
		if _, err := io.ReadFull(r, buf[:4*k]); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		for j := range k {
			x[i+j] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:]))
		}
		i += k
	}
	return x, nil
}

// bytesBuffer is a minimal growable buffer for the encoded header.
type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}
