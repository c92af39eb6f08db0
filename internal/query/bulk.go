package query

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"

	"github.com/w2vtool/w2v/internal/export"
	"github.com/w2vtool/w2v/internal/search"
)

// NeighborsHeader is the first line of the table WriteNeighbors writes.
const NeighborsHeader = "word\trank\tneighbor\tscore"

// WriteNeighbors writes the o.Top nearest words of each word of m, or
// with o.Restrict of each of the o.Restrict most frequent words among
// themselves, to w: by the index when the model has one and o allows
// (approximate is then true), else by the exact scan. The table has a
// header line (NeighborsHeader) and a line "word, rank, neighbour, score"
// per neighbour, tab-separated, words in file order and neighbours best
// first; scores are written in full float32 precision, and tabs and
// newlines in words as \t and \n. With jsonLines it writes instead one
// NearestResult per word, as nearest --json does. done counts the words
// answered.
func (m *Model) WriteNeighbors(ctx context.Context, w io.Writer, o Options, jsonLines bool, done *atomic.Int64) (approximate bool, err error) {
	o.Method = search.Add
	s, g, _, err := m.searcher(o)
	if err != nil {
		return false, err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	if !jsonLines {
		bw.WriteString(NeighborsHeader + "\n")
	}
	var line []byte
	err = s.Neighbors(ctx, search.Bulk{K: o.Top, Graph: g, Ef: o.Ef, Done: done}, func(row int, hits []search.Hit) error {
		word := m.V.Word(row)
		if jsonLines {
			res := NearestResult{Query: word, Approximate: g != nil, Neighbors: make([]Neighbor, len(hits))}
			if s.Metric != search.Cosine {
				res.Metric = s.Metric.String()
			}
			for i, h := range hits {
				res.Neighbors[i] = NewNeighbor(m.V.Word(h.Row), h.Score, s.Metric)
			}
			return enc.Encode(res)
		}
		word = export.Escape(word)
		for i, h := range hits {
			line = append(line[:0], word...)
			line = append(line, '\t')
			line = strconv.AppendInt(line, int64(i+1), 10)
			line = append(line, '\t')
			line = append(line, export.Escape(m.V.Word(h.Row))...)
			line = append(line, '\t')
			line = strconv.AppendFloat(line, float64(h.Score), 'g', -1, 32)
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return g != nil, bw.Flush()
}

// WriteNeighborsProgress runs WriteNeighbors with a progress report on
// errw (none if quiet) and returns a summary line for people: how many
// words, whether exact, how long.
func (m *Model) WriteNeighborsProgress(ctx context.Context, w, errw io.Writer, o Options, jsonLines, quiet bool) (summary string, err error) {
	start := time.Now()
	n := m.V.Len()
	if o.Restrict > 0 && o.Restrict < n {
		n = o.Restrict
	}
	var done atomic.Int64
	var approx bool
	err = progress.Run(errw, progress.Options{Total: int64(n), Unit: "words", Desc: "nearest --all", Quiet: quiet},
		func() (int64, string) { return done.Load(), "" },
		func() error {
			var err error
			approx, err = m.WriteNeighbors(ctx, w, o, jsonLines, &done)
			return err
		})
	how := "exact"
	if approx {
		how = "approximate: graph index"
	}
	return fmt.Sprintf("the %d nearest of %s (%s) in %s", o.Top, report.CountOf(n, "word", "words"), how, report.Since(start)), err
}
