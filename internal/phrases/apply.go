package phrases

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/corpus"
)

// ApplyOptions configure Model.Apply.
type ApplyOptions struct {
	// MaxWordBytes is the longest word kept; use the value given to Count.
	MaxWordBytes int
	// Threads is the number of goroutines that join phrases, besides the
	// one reading the input and the one writing (0 means 1).
	Threads int
	// Read, if not nil, has the number of bytes read added to it.
	Read *atomic.Int64

	blockSize int // bytes of text per block; tests make it tiny
}

// Stats describe what Apply did.
type Stats struct {
	WordsIn, WordsOut int64 // words read and written; a phrase is one word
	Joined            int64 // pairs joined
	Distinct          int   // distinct pairs joined at least once
}

const (
	defaultBlockSize = 256 << 10
	// maxCutSearch is how many words past the block size the reader looks
	// for a safe place to end a block (see readBlocks).
	maxCutSearch = 1000
)

// A block is a run of the output text before phrases are joined: words
// separated by single spaces, and newlines exactly where the output has
// them. Joining a phrase turns the space between its words into "_", in
// place. A block ends just before a word and its separator, so a block after
// the first may begin with the space between its first word and the last
// word of the block before.
type block struct {
	text  []byte
	words int64
	err   error // a read error: nothing follows

	// Set by join:
	first  uint32  // model id of the first word (0: none, or in no phrase)
	last   uint32  // model id of the last word if it may start a phrase
	joins  []int32 // the phrase joined at each "_"
	joined []int   // offsets of the spaces turned into "_"
	done   chan struct{}
}

// Apply writes the inputs to w, in order, with the model's pairs joined by
// "_". Within a line, words are separated by single spaces; every newline of
// the input is kept, so output line n is input line n. The inputs are read
// as if each ended its last line: between two inputs a newline is added if
// the first does not end with one.
//
// One goroutine reads and splits the input into blocks, opts.Threads join
// the phrases of different blocks at once, and the calling goroutine writes
// the blocks in order. Joining is left to right, so whether the first words
// of a block join depends on the block before; the reader therefore ends
// blocks where no phrase can span the cut, and the writer redoes the rare
// block for which that was not possible.
func (m *Model) Apply(ctx context.Context, w io.Writer, inputs []*corpus.Input, opts ApplyOptions) (Stats, error) {
	threads := max(opts.Threads, 1)
	if opts.blockSize <= 0 {
		opts.blockSize = defaultBlockSize
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Blocks in flight: each worker's, those queued for the writer, the
	// reader's and the writer's. Bounding them bounds memory.
	work := make(chan *block, threads)
	order := make(chan *block, 2*threads)
	free := make(chan *block, 3*threads+2)
	var wg sync.WaitGroup
	for range threads {
		wg.Go(func() {
			for b := range work {
				m.join(b, false)
				close(b.done)
			}
		})
	}
	wg.Go(func() {
		defer close(work)
		defer close(order)
		newBlock := func() *block {
			select {
			case b := <-free:
				*b = block{text: b.text[:0], joins: b.joins[:0], joined: b.joined[:0]}
				b.done = make(chan struct{})
				return b
			default:
				return &block{text: make([]byte, 0, opts.blockSize+opts.blockSize/8), done: make(chan struct{})}
			}
		}
		send := func(b *block) bool {
			select {
			case order <- b:
			case <-ctx.Done():
				return false
			}
			if b.err != nil {
				close(b.done)
			} else {
				work <- b // workers take from work until it closes
			}
			return true
		}
		m.readBlocks(ctx, inputs, opts, newBlock, send)
	})

	st, err := m.writeBlocks(ctx, w, order, free)
	cancel() // stops the reader if writing failed
	for range order {
		// Drain, so the reader is not left blocked on a full queue.
	}
	wg.Wait()
	return st, err
}

// writeBlocks writes the blocks in order, joining the phrases that span two
// blocks.
func (m *Model) writeBlocks(ctx context.Context, w io.Writer, order <-chan *block, free chan<- *block) (Stats, error) {
	var st Stats
	used := make([]bool, len(m.phrases))
	var last uint32 // the previous block's last word, if it may start a phrase
	for b := range order {
		<-b.done
		if b.err != nil {
			return st, b.err
		}
		if len(b.text) > 0 && b.text[0] == ' ' && last != 0 && b.first != 0 {
			if k, ok := m.pairs[pairKey(last, b.first)]; ok {
				// The phrase spans the cut, so the first word is taken;
				// the block was joined as if it were free. Redo it.
				for _, off := range b.joined {
					b.text[off] = ' '
				}
				b.joins, b.joined = b.joins[:0], b.joined[:0]
				m.join(b, true)
				b.text[0] = '_'
				b.joins = append(b.joins, k)
			}
		}
		last = b.last
		for _, k := range b.joins {
			used[k] = true
		}
		st.WordsIn += b.words
		st.Joined += int64(len(b.joins))
		if _, err := w.Write(b.text); err != nil {
			return st, err
		}
		select {
		case free <- b:
		default:
		}
		if ctx.Err() != nil {
			return st, ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return st, err // the reader stopped early
	}
	for _, u := range used {
		if u {
			st.Distinct++
		}
	}
	st.WordsOut = st.WordsIn - st.Joined
	return st, nil
}

// join joins the phrases within b, left to right. If firstTaken, b's first
// word is taken by a phrase with the word before the block.
func (m *Model) join(b *block, firstTaken bool) {
	text := b.text
	var prev uint32 // model id of the previous word if it may start a phrase
	first := true
	for i := 0; i < len(text); {
		lineStart := false
		for ; i < len(text) && (text[i] == ' ' || text[i] == '\n'); i++ {
			lineStart = lineStart || text[i] == '\n'
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\n' {
			j++
		}
		if j == i {
			break
		}
		id := m.ids[string(text[i:j])] // no allocation
		switch {
		case first:
			b.first = id
			first = false
			if firstTaken {
				id = 0
			}
		case lineStart || prev == 0 || id == 0:
		default:
			if k, ok := m.pairs[pairKey(prev, id)]; ok {
				text[i-1] = '_'
				b.joins = append(b.joins, k)
				b.joined = append(b.joined, i-1)
				id = 0 // a joined word starts no other phrase
			}
		}
		prev = id
		i = j
	}
	b.last = prev
}

// readBlocks reads the inputs and hands them out as blocks of text with
// single spaces between words, ending each block when it has grown past
// opts.blockSize. To spare the writer from redoing blocks, it ends a block
// only where no phrase can span the cut — at a line break, or between two
// words that are no phrase — unless none turns up within maxCutSearch words.
// A read error is sent as a last block holding it.
func (m *Model) readBlocks(ctx context.Context, inputs []*corpus.Input, opts ApplyOptions, newBlock func() *block, send func(*block) bool) {
	sc := newScanner(opts.MaxWordBytes)
	b := newBlock()
	lastWord := 0 // offset in b.text of the block's last word
	searched := 0 // words added past blockSize while looking for a cut
	open := false // the text's last line has words but no newline yet
	ok := true
	// newlines appends n newlines to b, in as many blocks as it takes: a
	// million blank lines must not make a block of a megabyte. A line break
	// is always a safe place to cut.
	newlines := func(b *block, n int) (*block, bool) {
		for {
			k := min(n, max(opts.blockSize-len(b.text), 0))
			for range k {
				b.text = append(b.text, '\n')
			}
			if n -= k; n == 0 {
				return b, true
			}
			if !send(b) || ctx.Err() != nil {
				return nil, false
			}
			b = newBlock()
		}
	}
	for _, in := range inputs {
		// The newline that ends the previous input's last line, if it did
		// not end it itself; written with the next newlines.
		carry := 0
		if open {
			carry = 1
		}
		var r io.Reader = io.NewSectionReader(in.R, 0, in.Size)
		if opts.Read != nil {
			r = corpus.CountingReader(r, opts.Read)
		}
		sc.Reset(r)
		for sc.Scan() {
			word := sc.Word()
			nl := sc.Newlines() + carry
			carry = 0
			if len(b.text) >= opts.blockSize {
				cut := nl > 0 || !open || searched >= maxCutSearch
				if !cut {
					a, c := m.ids[string(b.text[lastWord:])], m.ids[string(word)]
					_, phrase := m.pairs[pairKey(a, c)]
					cut = a == 0 || c == 0 || !phrase
				}
				if cut {
					if !send(b) {
						return
					}
					b, searched = newBlock(), 0
					if ctx.Err() != nil {
						return
					}
				} else {
					searched++
				}
			}
			switch {
			case nl > 0:
				if b, ok = newlines(b, nl); !ok {
					return
				}
			case open:
				b.text = append(b.text, ' ')
			}
			lastWord = len(b.text)
			b.text = append(b.text, word...)
			b.words++
			open = true
		}
		if sc.Err() != nil {
			b.err = fmt.Errorf("read %s: %w", in.Name, sc.Err())
			send(b)
			return
		}
		if sc.Newlines() > 0 {
			if b, ok = newlines(b, sc.Newlines()+carry); !ok {
				return
			}
			open = false
		}
	}
	send(b)
}
