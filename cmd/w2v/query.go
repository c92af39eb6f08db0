package main

// Helpers shared by the query commands: nearest, analogy, similarity.

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
	"sync/atomic"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// modelFlag adds the -m/--model flag every query command has. exprs says
// the command reads expressions such as "king - man + woman".
func modelFlag(cmd *cobra.Command, p *string, exprs bool) {
	cmd.Flags().VarP(&modelValue{p: p, exprs: exprs}, "model", "m", "vector file: word2vec text or binary, fastText .vec, gzipped, or w2v native (required)")
}

// modelValue is the -m flag's value. It may be set once: a second -m is a
// mistake, and usually not one the user wrote, because the flag parser reads
// "king -man + woman" as "king -m an + woman".
type modelValue struct {
	p     *string
	set   bool
	exprs bool
}

func (m *modelValue) String() string { return *m.p }
func (m *modelValue) Type() string   { return "string" }

func (m *modelValue) Set(s string) error {
	if m.set {
		if m.exprs {
			return fmt.Errorf(`the model is already %q, and "-m%s" reads as -m %s: to subtract a word write the minus on its own, "king - man + woman", or put -- before the query`, *m.p, s, s)
		}
		return fmt.Errorf("the model is already %q; give -m once", *m.p)
	}
	*m.p, m.set = s, true
	return nil
}

// loadModel opens the vector file path, with a progress report on stderr
// for files big enough to take a while.
func loadModel(s streams, path string) (*vecfile.Vectors, error) {
	if path == "" {
		return nil, usagef("no model given; name the vector file with -m FILE")
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("model %s does not exist", path)
		}
		return nil, err
	}
	var read atomic.Int64
	var v *vecfile.Vectors
	err = withProgress(s.err, progress.Options{Total: fi.Size(), Unit: "bytes", Desc: "load", Quiet: fi.Size() < 64<<20},
		func() (int64, string) { return read.Load(), "" },
		func() error {
			var err error
			v, err = vecfile.Open(path, vecfile.Options{Progress: func(n int64) { read.Store(n) }})
			return err
		})
	if err != nil {
		return nil, err
	}
	if v.Duplicates > 0 {
		fmt.Fprintf(s.err, "w2v: warning: %s repeats %s; the first vector of each is used\n", path, report.CountOf(v.Duplicates, "word", "words"))
	}
	return v, nil
}

// lexicon looks up query words in a model's vocabulary.
type lexicon struct {
	v *vecfile.Vectors
	// folded maps the hash of each lower-cased word to its first row, for
	// suggesting another case of an unknown word; it is built at the first
	// unknown word, so a batch of them costs one pass over the vocabulary.
	folded map[uint64]int32
	seed   maphash.Seed
}

func newLexicon(v *vecfile.Vectors) *lexicon { return &lexicon{v: v, seed: maphash.MakeSeed()} }

// lookup returns the rows of words, or a description of the first unknown
// one.
func (l *lexicon) lookup(words []string) ([]int, string) {
	rows := make([]int, len(words))
	for i, w := range words {
		r, ok := l.v.Index(w)
		if !ok {
			return nil, l.unknown(w)
		}
		rows[i] = r
	}
	return rows, ""
}

// unknown describes a word missing from the vocabulary, suggesting another
// case of it if the vocabulary has one.
func (l *lexicon) unknown(w string) string {
	msg := fmt.Sprintf("%q is not in the vocabulary", w)
	if l.folded == nil {
		l.folded = make(map[uint64]int32)
		for i := l.v.Len() - 1; i >= 0; i-- { // backwards, so the first row wins
			l.folded[maphash.String(l.seed, strings.ToLower(l.v.Word(i)))] = int32(i)
		}
	}
	if r, ok := l.folded[maphash.String(l.seed, strings.ToLower(w))]; ok {
		if c := l.v.Word(int(r)); strings.EqualFold(c, w) {
			msg += fmt.Sprintf(" (but %q is)", c)
		}
	}
	return msg
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// maxQueryLine bounds a query line read from standard input.
const maxQueryLine = 1 << 20

// readQueries reads query lines from s.in and hands them to answer in
// batches: as many lines as have already arrived (up to 256), so piped
// files are answered at matrix-product speed while a person at a terminal,
// or a program waiting for each answer, gets it at once. On a terminal a
// prompt is shown first.
func readQueries(s streams, hint string, answer func(lines []string) error) error {
	interactive := isTerminal(s.in)
	if interactive {
		fmt.Fprintln(s.err, hint)
	}
	br := bufio.NewReaderSize(s.in, 64<<10)
	var batch []string
	var long []byte
	for {
		if interactive && len(batch) == 0 {
			fmt.Fprint(s.err, "> ")
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
				fmt.Fprintln(s.err)
			}
			return nil
		}
	}
}

// writeHits prints one query's ranked answers under title as a table of
// rank, word and cosine, as nearest and analogy both show them.
func writeHits(w io.Writer, title string, v *vecfile.Vectors, hits []search.Hit) error {
	fmt.Fprintf(w, "%s:\n", title)
	t := report.Table{Right: []bool{true, false, true}}
	for r, x := range hits {
		t.Add(fmt.Sprint(r+1), v.Word(x.Row), fmt.Sprintf("%.4f", x.Score))
	}
	return t.Write(w, "  ")
}

// queryRunner answers the queries of nearest and analogy, from the command
// line or from standard input: it looks each one up, searches a batch at a
// time, prints a table or a JSON line per query, reports the queries it
// could not answer and turns them into the exit status.
type queryRunner struct {
	s        streams
	v        *vecfile.Vectors
	searcher *search.Searcher
	top      int
	json     bool
	// prepare reads one query's words: the search to run and the title of
	// its table, or a problem saying why it cannot be answered.
	prepare func(words []string) (q search.Query, title, problem string)
	// result is the JSON object of an answered query.
	result func(words []string, title string, hits []search.Hit) any

	failed, total int
}

// jsonFailure is the JSON object of a query that could not be answered.
type jsonFailure struct {
	Query string `json:"query"`
	Error string `json:"error"`
}

// run answers queries, or with none the lines of standard input.
func (r *queryRunner) run(ctx context.Context, queries [][]string, hint string) error {
	return answerAll(r.s, queries, hint, func(qs [][]string) error { return r.answer(ctx, qs) },
		func() (int, int) { return r.failed, r.total })
}

// answerAll hands queries to answer, or with none the lines of standard
// input in batches (showing hint first on a terminal), each line's words
// separated by spaces. Then it turns the queries that counts reports
// failed into the exit status, except at a terminal, where the person has
// seen each problem.
func answerAll(s streams, queries [][]string, hint string, answer func([][]string) error, counts func() (failed, total int)) error {
	var err error
	if queries != nil {
		err = answer(queries)
	} else {
		err = readQueries(s, hint, func(lines []string) error {
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
	if failed, total := counts(); failed > 0 && (queries != nil || !isTerminal(s.in)) {
		return failedQueries{failed, total}
	}
	return nil
}

// answer answers a batch of queries with one search.
func (r *queryRunner) answer(ctx context.Context, queries [][]string) error {
	qs := make([]search.Query, 0, len(queries))
	titles := make([]string, len(queries))
	problems := make([]string, len(queries))
	for i, words := range queries {
		q, title, problem := r.prepare(words)
		titles[i], problems[i] = title, problem
		if problem == "" {
			qs = append(qs, q)
		}
	}
	hits, err := r.searcher.Search(ctx, qs, r.top)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(r.s.out)
	enc := json.NewEncoder(out)
	for i, words := range queries {
		r.total++
		if problems[i] != "" {
			r.failed++
			if r.json {
				enc.Encode(jsonFailure{Query: strings.Join(words, " "), Error: problems[i]})
				continue
			}
			out.Flush()
			fmt.Fprintf(r.s.err, "w2v: %s\n", problems[i])
			continue
		}
		h := hits[0]
		hits = hits[1:]
		if r.json {
			enc.Encode(r.result(words, titles[i], h))
			continue
		}
		if r.total > 1 {
			out.WriteByte('\n')
		}
		writeHits(out, titles[i], r.v, h)
	}
	return out.Flush()
}

// failedQueries is returned when some queries could not be answered; each
// was reported where it occurred.
type failedQueries struct{ failed, total int }

func (e failedQueries) Error() string {
	if e.total == 1 {
		return "the query could not be answered"
	}
	return fmt.Sprintf("%d of %d queries could not be answered", e.failed, e.total)
}
