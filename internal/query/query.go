// Package query answers the questions the query commands ask of a vector
// model, from the command line or a line at a time from a stream: it looks
// the words up (suggesting another case of an unknown one), searches a
// batch of queries at a time, writes a table or a JSON line per query and
// turns the queries it could not answer into an error.
package query

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// Lexicon looks up query words in a model's vocabulary. Lookups of
// vocabulary words may run concurrently; one that makes subword rows (see
// UseSubwords) may not, so each goroutine takes its own (WithSubwords).
type Lexicon struct {
	v    *vecfile.Vectors
	fold *folding // shared with the Lexicons made by WithSubwords

	// Unseen words' subword vectors (see UseSubwords), this Lexicon's own.
	sr                *search.Searcher
	subRows           map[string]int
	extra, extraNorms []float32
}

// folding maps the hash of each lower-cased word to its first row, for
// suggesting another case of an unknown word; it is built at the first
// unknown word, so a batch of them costs one pass over the vocabulary, and
// is read-only after.
type folding struct {
	once sync.Once // Lookup may be called concurrently
	seed maphash.Seed
	rows map[uint64]int32
}

// NewLexicon returns a Lexicon of v's words.
func NewLexicon(v *vecfile.Vectors) *Lexicon {
	return &Lexicon{v: v, fold: &folding{seed: maphash.MakeSeed()}}
}

// Lookup returns the rows of words, or a description of the first unknown
// one. After UseSubwords an unseen word gets a row of its subword vector.
func (l *Lexicon) Lookup(words []string) ([]int, string) {
	rows := make([]int, len(words))
	for i, w := range words {
		r, ok := l.v.Index(w)
		if !ok {
			r, ok = l.subwordRow(w)
		}
		if !ok {
			return nil, l.unknown(w)
		}
		rows[i] = r
	}
	return rows, ""
}

// unknown describes a word missing from the vocabulary, suggesting another
// case of it if the vocabulary has one.
func (l *Lexicon) unknown(w string) string {
	msg := fmt.Sprintf("%q is not in the vocabulary", w)
	f := l.fold
	f.once.Do(func() {
		f.rows = make(map[uint64]int32)
		for i := l.v.Len() - 1; i >= 0; i-- { // backwards, so the first row wins
			f.rows[maphash.String(f.seed, strings.ToLower(l.v.Word(i)))] = int32(i)
		}
	})
	if r, ok := f.rows[maphash.String(f.seed, strings.ToLower(w))]; ok {
		if c := l.v.Word(int(r)); strings.EqualFold(c, w) {
			msg += fmt.Sprintf(" (but %q is)", c)
		}
	}
	return msg
}

// IsTerminal reports whether r is an interactive terminal.
func IsTerminal(r any) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// maxQueryLine bounds a query line read from standard input.
const maxQueryLine = 1 << 20

// readLines reads query lines from in and hands them to answer in
// batches: as many lines as have already arrived (up to 256), so piped
// files are answered at matrix-product speed while a person at a terminal,
// or a program waiting for each answer, gets it at once. On a terminal a
// prompt is shown first.
func readLines(in io.Reader, prompt io.Writer, hint string, answer func(lines []string) error) error {
	interactive := IsTerminal(in)
	if interactive {
		fmt.Fprintln(prompt, hint)
	}
	br := bufio.NewReaderSize(in, 64<<10)
	var batch []string
	var long []byte
	for {
		if interactive && len(batch) == 0 {
			fmt.Fprint(prompt, "> ")
		}
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) && len(long) <= maxQueryLine {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			if len(long) > maxQueryLine {
				return fmt.Errorf("standard input: query line longer than %d bytes", maxQueryLine)
			}
			line = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read standard input: %w", err)
		}
		if t := strings.TrimSpace(string(line)); t != "" {
			batch = append(batch, t)
		}
		if len(batch) > 0 && (err != nil || interactive || br.Buffered() == 0 || len(batch) == 256) {
			if aerr := answer(batch); aerr != nil {
				return aerr
			}
			batch = batch[:0]
		}
		if err != nil {
			if interactive {
				fmt.Fprintln(prompt)
			}
			return nil
		}
	}
}

// WriteHits prints one query's ranked answers under title as a table of
// rank, word and cosine, as nearest and analogy both show them.
func WriteHits(w io.Writer, title string, v *vecfile.Vectors, hits []search.Hit) error {
	fmt.Fprintf(w, "%s:\n", title)
	t := report.Table{Right: []bool{true, false, true}}
	for r, x := range hits {
		t.Add(fmt.Sprint(r+1), v.Word(x.Row), fmt.Sprintf("%.4f", x.Score))
	}
	return t.Write(w, "  ")
}

// Runner answers the queries of nearest and analogy, from the command
// line or from standard input: it looks each one up, searches a batch at a
// time, prints a table or a JSON line per query, reports the queries it
// could not answer and turns them into the exit status.
type Runner struct {
	In       io.Reader
	Out, Err io.Writer // answers; problems and the prompt
	V        *vecfile.Vectors
	Searcher *search.Searcher
	// Graph, if not nil, answers the queries approximately instead of
	// Searcher's exact scan, walking with breadth Ef (0: the index's
	// calibrated default); the query vectors are still Searcher's (see
	// search.Searcher.Vector), so its Metric must be the graph's.
	Graph *search.Graph
	Ef    int
	Top   int
	JSON  bool
	// Prepare reads one query's words: the search to run and the title of
	// its table, or a problem saying why it cannot be answered.
	Prepare func(words []string) (q search.Query, title, problem string)
	// Result is the JSON object of an answered query.
	Result func(words []string, title string, hits []search.Hit) any

	failed, total int
}

// jsonFailure is the JSON object of a query that could not be answered.
type jsonFailure struct {
	Query string `json:"query"`
	Error string `json:"error"`
}

// Run answers queries, or with none the lines of standard input.
func (r *Runner) Run(ctx context.Context, queries [][]string, hint string) error {
	return AnswerAll(r.In, r.Err, queries, hint, func(qs [][]string) error { return r.answer(ctx, qs) },
		func() (int, int) { return r.failed, r.total })
}

// AnswerAll hands queries to answer, or with none the lines of standard
// input in batches (showing hint first on a terminal, on prompt), each line's words
// separated by spaces. Then it turns the queries that counts reports
// failed into the exit status, except at a terminal, where the person has
// seen each problem.
func AnswerAll(in io.Reader, prompt io.Writer, queries [][]string, hint string, answer func([][]string) error, counts func() (failed, total int)) error {
	var err error
	if queries != nil {
		err = answer(queries)
	} else {
		err = readLines(in, prompt, hint, func(lines []string) error {
			queries := make([][]string, len(lines))
			for i, l := range lines {
				queries[i] = strings.Fields(l)
			}
			return answer(queries)
		})
	}
	if err != nil {
		return err
	}
	if failed, total := counts(); failed > 0 && (queries != nil || !IsTerminal(in)) {
		return FailedError{failed, total}
	}
	return nil
}

// answer answers a batch of queries with one search and prints the
// answers.
func (r *Runner) answer(ctx context.Context, queries [][]string) error {
	ans, err := r.Answer(ctx, queries)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(r.Out)
	enc := json.NewEncoder(out)
	for _, a := range ans {
		r.total++
		if a.Problem != "" {
			r.failed++
			if r.JSON {
				enc.Encode(jsonFailure{Query: strings.Join(a.Words, " "), Error: a.Problem})
				continue
			}
			out.Flush()
			fmt.Fprintf(r.Err, "w2v: %s\n", a.Problem)
			continue
		}
		if r.JSON {
			enc.Encode(r.Result(a.Words, a.Title, a.Hits))
			continue
		}
		if r.total > 1 {
			out.WriteByte('\n')
		}
		title := a.Title
		if r.Graph != nil {
			title += " (approximate: graph index)"
		}
		WriteHits(out, title, r.V, a.Hits)
	}
	return out.Flush()
}

// search answers qs by the graph if there is one, else by the exact scan.
func (r *Runner) search(ctx context.Context, qs []search.Query) ([][]search.Hit, error) {
	if r.Graph == nil {
		return r.Searcher.Search(ctx, qs, r.Top)
	}
	return r.searchGraph(ctx, qs)
}

// FailedError is returned when some queries could not be answered; each
// was reported where it occurred.
type FailedError struct{ Failed, Total int }

func (e FailedError) Error() string {
	if e.Total == 1 {
		return "the query could not be answered"
	}
	return fmt.Sprintf("%d of %d queries could not be answered", e.Failed, e.Total)
}
