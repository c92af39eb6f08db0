package job

import (
	"context"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/search"
)

// QueryOptions say how Nearest and Analogy answer.
type QueryOptions struct {
	Model string        // the vector file
	Query query.Options // how many answers, and how to search
	JSON  bool          // a JSON line per query instead of tables
}

// Nearest answers nearest's queries on the model o.Model: each word given
// on its own or, with none, each line of s.In.
func Nearest(ctx context.Context, s Streams, o QueryOptions, words []string) error {
	var queries [][]string
	for _, w := range words {
		queries = append(queries, []string{w})
	}
	return withModel(s, o.Model, func(m *query.Model) error {
		r, err := m.Nearest(o.Query)
		if err != nil {
			return err
		}
		return run(ctx, s, r, o.JSON, queries, "Enter a word, or several to add them up (Ctrl-D to quit).")
	})
}

// Analogy answers analogy's queries on the model o.Model: the one that
// words make up or, with none, each line of s.In. The query given is
// checked before the model is read, so that a typing mistake is reported
// at once, as a usage error.
func Analogy(ctx context.Context, s Streams, o QueryOptions, words []string) error {
	var queries [][]string
	if len(words) > 0 {
		if _, err := search.ParseExpr(words); err != nil {
			return failure.UsageError{Err: err}
		}
		queries = [][]string{words}
	}
	return withModel(s, o.Model, func(m *query.Model) error {
		r, err := m.Analogy(o.Query)
		if err != nil {
			return err
		}
		return run(ctx, s, r, o.JSON, queries, `Enter "a b c" (a is to b as c is to ?) or an expression such as "king - man + woman" (Ctrl-D to quit).`)
	})
}

// Similarity writes the cosine similarity of each pair of words on the
// model file model or, with no words, of each line's pair from s.In.
func Similarity(s Streams, model string, words []string, jsonLines bool) error {
	return withModel(s, model, func(m *query.Model) error {
		return m.Cosines(s.In, s.Out, s.Err, words, jsonLines)
	})
}

// run answers queries with r on the streams s.
func run(ctx context.Context, s Streams, r *query.Runner, jsonLines bool, queries [][]string, hint string) error {
	r.In, r.Out, r.Err, r.JSON = s.In, s.Out, s.Err, jsonLines
	return r.Run(ctx, queries, hint)
}

// withModel opens the model file path to query, with a progress report on
// s.Err for a big one, and hands it to use.
func withModel(s Streams, path string, use func(*query.Model) error) error {
	v, err := query.LoadModel(s.Err, path)
	if err != nil {
		return err
	}
	defer v.Close()
	m, err := query.NewModel(v)
	if err != nil {
		return err
	}
	return use(m)
}
