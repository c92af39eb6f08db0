package evaluate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/simd"
)

// Vectors is what an evaluation reads of a model: Len words, most frequent
// first, each with a unit-length vector of Dim values. *vecfile.Vectors is
// one; a model being trained can be another.
type Vectors interface {
	Len() int
	Dim() int
	Word(i int) string
	Row(i int) []float32
}

// These optional methods spare work: Index finds a word without building a
// map, Matrix gives the rows as one slice without copying them, and
// Normalized tells whether the rows really have unit length.
type (
	indexer    interface{ Index(w string) (int, bool) }
	matrixer   interface{ Matrix() []float32 }
	normalizer interface{ Normalized() bool }
)

// checkNormalized returns an error if v says its rows are not unit length.
func checkNormalized(v Vectors) error {
	if n, ok := v.(normalizer); ok && !n.Normalized() {
		return fmt.Errorf("evaluate: vectors must be normalised")
	}
	return nil
}

// matrix returns the first n rows of v as one row-major slice.
func matrix(v Vectors, n int) []float32 {
	if m, ok := v.(matrixer); ok {
		return m.Matrix()
	}
	d := v.Dim()
	vecs := make([]float32, 0, n*d)
	for i := range n {
		vecs = append(vecs, v.Row(i)...)
	}
	return vecs
}

// vocab finds test-set words among the first rows of a model. Folded, it
// matches words by their upper-case forms, and a form stands for the first
// (most frequent) row that has it, as gensim's case_insensitive=True does.
type vocab struct {
	v      Vectors
	n      int
	fold   bool
	first  map[string]int   // folded form → first row; without folding, word → row unless v is an indexer
	others map[string][]int // folded form → later rows with it
}

func newVocab(v Vectors, restrict int, caseSensitive bool) *vocab {
	n := v.Len()
	if restrict > 0 && restrict < n {
		n = restrict
	}
	voc := &vocab{v: v, n: n, fold: !caseSensitive}
	if voc.fold {
		voc.first = make(map[string]int, n)
		voc.others = make(map[string][]int)
		for i := 0; i < n; i++ {
			key := fold(v.Word(i))
			if _, ok := voc.first[key]; ok {
				voc.others[key] = append(voc.others[key], i)
			} else {
				voc.first[key] = i
			}
		}
	} else if _, ok := v.(indexer); !ok {
		voc.first = make(map[string]int, n)
		for i := n - 1; i >= 0; i-- { // backwards, so the first row of a repeated word wins
			voc.first[v.Word(i)] = i
		}
	}
	return voc
}

// fold maps a word to the form case-insensitive matching compares. Python's
// str.upper, which gensim uses, also applies Unicode's multi-letter
// mappings (ß → SS); strings.ToUpper maps letter by letter, so the two
// differ only for words containing such letters.
func fold(w string) string { return strings.ToUpper(w) }

// find returns the row of word among the first n.
func (voc *vocab) find(w string) (int, bool) {
	if voc.fold {
		r, ok := voc.first[fold(w)]
		return r, ok
	}
	if ix, ok := voc.v.(indexer); ok {
		r, ok := ix.Index(w)
		return r, ok && r < voc.n
	}
	r, ok := voc.first[w]
	return r, ok
}

// same reports whether two words count as the same word.
func (voc *vocab) same(a, b string) bool {
	if voc.fold {
		return fold(a) == fold(b)
	}
	return a == b
}

// OOV gives a word outside a model's vocabulary a unit vector in dst, as
// a fastText model's character n-grams do, and reports whether it has one.
type OOV func(dst []float32, word string) bool

// unseen reports whether w is missing from the whole vocabulary (not only
// from the first n words), so that an OOV vector may stand for it.
func (voc *vocab) unseen(w string) bool {
	if _, ok := voc.find(w); ok {
		return false
	}
	if ix, ok := voc.v.(indexer); ok {
		_, ok := ix.Index(w)
		return !ok
	}
	return true
}

// rows appends to dst every row among the first n that stands for w.
func (voc *vocab) rows(dst []int, w string) []int {
	r, ok := voc.find(w)
	if !ok {
		return dst
	}
	dst = append(dst, r)
	if voc.fold {
		dst = append(dst, voc.others[fold(w)]...)
	}
	return dst
}

// AnalogyOptions configure Analogies.
type AnalogyOptions struct {
	// Restrict limits the vocabulary to the first Restrict words (0: all):
	// questions with a word beyond them are skipped, and answers are
	// sought only among them. word2vec's compute-accuracy uses 30000.
	Restrict int
	// CaseSensitive matches words exactly; by default case is ignored.
	CaseSensitive bool
	// Method is 3CosAdd or 3CosMul.
	Method search.Method
	// Epsilon is 3CosMul's ε (search.DefaultEpsilon if 0).
	Epsilon float32
	// Threads bounds the goroutines used (0: GOMAXPROCS).
	Threads int
	// OOV, if set, gives the question words a, b and c that are outside
	// the vocabulary a vector, so that more questions are answered; the
	// answer d must still be in the vocabulary searched.
	OOV OOV
}

// Score counts the questions of a section (or a total).
type Score struct {
	Name     string `json:"section"`
	Correct  int    `json:"correct"`
	Answered int    `json:"answered"` // questions whose four words are all in the vocabulary
	Total    int    `json:"total"`
}

// Accuracy returns Correct/Answered, or 0 when nothing was answered.
func (s Score) Accuracy() float64 {
	if s.Answered == 0 {
		return 0
	}
	return float64(s.Correct) / float64(s.Answered)
}

func (s *Score) add(o Score) {
	s.Correct += o.Correct
	s.Answered += o.Answered
	s.Total += o.Total
}

// Answer is the outcome of one question.
type Answer struct {
	Question
	Section  int    // index into the sections
	Answered bool   // all four words were in the vocabulary, or had OOV vectors
	OOV      bool   // some of a, b and c had OOV vectors
	Word     string // the best candidate; "" when not answered
	Correct  bool
}

// AnalogyReport is the outcome of an analogy test set.
type AnalogyReport struct {
	Sections  []Score
	Semantic  Score // the first five sections, as in compute-accuracy
	Syntactic Score // the others
	Total     Score
	// InVocabulary counts the questions whose four words are all in the
	// vocabulary; Total.Answered exceeds it by those answered with OOV
	// vectors.
	InVocabulary int
	Answers      []Answer // every question in file order
}

// semanticSections is how many leading sections of questions-words.txt are
// semantic; word2vec's compute-accuracy counts them so.
const semanticSections = 5

// Analogies answers every question of secs with v, which must be
// normalised. A question is answered by the best word b − a + c (or its
// 3CosMul counterpart) among the vocabulary, excluding a, b and c
// themselves (and, ignoring case, their other forms), and is correct if
// that word is d. Questions with a word outside the vocabulary are skipped,
// not counted wrong, as gensim does with dummy4unknown=False.
func Analogies(ctx context.Context, v Vectors, secs []Section, opts AnalogyOptions) (*AnalogyReport, error) {
	if err := checkNormalized(v); err != nil {
		return nil, err
	}
	voc := newVocab(v, opts.Restrict, opts.CaseSensitive)
	vecs := matrix(v, voc.n)
	oov := newOOVRows(voc, opts.OOV, len(vecs)/v.Dim())
	rep := &AnalogyReport{Sections: make([]Score, len(secs))}
	var qs []search.Query
	var asked []int // index into rep.Answers of each query
	for si, sec := range secs {
		rep.Sections[si] = Score{Name: sec.Name, Total: len(sec.Questions)}
		for _, q := range sec.Questions {
			ans := Answer{Question: q, Section: si}
			a, okA := voc.find(q.A)
			b, okB := voc.find(q.B)
			c, okC := voc.find(q.C)
			_, okD := voc.find(q.D)
			if okA && okB && okC && okD {
				rep.InVocabulary++
			}
			if okD && !(okA && okB && okC) && oov != nil {
				a, okA = oov.find(a, okA, q.A)
				b, okB = oov.find(b, okB, q.B)
				c, okC = oov.find(c, okC, q.C)
				ans.OOV = okA && okB && okC
			}
			if okA && okB && okC && okD {
				ans.Answered = true
				skip := voc.rows(voc.rows(voc.rows(nil, q.A), q.B), q.C)
				qs = append(qs, search.Query{Pos: []int{b, c}, Neg: []int{a}, Skip: skip})
				asked = append(asked, len(rep.Answers))
			}
			rep.Answers = append(rep.Answers, ans)
		}
	}
	s := search.New(vecs, v.Dim(), voc.n)
	if oov != nil {
		s.Extra = oov.rows
	}
	s.Method = opts.Method
	if opts.Epsilon != 0 {
		s.Epsilon = opts.Epsilon
	}
	s.Threads = opts.Threads
	hits, err := s.Search(ctx, qs, 1)
	if err != nil {
		return nil, err
	}
	for i, h := range hits {
		ans := &rep.Answers[asked[i]]
		if len(h) > 0 {
			ans.Word = v.Word(h[0].Row)
			ans.Correct = voc.same(ans.Word, ans.D)
		}
	}
	rep.Semantic.Name, rep.Syntactic.Name, rep.Total.Name = "semantic", "syntactic", "total"
	for _, ans := range rep.Answers {
		sc := &rep.Sections[ans.Section]
		if ans.Answered {
			sc.Answered++
			if ans.Correct {
				sc.Correct++
			}
		}
	}
	for si, sc := range rep.Sections {
		if si < semanticSections {
			rep.Semantic.add(sc)
		} else {
			rep.Syntactic.add(sc)
		}
		rep.Total.add(sc)
	}
	return rep, nil
}

// PairsOptions configure Pairs.
type PairsOptions struct {
	// Restrict limits the vocabulary to the first Restrict words (0: all).
	Restrict int
	// CaseSensitive matches words exactly; by default case is ignored.
	CaseSensitive bool
	// OOV, if set, gives words outside the vocabulary a vector, so that
	// pairs with them are scored too, as fastText's evaluation does.
	OOV OOV
}

// PairsReport is the outcome of a word-similarity test set.
type PairsReport struct {
	Pairs    int     // pairs in the set
	Found    int     // pairs scored: both words in the vocabulary or with OOV vectors
	InVocab  int     // pairs with both words in the vocabulary
	Spearman float64 // rank correlation of the scores and the cosines of the found pairs
	Pearson  float64 // linear correlation of the same
}

// Pairs correlates the similarity scores of pairs with the cosine
// similarities of their words' vectors in v, which must be normalised.
// Pairs with a word outside the vocabulary are skipped and counted.
func Pairs(v Vectors, pairs []Pair, opts PairsOptions) (*PairsReport, error) {
	if err := checkNormalized(v); err != nil {
		return nil, err
	}
	voc := newVocab(v, opts.Restrict, opts.CaseSensitive)
	oov := newOOVRows(voc, opts.OOV, v.Len())
	row := func(r int) []float32 {
		if r >= v.Len() {
			return oov.row(r)
		}
		return v.Row(r)
	}
	var gold, model []float64
	inVocab := 0
	for _, p := range pairs {
		a, okA := voc.find(p.A)
		b, okB := voc.find(p.B)
		if okA && okB {
			inVocab++
		} else if oov != nil {
			a, okA = oov.find(a, okA, p.A)
			b, okB = oov.find(b, okB, p.B)
		}
		if !okA || !okB {
			continue
		}
		gold = append(gold, p.Score)
		model = append(model, float64(simd.Dot(row(a), row(b))))
	}
	rep := &PairsReport{Pairs: len(pairs), Found: len(gold), InVocab: inVocab}
	if len(gold) < 2 {
		if len(pairs) == 1 {
			return nil, errors.New("correlation needs 2 pairs with both words in the vocabulary, and the set has 1 pair")
		}
		return nil, fmt.Errorf("only %d of the %d pairs have both words in the vocabulary; correlation needs 2", len(gold), len(pairs))
	}
	rep.Spearman = Spearman(gold, model)
	rep.Pearson = stat.Correlation(gold, model, nil)
	if math.IsNaN(rep.Spearman) || math.IsNaN(rep.Pearson) {
		return nil, fmt.Errorf("correlation is undefined: the scores or the cosines of the %d pairs found are all equal", len(gold))
	}
	return rep, nil
}

// Spearman returns Spearman's rank correlation of x and y: Pearson's
// correlation of their ranks, tied values sharing their average rank (as
// scipy.stats.spearmanr computes it).
func Spearman(x, y []float64) float64 {
	return stat.Correlation(ranks(x), ranks(y), nil)
}

// ranks returns the 1-based ranks of x, ties given their average rank.
func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1 … j
		for _, k := range idx[i:j] {
			r[k] = avg
		}
		i = j
	}
	return r
}

// oovRows holds the OOV vectors of the words a test set needs, as rows
// numbered on from base, the rows of the matrix searched.
type oovRows struct {
	voc   *vocab
	oov   OOV
	base  int
	rows  []float32
	index map[string]int
}

func newOOVRows(voc *vocab, oov OOV, base int) *oovRows {
	if oov == nil {
		return nil
	}
	return &oovRows{voc: voc, oov: oov, base: base, index: make(map[string]int)}
}

// find returns r if ok, else the row of w's OOV vector if w is outside the
// vocabulary and has one.
func (o *oovRows) find(r int, ok bool, w string) (int, bool) {
	if ok {
		return r, true
	}
	if r, ok := o.index[w]; ok {
		return r, true
	}
	if !o.voc.unseen(w) {
		return 0, false
	}
	d := o.voc.v.Dim()
	o.rows = slices.Grow(o.rows, d)[:len(o.rows)+d]
	if !o.oov(o.rows[len(o.rows)-d:], w) {
		o.rows = o.rows[:len(o.rows)-d]
		return 0, false
	}
	r = o.base + len(o.rows)/d - 1
	o.index[w] = r
	return r, true
}

func (o *oovRows) row(r int) []float32 {
	d := o.voc.v.Dim()
	r -= o.base
	return o.rows[r*d : (r+1)*d]
}
