package query

import (
	"fmt"

	"slices"
	"strings"
	"sync"

	"github.com/w2vtool/w2v/internal/simd"

	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// Model is an open model with what its queries need: its words, its graph
// index if it has one, its rows' lengths. The query commands and the
// server build their Runners from one, so that they answer alike. It is
// safe for concurrent use, unless UseSubwords has been called on Lex (as
// the similarity command does, answering one pair at a time): Runners with
// Options.Subwords, SimilarityOf and WordVector keep unseen words' rows in
// Lexicons of their own.
type Model struct {
	V     *vecfile.Vectors
	Lex   *Lexicon
	Graph *search.Graph // nil when the model has no index

	norms func() []float32
}

// NewModel returns the Model of v, opening its index if it has one.
func NewModel(v *vecfile.Vectors) (*Model, error) {
	g, err := OpenIndex(v)
	if err != nil {
		return nil, err
	}
	return &Model{V: v, Lex: NewLexicon(v), Graph: g, norms: sync.OnceValue(func() []float32 { return Norms(v) })}, nil
}

// Options say how a Runner of Model answers.
type Options struct {
	Top      int // answers per query
	Restrict int // search only the first Restrict rows (0: all)
	// Metric names the metric ("": the index's, else cosine).
	Metric string
	Method search.Method // how analogy combines its words
	Exact  bool          // scan even if the model has an index
	Ef     int           // breadth of the index's search (0: its default)
	// Subwords gives words outside the vocabulary the vector of their
	// character n-grams when the model has them (see Lexicon.UseSubwords).
	// Each Runner then keeps those rows in a Lexicon of its own (see
	// Lexicon.WithSubwords), so Runners of one Model may answer at once; a
	// Runner itself answers one batch at a time.
	Subwords bool
}

// searcher returns the exact Searcher, the graph (nil if the graph cannot
// answer) and the Lexicon that o asks for: with o.Subwords one of the
// Searcher's own, else the Model's.
func (m *Model) searcher(o Options) (*search.Searcher, *search.Graph, *Lexicon, error) {
	if o.Top < 1 {
		return nil, nil, nil, fmt.Errorf("top must be at least 1, got %d", o.Top)
	}
	if o.Restrict < 0 || o.Ef < 0 {
		return nil, nil, nil, fmt.Errorf("restrict and ef must be 0 or more")
	}
	metric := search.Cosine
	if m.Graph != nil && o.Method == search.Add { // 3CosMul ranks by cosines whatever the index
		metric = m.Graph.Metric
	}
	if o.Metric != "" {
		var err error
		if metric, err = search.ParseMetric(o.Metric); err != nil {
			return nil, nil, nil, err
		}
	}
	if o.Method == search.Mul && metric != search.Cosine {
		return nil, nil, nil, fmt.Errorf("%v combines cosines; it cannot rank by the %v metric (use 3CosAdd)", search.Mul, metric)
	}
	s := search.New(m.V.Matrix(), m.V.Dim(), o.Restrict)
	s.Metric, s.Method = metric, o.Method
	if metric != search.Cosine {
		s.Norms = m.norms()
	}
	lex := m.Lex
	if o.Subwords {
		lex, _ = m.Lex.WithSubwords(s)
	}
	g := m.Graph
	if g != nil && (o.Exact || o.Restrict > 0 || metric != g.Metric) {
		g = nil
	}
	return s, g, lex, nil
}

// Neighbor is a word and its score by the query's metric, in JSON output.
// A cosine is also given under its old name "cosine", which readers
// written before --metric expect; dot and euclidean scores are not, so
// that such a reader fails instead of taking them for cosines.
type Neighbor struct {
	Word   string   `json:"word"`
	Score  float32  `json:"score"`
	Cosine *float32 `json:"cosine,omitempty"`
}

// NewNeighbor returns the JSON form of word with score by metric.
func NewNeighbor(word string, score float32, metric search.Metric) Neighbor {
	n := Neighbor{Word: word, Score: score}
	if metric == search.Cosine {
		n.Cosine = &n.Score
	}
	return n
}

// NearestResult is an answered nearest query in JSON output.
type NearestResult struct {
	Query       string `json:"query"`
	Metric      string `json:"metric,omitempty"` // when not cosine
	Approximate bool   `json:"approximate,omitempty"`
	// FromSubwords lists query words outside the vocabulary given the vector of their n-grams.
	FromSubwords []string   `json:"from_subwords,omitempty"`
	Neighbors    []Neighbor `json:"neighbors,omitempty"`
}

// Nearest returns the Runner of the nearest command: each query's words
// are looked up and the rows nearest to their sum listed. The caller sets
// its streams and JSON.
func (m *Model) Nearest(o Options) (*Runner, error) {
	o.Method = search.Add
	s, g, lex, err := m.searcher(o)
	if err != nil {
		return nil, err
	}
	v := m.V
	return &Runner{
		V: v, Searcher: s, Graph: g, Ef: o.Ef, Top: o.Top,
		Prepare: func(words []string) (search.Query, string, string) {
			rows, problem := lex.Lookup(words)
			return search.Query{Pos: rows, Skip: rows}, "Nearest to " + strings.Join(lex.Labels(words, rows), " + "), problem
		},
		Result: func(words []string, _ string, hits []search.Hit) any {
			rows, _ := lex.Lookup(words) // as in Prepare: a subword row is made once
			res := NearestResult{Query: strings.Join(words, " "), Approximate: g != nil,
				FromSubwords: lex.SubwordWords(words, rows), Neighbors: []Neighbor{}}
			if s.Metric != search.Cosine {
				res.Metric = s.Metric.String()
			}
			for _, x := range hits {
				res.Neighbors = append(res.Neighbors, NewNeighbor(v.Word(x.Row), x.Score, s.Metric))
			}
			return res
		},
	}, nil
}

// Scored is an answer and its score in JSON output.
type Scored struct {
	Word  string  `json:"word"`
	Score float32 `json:"score"`
}

// AnalogyResult is an answered analogy query in JSON output.
type AnalogyResult struct {
	Query       string   `json:"query"`
	Positive    []string `json:"positive"`
	Negative    []string `json:"negative,omitempty"`
	Method      string   `json:"method"`
	Metric      string   `json:"metric,omitempty"` // when not cosine
	Approximate bool     `json:"approximate,omitempty"`
	// FromSubwords lists query words outside the vocabulary given the vector of their n-grams.
	FromSubwords []string `json:"from_subwords,omitempty"`
	Answers      []Scored `json:"answers,omitempty"`
}

// Analogy returns the Runner of the analogy command: each query is an
// expression (see search.ParseExpr) whose words are looked up and combined
// by o.Method. The caller sets its streams and JSON.
func (m *Model) Analogy(o Options) (*Runner, error) {
	s, g, lex, err := m.searcher(o)
	if err != nil {
		return nil, err
	}
	v := m.V
	return &Runner{
		V: v, Searcher: s, Graph: g, Ef: o.Ef, Top: o.Top,
		Prepare: func(words []string) (search.Query, string, string) {
			e, err := search.ParseExpr(words)
			if err != nil {
				return search.Query{}, "", err.Error()
			}
			pos, problem := lex.Lookup(e.Pos)
			if problem != "" {
				return search.Query{}, "", problem
			}
			neg, problem := lex.Lookup(e.Neg)
			if problem != "" {
				return search.Query{}, "", problem
			}
			title := e.String()
			if sub := lex.SubwordWords(slices.Concat(e.Pos, e.Neg), slices.Concat(pos, neg)); sub != nil {
				title += " (" + strings.Join(sub, ", ") + " from subwords)"
			}
			return search.Query{Pos: pos, Neg: neg, Skip: slices.Concat(pos, neg)}, title, ""
		},
		Result: func(words []string, _ string, hits []search.Hit) any {
			e, _ := search.ParseExpr(words) // Prepare has parsed it
			pos, _ := lex.Lookup(e.Pos)     // as in Prepare: a subword row is made once
			neg, _ := lex.Lookup(e.Neg)
			res := AnalogyResult{Query: e.String(), Positive: e.Pos, Negative: e.Neg, Method: s.Method.String(),
				Approximate: g != nil, Answers: []Scored{},
				FromSubwords: lex.SubwordWords(slices.Concat(e.Pos, e.Neg), slices.Concat(pos, neg))}
			if s.Metric != search.Cosine {
				res.Metric = s.Metric.String()
			}
			for _, x := range hits {
				res.Answers = append(res.Answers, Scored{v.Word(x.Row), x.Score})
			}
			return res
		},
	}, nil
}

// Similarity returns the cosine similarity of the words a and b, or a
// description of an unknown one. It looks them up in the Model's Lexicon,
// which gives unseen words subword vectors only after UseSubwords (and then
// serves one goroutine at a time); SimilarityOf serves many.
func (m *Model) Similarity(a, b string) (float32, string) {
	c, _, problem := cosine(m.Lex, a, b)
	return c, problem
}

// SimilarityOf is Similarity for concurrent callers, such as the server's
// requests: with subwords, and a model that has n-grams, an unseen word gets
// its subword vector in a Lexicon of this call's own. fromSubwords lists
// such words (nil if none), as the similarity command's JSON does.
func (m *Model) SimilarityOf(a, b string, subwords bool) (cos float32, fromSubwords []string, problem string) {
	lex := m.Lex
	if subwords {
		lex, _ = m.Lex.WithSubwords(nil)
	}
	cos, rows, problem := cosine(lex, a, b)
	if problem != "" {
		return 0, nil, problem
	}
	return cos, lex.SubwordWords([]string{a, b}, rows), ""
}

// cosine returns the cosine similarity of a and b as lex looks them up,
// and their rows.
func cosine(lex *Lexicon, a, b string) (float32, []int, string) {
	rows, problem := lex.Lookup([]string{a, b})
	if problem != "" {
		return 0, nil, problem
	}
	x := lex.Row(rows[0])
	if lex.IsSubword(rows[0]) {
		// Dot's rounding depends on where its first operand lies (see
		// search.QueryVector), and an unseen word's row lies wherever its
		// Lexicon's rows do: copy it to an aligned vector, so that every
		// caller gets the same cosine.
		x = append(search.QueryVector(len(x))[:0], x...)
	}
	return simd.Dot(x, lex.Row(rows[1])), rows, ""
}

// WordVector returns w's vector as the file holds it and its length, or a
// description of an unknown word. With subwords, and a model that has
// n-grams, an unseen word gets the mean of its n-grams' rows (fromSubwords
// true), looked up in a Lexicon of this call's own, so that many
// goroutines may ask at once.
func (m *Model) WordVector(w string, subwords bool) (vec []float32, norm float32, fromSubwords bool, problem string) {
	lex := m.Lex
	if subwords {
		lex, _ = m.Lex.WithSubwords(nil)
	}
	rows, problem := lex.Lookup([]string{w})
	if problem != "" {
		return nil, 0, false, problem
	}
	r := rows[0]
	norm = lex.Norm(r)
	vec = make([]float32, m.V.Dim())
	for i, x := range lex.Row(r) {
		vec[i] = x * norm
	}
	return vec, norm, lex.IsSubword(r), ""
}
