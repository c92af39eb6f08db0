package vecfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
)

// Parsing decimal numbers is the cost of reading the text format (a
// fastText .vec file of 2M words × 300 holds 600M of them), so chunks of
// whole lines are parsed on all CPUs while the words are entered, and the
// rows copied into the matrix, in file order: the result and the first
// error reported are those of a line-by-line reading.

// textChunkBytes is the size of the chunks of lines handed to the parsers.
const textChunkBytes = 4 << 20

// lineStatus is what a parser found on one line of a chunk.
type lineStatus struct {
	blank bool   // nothing but blanks: an error as a row, fine after the last
	word  []byte // the word, in the chunk's data; nil if the line is bad
	msg   string // why the line is not a row
}

// textChunk is a run of whole lines and, once parsed, what they hold.
type textChunk struct {
	data      []byte
	firstLine int64 // the number of the chunk's first line
	readErr   error // the read that ended the data failed: reported after the chunk
	tooLong   bool  // the data stops inside a line longer than the limit

	lines []lineStatus
	vals  []float32 // dim values for each line that is a row, in order
	done  chan struct{}
}

// parse fills in c.lines and c.vals. After the first bad row it only tells
// blank lines from others: what follows the first error never becomes a
// row.
func (c *textChunk) parse(dim int) {
	c.lines = c.lines[:0]
	c.vals = c.vals[:0]
	data := c.data
	failed := false
	for len(data) > 0 {
		line := data
		if nl := bytes.IndexByte(data, '\n'); nl >= 0 {
			line, data = data[:nl], data[nl+1:]
		} else {
			data = nil
		}
		st := lineStatus{blank: len(bytes.TrimSpace(line)) == 0}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		switch {
		case failed && !st.blank:
			st.msg = "not parsed"
		default:
			st.word, st.msg = c.parseRow(line, dim)
		}
		if st.msg != "" && !st.blank {
			failed = true
		}
		c.lines = append(c.lines, st)
	}
}

// parseRow parses one line into c.vals, returning its word or why it is
// not a row.
func (c *textChunk) parseRow(line []byte, dim int) ([]byte, string) {
	if len(line) == 0 {
		return nil, fmt.Sprintf("empty line; want a word and its %d values", dim)
	}
	before, after, ok := bytes.Cut(line, []byte{' '})
	if !ok {
		return nil, fmt.Sprintf("line holds only %q; want a word and its %d values", truncate(line), dim)
	}
	word := before
	if msg := checkWord(word); msg != "" {
		return nil, msg
	}
	k := len(c.vals)
	c.vals = append(c.vals, make([]float32, dim)...)
	if msg := parseValues(c.vals[k:], after); msg != "" {
		c.vals = c.vals[:k]
		return nil, fmt.Sprintf("word %q: %s", truncate(word), msg)
	}
	return word, ""
}

// text reads n rows of the text format.
func (p *parser) text(b *builder, n, dim int) error {
	maxLine := MaxWordBytes + 64*dim + 64
	workers := runtime.GOMAXPROCS(0)
	free := make(chan *textChunk, workers+2)
	for range cap(free) {
		free <- &textChunk{done: make(chan struct{}, 1)}
	}
	todo := make(chan *textChunk, cap(free))
	inOrder := make(chan *textChunk, cap(free))
	quit := make(chan struct{})
	defer close(quit)

	go p.chunkLines(maxLine, free, todo, inOrder, quit)
	for range workers {
		go func() {
			for c := range todo {
				c.parse(dim)
				c.done <- struct{}{}
			}
		}()
	}

	lastLine := p.line
	for c := range inOrder {
		<-c.done
		line := c.firstLine
		for i := range c.lines {
			st := &c.lines[i]
			p.line = line + int64(i)
			if b.rows == n {
				// Rows beyond the count mean the header lies.
				if !st.blank {
					return p.errLine("more rows than the %d words the header announces", n)
				}
				continue
			}
			if st.msg != "" {
				return p.errLine("%s", st.msg)
			}
			row, err := b.slot()
			if err != nil {
				return p.errLine("%v", err)
			}
			copy(row, c.vals[:dim])
			c.vals = c.vals[dim:]
			if err := b.add(st.word); err != nil {
				return p.errLine("%v", err)
			}
		}
		lastLine = line + int64(len(c.lines)) - 1
		if c.tooLong {
			p.line = lastLine + 1
			return p.errLine("line is longer than %d bytes; is this a vector file?", maxLine)
		}
		if c.readErr != nil {
			return p.ioErr(c.readErr)
		}
		free <- c
	}
	if b.rows < n {
		p.line = lastLine
		return p.errLine("file ends after %d of the %d words the header announces; the header is wrong or the file is truncated", b.rows, n)
	}
	return nil
}

// chunkLines cuts the data into chunks of whole lines, numbered, and sends
// each to the parsers (todo) and, in order, to the builder (inOrder).
func (p *parser) chunkLines(maxLine int, free <-chan *textChunk, todo, inOrder chan<- *textChunk, quit <-chan struct{}) {
	defer close(todo)
	defer close(inOrder)
	next := p.line + 1
	// Chunks start small and double, so small files need little memory.
	size := 64 << 10
	for {
		var c *textChunk
		select {
		case c = <-free:
		case <-quit:
			return
		}
		c.data, c.readErr, c.tooLong = c.data[:0], nil, false
		if cap(c.data) < size {
			c.data = make([]byte, 0, size)
		}
		k, err := io.ReadFull(p.br, c.data[:size])
		size = min(2*size, textChunkBytes)
		c.data = c.data[:k]
		end := err != nil
		if err == io.EOF || err == io.ErrUnexpectedEOF { // ReadFull's own: a clean end
			err = nil
		}
		// Complete the last line, within the limit on line length.
		for !end && len(c.data) > 0 && c.data[len(c.data)-1] != '\n' {
			lineStart := bytes.LastIndexByte(c.data, '\n') + 1
			if len(c.data)-lineStart > maxLine {
				c.data = c.data[:lineStart]
				c.tooLong, end = true, true
				break
			}
			more, rerr := p.br.ReadSlice('\n')
			c.data = append(c.data, more...)
			if rerr != nil && !errors.Is(rerr, bufio.ErrBufferFull) {
				end = true
				if !errors.Is(rerr, io.EOF) {
					err = rerr
				}
			}
		}
		if err != nil {
			// The line the failed read was in is incomplete: report the
			// failure there, not what the line lacks.
			c.data = c.data[:bytes.LastIndexByte(c.data, '\n')+1]
		}
		c.readErr = err
		c.firstLine = next
		next += int64(bytes.Count(c.data, []byte{'\n'}))
		if len(c.data) > 0 && c.data[len(c.data)-1] != '\n' {
			next++
		}
		select {
		case inOrder <- c:
		case <-quit:
			return
		}
		todo <- c // never blocks: todo has room for every chunk
		if end || (len(c.data) == 0 && err == nil) {
			return
		}
	}
}
