package corpus

import (
	"bufio"
	"fmt"
	"io"
	"sync/atomic"
)

// An Input is one corpus file, readable at any offset, so several workers
// can read parts of it at once.
type Input struct {
	Name string      // used in error messages
	R    io.ReaderAt // e.g. an *os.File
	Size int64
}

// A Segment is the byte range [Start, End) of one input.
type Segment struct {
	In         *Input
	Start, End int64
}

// A Shard is the part of the input one worker reads: one or more segments,
// in order. Every segment boundary falls at the start of a file, at its end,
// or just after a separator byte, so no word is split between shards.
type Shard []Segment

// Bytes returns the number of bytes in the shard.
func (s Shard) Bytes() int64 {
	var n int64
	for _, seg := range s {
		n += seg.End - seg.Start
	}
	return n
}

// Split divides the inputs into n shards of roughly equal size. Each word
// of the input belongs to exactly one shard; some shards may be empty when
// the input is small.
func Split(inputs []*Input, n int) ([]Shard, error) {
	if n < 1 {
		n = 1
	}
	sizes := make([]int64, len(inputs))
	var total int64
	for i, in := range inputs {
		sizes[i] = in.Size
		total += in.Size
	}
	// Cut the concatenation of the files at n-1 points, each moved forward to
	// the next word start within its file.
	type pos struct {
		file int
		off  int64
	}
	cuts := make([]pos, 0, n+1)
	cuts = append(cuts, pos{0, 0})
	for k := 1; k < n; k++ {
		target := total * int64(k) / int64(n)
		f := 0
		for f < len(sizes)-1 && target >= sizes[f] {
			target -= sizes[f]
			f++
		}
		off, err := alignForward(inputs[f], target)
		if err != nil {
			return nil, err
		}
		c := pos{f, off}
		if last := cuts[len(cuts)-1]; c.file < last.file || (c.file == last.file && c.off < last.off) {
			c = last
		}
		cuts = append(cuts, c)
	}
	cuts = append(cuts, pos{len(inputs), 0})

	shards := make([]Shard, n)
	for k := 0; k < n; k++ {
		from, to := cuts[k], cuts[k+1]
		var sh Shard
		for f := from.file; f < len(inputs) && f <= to.file; f++ {
			start, end := int64(0), sizes[f]
			if f == from.file {
				start = from.off
			}
			if f == to.file {
				end = to.off
			}
			if end > start {
				sh = append(sh, Segment{In: inputs[f], Start: start, End: end})
			}
		}
		shards[k] = sh
	}
	return shards, nil
}

// alignForward returns the smallest offset ≥ off that starts a word boundary:
// 0, the input's size, or just after a separator byte.
func alignForward(in *Input, off int64) (int64, error) {
	size := in.Size
	if off <= 0 || off >= size {
		return min(max(off, 0), size), nil
	}
	r := bufio.NewReaderSize(io.NewSectionReader(in.R, off-1, size-(off-1)), 64<<10)
	pos := off - 1
	for {
		c, err := r.ReadByte()
		if err == io.EOF {
			return size, nil
		}
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", in.Name, err)
		}
		pos++
		if separator[c] {
			return pos, nil
		}
	}
}

// ShardReader tokenizes a shard segment by segment. A word never spans two
// segments, and each segment starts a new sentence.
type ShardReader struct {
	shard Shard
	next  int // index of the next segment to read
	tok   *Tokenizer
	err   error
	bytes *atomic.Int64 // if set, bytes read are added here
}

// NewShardReader returns a reader over the words of s.
func NewShardReader(s Shard, opts Options) *ShardReader {
	return &ShardReader{shard: s, tok: NewTokenizer(eofReader{}, opts)}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// Scan advances to the next word of the shard.
func (r *ShardReader) Scan() bool {
	for !r.tok.Scan() {
		if err := r.tok.Err(); err != nil {
			r.err = fmt.Errorf("read %s: %w", r.shard[r.next-1].In.Name, err)
			return false
		}
		if !r.openNext() {
			return false
		}
	}
	return true
}

func (r *ShardReader) openNext() bool {
	if r.next >= len(r.shard) {
		return false
	}
	seg := r.shard[r.next]
	r.next++
	var src io.Reader = io.NewSectionReader(seg.In.R, seg.Start, seg.End-seg.Start)
	if r.bytes != nil {
		src = CountingReader(src, r.bytes)
	}
	r.tok.Reset(src)
	return true
}

// CountBytes makes the reader add the number of bytes it reads to c, so
// another goroutine can follow its progress.
func (r *ShardReader) CountBytes(c *atomic.Int64) { r.bytes = c }

// CountingReader returns a reader that adds the number of bytes it reads
// from r to n, so another goroutine can follow the progress of a pass.
func CountingReader(r io.Reader, n *atomic.Int64) io.Reader { return countingReader{r, n} }

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Word returns the current word; see Tokenizer.Word.
func (r *ShardReader) Word() []byte { return r.tok.Word() }

// NewSentence reports whether the current word starts a sentence.
func (r *ShardReader) NewSentence() bool { return r.tok.NewSentence() }

// Err returns the first error met while reading.
func (r *ShardReader) Err() error { return r.err }

// Rewind starts the shard again from its first segment.
func (r *ShardReader) Rewind() {
	r.next = 0
	r.err = nil
	r.tok.Reset(eofReader{})
}
