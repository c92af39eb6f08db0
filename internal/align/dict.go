package align

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Dictionary is a list of word pairs read from a file, as rows of the two
// models.
type Dictionary struct {
	Pairs []Pair
	// Lines counts the pairs in the file; Unknown those left out because
	// the source or the target model lacks a word (or, for test pairs,
	// has it beyond Options.Restrict).
	Lines, Unknown int
}

// readPairs calls add for each "source target" pair of r, a pair a line
// separated by spaces or tabs; blank lines and lines starting with # are
// skipped.
func readPairs(r io.Reader, name string, add func(src, tgt string)) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n, line := 0, 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Fields(s)
		if len(f) != 2 {
			return n, fmt.Errorf("%s:%d: want a source word and a target word, got %d fields", name, line, len(f))
		}
		add(f[0], f[1])
		n++
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("read %s line %d: %w", name, line+1, err)
	}
	if n == 0 {
		return 0, fmt.Errorf("%s holds no word pairs", name)
	}
	return n, nil
}

// ReadDictionary reads the training dictionary of file name from r: a
// "source target" pair a line. Pairs with a word that either model lacks
// are counted in Unknown and left out; a file with no pairs, or none whose
// two words are known, is an error.
func (a *Aligner) ReadDictionary(r io.Reader, name string) (*Dictionary, error) {
	d := &Dictionary{}
	n, err := readPairs(r, name, func(s, t string) {
		i, ok1 := a.src.Index(s)
		j, ok2 := a.tgt.Index(t)
		if !ok1 || !ok2 {
			d.Unknown++
			return
		}
		d.Pairs = append(d.Pairs, Pair{i, j})
	})
	d.Lines = n
	if err != nil {
		return nil, err
	}
	if len(d.Pairs) == 0 {
		return nil, fmt.Errorf("none of the %d pairs in %s has both words in the models", n, name)
	}
	return d, nil
}

// Identical returns the dictionary of the words that are among the n most
// frequent (the first n rows) of both models, each paired with itself;
// n = 0 takes every word the two share.
func (a *Aligner) Identical(n int) ([]Pair, error) {
	ns, nt := limit(a.src.Len(), n), limit(a.tgt.Len(), n)
	var pairs []Pair
	for i := range ns {
		if j, ok := a.tgt.Index(a.src.Word(i)); ok && j < nt {
			pairs = append(pairs, Pair{i, j})
		}
	}
	if len(pairs) == 0 {
		return nil, errors.New("the models have no words in common among their most frequent; give a dictionary with --dict")
	}
	return pairs, nil
}

// Test is a test-dictionary entry: a source row and the target rows
// accepted as its translation.
type Test struct {
	Src int
	Tgt []int
}

// Tests is a test dictionary read from a file.
type Tests struct {
	Tests []Test
	// Words counts the distinct source words of the file; Unknown those
	// left out because the source lacks the word, or the target every
	// accepted translation, among the words searched (Options.Restrict).
	Words, Unknown int
}

// ReadTests reads the test dictionary of file name from r: "source
// target" pairs, a line each, where a source word may have several lines,
// one per accepted target.
func (a *Aligner) ReadTests(r io.Reader, name string) (*Tests, error) {
	index := make(map[string]int) // source word → position in order
	var order []string
	accepted := make(map[string][]int)
	_, err := readPairs(r, name, func(s, t string) {
		if _, ok := index[s]; !ok {
			index[s] = len(order)
			order = append(order, s)
		}
		if j, ok := a.tgt.Index(t); ok && j < a.ny && !slices.Contains(accepted[s], j) {
			accepted[s] = append(accepted[s], j)
		}
	})
	if err != nil {
		return nil, err
	}
	ts := &Tests{Words: len(order)}
	for _, s := range order {
		i, ok := a.src.Index(s)
		if !ok || i >= a.nx || len(accepted[s]) == 0 {
			ts.Unknown++
			continue
		}
		ts.Tests = append(ts.Tests, Test{Src: i, Tgt: accepted[s]})
	}
	if len(ts.Tests) == 0 {
		return nil, fmt.Errorf("none of the %d source words in %s is in both models with a translation", ts.Words, name)
	}
	return ts, nil
}
