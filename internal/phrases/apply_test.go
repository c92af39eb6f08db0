package phrases

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
)

// applySerial is Apply done the plain way, one word after the other: the
// reference the parallel Apply must match byte for byte.
func (m *Model) applySerial(ctx context.Context, w io.Writer, inputs []*corpus.Input, opts ApplyOptions) (Stats, error) {
	var st Stats
	used := make([]bool, len(m.phrases))
	bw := bufio.NewWriterSize(w, 1<<20)
	sc := newScanner(opts.MaxWordBytes)
	open := false // the output's last line has words but no newline yet
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
		var prev uint32 // id of the previous word if it may start a phrase
		for sc.Scan() {
			word := sc.Word()
			id := m.ids[string(word)] // no allocation
			switch nl := sc.Newlines() + carry; {
			case nl > 0:
				writeNewlines(bw, nl)
				carry = 0
			case !open:
				// The first word of the output, or of an input after one
				// that ended its last line.
			case prev != 0 && id != 0 && m.joinSerial(prev, id, used, &st):
				bw.WriteByte('_')
				id = 0 // a joined word starts no other phrase
			default:
				bw.WriteByte(' ')
			}
			if _, err := bw.Write(word); err != nil {
				return st, err // errors are sticky in bw: stop at the first
			}
			open = true
			prev = id
			st.WordsIn++
			if st.WordsIn&0xffff == 0 && ctx.Err() != nil {
				return st, ctx.Err()
			}
		}
		if sc.Err() != nil {
			return st, fmt.Errorf("read %s: %w", in.Name, sc.Err())
		}
		if sc.Newlines() > 0 {
			writeNewlines(bw, sc.Newlines()+carry)
			open = false
		}
	}
	for _, u := range used {
		if u {
			st.Distinct++
		}
	}
	st.WordsOut = st.WordsIn - st.Joined
	return st, bw.Flush()
}

// joinSerial reports whether the pair of model ids a, b is a phrase, noting its use.
func (m *Model) joinSerial(a, b uint32, used []bool, st *Stats) bool {
	i, ok := m.pairs[uint64(a)<<32|uint64(b)]
	if ok {
		used[i] = true
		st.Joined++
	}
	return ok
}

func writeNewlines(w *bufio.Writer, n int) {
	for range n {
		w.WriteByte('\n')
	}
}

// TestApplyMatchesSerial checks the parallel Apply against applySerial on
// random texts, with tiny blocks so that words and phrases straddle many
// block boundaries, and with models where every cut is unsafe.
func TestApplyMatchesSerial(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	vocab := []string{"a", "b", "c", "d", "e"}
	for trial := range 300 {
		texts := make([]string, 1+rng.IntN(3))
		for i := range texts {
			var b strings.Builder
			for range rng.IntN(200) {
				b.WriteString(vocab[rng.IntN(len(vocab))])
				b.WriteString([]string{" ", " ", " ", "  ", "\t", "\n", "\n\n\n", " \r\n"}[rng.IntN(8)])
			}
			texts[i] = b.String()
			if rng.IntN(2) == 0 {
				texts[i] = strings.TrimRight(texts[i], " \t\r\n")
			}
		}
		var pairs []string
		for _, a := range vocab {
			for _, b := range vocab {
				// Sometimes every pair is a phrase: no cut is safe then.
				if trial%5 == 0 || rng.IntN(3) == 0 {
					pairs = append(pairs, a+" "+b)
				}
			}
		}
		m := modelOf(pairs...)
		ins := inputs(t, texts...)
		var want bytes.Buffer
		wantSt, err := m.applySerial(context.Background(), &want, ins, ApplyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, threads := range []int{1, 3} {
			for _, size := range []int{1, 2, 7, 64} {
				var got bytes.Buffer
				st, err := m.Apply(context.Background(), &got, ins, ApplyOptions{Threads: threads, blockSize: size})
				if err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() || st != wantSt {
					t.Fatalf("trial %d, %d threads, blocks of %d: got %+v\n%q\nwant %+v\n%q\ninput %q\npairs %q",
						trial, threads, size, st, got.String(), wantSt, want.String(), texts, pairs)
				}
			}
		}
	}
}

func TestApplyManyBlankLines(t *testing.T) {
	// A million newlines in a row must not make one huge block.
	text := "a b" + strings.Repeat("\n", 1_000_000) + "a b\n"
	var out bytes.Buffer
	m := modelOf("a b")
	st, err := m.Apply(context.Background(), &out, inputs(t, text), ApplyOptions{Threads: 2, blockSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if want := "a_b" + strings.Repeat("\n", 1_000_000) + "a_b\n"; out.String() != want || st.Joined != 2 {
		t.Fatalf("%d bytes, %d joined", out.Len(), st.Joined)
	}
}

type failWriter struct{ after int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestApplyErrors(t *testing.T) {
	text := strings.Repeat("a b c d\n", 100_000)
	m := modelOf("a b")
	// A write error stops everything and is returned as is.
	_, err := m.Apply(context.Background(), &failWriter{after: 10_000}, inputs(t, text), ApplyOptions{Threads: 2, blockSize: 1000})
	if err == nil || err.Error() != "disk full" {
		t.Errorf("write error: got %v", err)
	}
	// A read error names the input.
	boom := errors.New("boom")
	in := &corpus.Input{Name: "broken.txt", R: readerAtFunc(func(p []byte, off int64) (int, error) {
		if off > 5000 {
			return 0, boom
		}
		return copy(p, text[off:]), nil
	}), Size: int64(len(text))}
	_, err = m.Apply(context.Background(), io.Discard, []*corpus.Input{in}, ApplyOptions{Threads: 2, blockSize: 1000})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "read broken.txt") {
		t.Errorf("read error: got %v", err)
	}
}

type readerAtFunc func(p []byte, off int64) (int, error)

func (f readerAtFunc) ReadAt(p []byte, off int64) (int, error) { return f(p, off) }

// TestApplyUnsafeCuts makes the reader give up looking for a safe cut: in
// one long line where every pair is a phrase, it must cut between the words
// of a phrase, and the writer must redo the next block.
func TestApplyUnsafeCuts(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var b strings.Builder
	for range 20 * maxCutSearch {
		b.WriteString([]string{"a ", "b ", "c "}[rng.IntN(3)])
	}
	for _, pairs := range [][]string{
		{"a a", "a b", "a c", "b a", "b b", "b c", "c a", "c b", "c c"},
		{"a b", "b a", "b c", "c b", "c c"},
	} {
		m := modelOf(pairs...)
		ins := inputs(t, b.String())
		var want, got bytes.Buffer
		wantSt, _ := m.applySerial(context.Background(), &want, ins, ApplyOptions{})
		st, err := m.Apply(context.Background(), &got, ins, ApplyOptions{Threads: 2, blockSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() || st != wantSt {
			t.Errorf("pairs %q: got %+v, want %+v; outputs equal: %v", pairs, st, wantSt, got.String() == want.String())
		}
	}
}
