package corpus

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// A Segment is the byte range [Start, End) of one file.
type Segment struct {
	Path       string
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

// Split divides the files into n shards of roughly equal size. Each word of
// the input belongs to exactly one shard; some shards may be empty when the
// input is small. The files must be regular files (seekable, of known size).
func Split(paths []string, n int) ([]Shard, error) {
	if n < 1 {
		n = 1
	}
	sizes := make([]int64, len(paths))
	var total int64
	for i, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("corpus: %s is not a regular file", p)
		}
		sizes[i] = fi.Size()
		total += fi.Size()
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
		off, err := alignForward(paths[f], target, sizes[f])
		if err != nil {
			return nil, err
		}
		c := pos{f, off}
		if last := cuts[len(cuts)-1]; c.file < last.file || (c.file == last.file && c.off < last.off) {
			c = last
		}
		cuts = append(cuts, c)
	}
	cuts = append(cuts, pos{len(paths), 0})

	shards := make([]Shard, n)
	for k := 0; k < n; k++ {
		from, to := cuts[k], cuts[k+1]
		var sh Shard
		for f := from.file; f < len(paths) && f <= to.file; f++ {
			start, end := int64(0), sizes[f]
			if f == from.file {
				start = from.off
			}
			if f == to.file {
				end = to.off
			}
			if end > start {
				sh = append(sh, Segment{Path: paths[f], Start: start, End: end})
			}
		}
		shards[k] = sh
	}
	return shards, nil
}

// alignForward returns the smallest offset ≥ off that starts a word boundary:
// 0, size, or just after a separator byte.
func alignForward(path string, off, size int64) (int64, error) {
	if off <= 0 || off >= size {
		return min(max(off, 0), size), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(io.NewSectionReader(f, off-1, size-(off-1)), 64<<10)
	pos := off - 1
	for {
		c, err := r.ReadByte()
		if err == io.EOF {
			return size, nil
		}
		if err != nil {
			return 0, fmt.Errorf("corpus: read %s: %w", path, err)
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
	next  int // index of the next segment to open
	file  *os.File
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
			r.err = fmt.Errorf("read %s: %w", r.shard[r.next-1].Path, err)
			return false
		}
		if !r.openNext() {
			return false
		}
	}
	return true
}

func (r *ShardReader) openNext() bool {
	r.closeFile()
	if r.next >= len(r.shard) {
		return false
	}
	seg := r.shard[r.next]
	r.next++
	f, err := os.Open(seg.Path)
	if err != nil {
		r.err = err
		return false
	}
	r.file = f
	var src io.Reader = io.NewSectionReader(f, seg.Start, seg.End-seg.Start)
	if r.bytes != nil {
		src = countingReader{src, r.bytes}
	}
	r.tok.Reset(src)
	return true
}

// CountBytes makes the reader add the number of bytes it reads to c, so
// another goroutine can follow its progress.
func (r *ShardReader) CountBytes(c *atomic.Int64) { r.bytes = c }

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (r *ShardReader) closeFile() {
	if r.file != nil {
		r.file.Close()
		r.file = nil
	}
}

// Word returns the current word; see Tokenizer.Word.
func (r *ShardReader) Word() []byte { return r.tok.Word() }

// NewSentence reports whether the current word starts a sentence.
func (r *ShardReader) NewSentence() bool { return r.tok.NewSentence() }

// Err returns the first error met while reading.
func (r *ShardReader) Err() error { return r.err }

// Rewind starts the shard again from its first segment.
func (r *ShardReader) Rewind() {
	r.closeFile()
	r.next = 0
	r.err = nil
	r.tok.Reset(eofReader{})
}

// Close releases the open file, if any.
func (r *ShardReader) Close() error {
	r.closeFile()
	return nil
}
