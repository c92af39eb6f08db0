// Package evaluate measures word vectors on the standard test sets: analogy
// questions (Mikolov et al.'s questions-words.txt, scored as word2vec's
// compute-accuracy and gensim's evaluate_word_analogies do) and word pairs
// rated for similarity (WordSim-353 and the like, scored by Spearman's rho
// as gensim's evaluate_word_pairs does).
//
// Test-set files are untrusted input: a line that is not what the format
// says is an error naming the file and line, never skipped silently.
package evaluate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Section is a named group of analogy questions.
type Section struct {
	Name      string
	Questions []Question
}

// Question is an analogy a:b :: c:d, read from line Line of its file.
type Question struct {
	A, B, C, D string
	Line       int
}

// Pair is two words and the similarity people gave them.
type Pair struct {
	A, B  string
	Score float64
	Line  int
}

// maxLine bounds the length of a test-set line.
const maxLine = 64 << 10

// lines calls fn with each line of r, without line ending, after checking
// that it is UTF-8 text. fn's errors get the file and line prepended.
func lines(r io.Reader, name string, fn func(line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if !utf8.ValidString(line) {
			return fmt.Errorf("%s:%d: invalid UTF-8", name, n)
		}
		for _, c := range line {
			if unicode.IsControl(c) && c != '\t' {
				return fmt.Errorf("%s:%d: control character %U; is this a text file?", name, n, c)
			}
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("%s:%d: line longer than %d bytes; is this a text file?", name, n+1, maxLine)
		}
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}

// ReadQuestions reads an analogy test set in the format of word2vec's
// questions-words.txt: lines ": name" start sections, every other line
// holds four words "a b c d", read as a:b :: c:d. Blank lines are ignored.
func ReadQuestions(r io.Reader, name string) ([]Section, error) {
	var secs []Section
	n, total := 0, 0
	err := lines(r, name, func(line string) error {
		n++
		if strings.HasPrefix(line, ":") {
			sec := strings.TrimSpace(line[1:])
			if sec == "" {
				return errors.New(`section line ":" has no name`)
			}
			secs = append(secs, Section{Name: sec})
			return nil
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
			return nil
		case len(f) == 1:
			return errors.New(`1 word; want 4, "a b c d" for a:b :: c:d`)
		case len(f) != 4:
			return fmt.Errorf("%d words; want 4, \"a b c d\" for a:b :: c:d", len(f))
		case len(secs) == 0:
			return errors.New(`question before the first ": section" line`)
		}
		s := &secs[len(secs)-1]
		s.Questions = append(s.Questions, Question{A: f[0], B: f[1], C: f[2], D: f[3], Line: n})
		total++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, fmt.Errorf("%s: no questions", name)
	}
	return secs, nil
}

// ReadPairs reads a word-similarity test set: lines "word1 word2 score",
// separated by tabs or spaces. Blank lines and lines starting with # are
// ignored.
func ReadPairs(r io.Reader, name string) ([]Pair, error) {
	var pairs []Pair
	n := 0
	err := lines(r, name, func(line string) error {
		n++
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			return nil
		}
		var f []string
		if strings.Contains(t, "\t") {
			f = strings.Split(t, "\t")
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
		} else {
			f = strings.Fields(t)
		}
		if len(f) != 3 || f[0] == "" || f[1] == "" {
			return fmt.Errorf("want \"word1 word2 score\", got %d fields", len(f))
		}
		score, err := strconv.ParseFloat(f[2], 64)
		if err != nil || math.IsNaN(score) || math.IsInf(score, 0) {
			return fmt.Errorf("score %q is not a finite number", f[2])
		}
		pairs = append(pairs, Pair{A: f[0], B: f[1], Score: score, Line: n})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("%s: no word pairs", name)
	}
	return pairs, nil
}
