//go:build unix

// Command annquery times w2v's searches in-process for bench/ann.py: graph
// queries at several search breadths on one thread, and the exact batch
// search, over an indexed native model and a file of query vectors. It is a
// bench helper, not part of the w2v command.
//
// Usage:
//
//	annquery -model BASE.w2v -queries Q.f32 -ef 10,20,40 -out DIR [-exact]
//
// Q.f32 holds the query vectors (unit length, the model's dimension) as
// little-endian float32, one after another. For each ef the found rows go
// to DIR/w2v-ef<EF>.i32 (k int32 per query) and a JSON line with the
// timing (wall and CPU seconds) to standard output; -exact adds DIR/w2v-exact.i32 and a line for
// the batch exact search on all CPUs and on one.
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "annquery:", err)
		os.Exit(1)
	}
}

func run() error {
	model := flag.String("model", "", "indexed native model")
	qpath := flag.String("queries", "", "query vectors, float32 little-endian")
	efs := flag.String("ef", "10,20,40,80,160", "search breadths, comma-separated")
	k := flag.Int("k", 10, "neighbours per query")
	out := flag.String("out", ".", "directory for the found rows")
	exact := flag.Bool("exact", false, "also time the exact batch search")
	flag.Parse()

	v, err := vecfile.Open(*model, vecfile.Options{})
	if err != nil {
		return err
	}
	g, err := query.OpenIndex(v)
	if err != nil {
		return err
	}
	if g == nil {
		return fmt.Errorf("%s has no index", *model)
	}
	b, err := os.ReadFile(*qpath)
	if err != nil {
		return err
	}
	dim := v.Dim()
	if len(b)%(4*dim) != 0 {
		return fmt.Errorf("%s: %d bytes are not rows of %d float32", *qpath, len(b), dim)
	}
	qs := make([]float32, len(b)/4)
	for i := range qs {
		qs[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	nq := len(qs) / dim
	enc := json.NewEncoder(os.Stdout)
	links := len(g.Links0) + len(g.Upper)
	if err := enc.Encode(map[string]any{"rows": v.Len(), "dim": dim, "index_bytes": 4*links + len(g.Levels)}); err != nil {
		return err
	}
	for s := range strings.SplitSeq(*efs, ",") {
		ef, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("-ef: %w", err)
		}
		found := make([]int32, nq**k)
		for i := range found {
			found[i] = -1
		}
		start, cpu := time.Now(), cpuTime()
		for i := range nq {
			hits, err := g.Search(qs[i*dim:(i+1)*dim], *k, ef, nil)
			if err != nil {
				return err
			}
			for j, h := range hits {
				found[i**k+j] = int32(h.Row)
			}
		}
		sec, csec := time.Since(start).Seconds(), cpuTime()-cpu
		if err := write(filepath.Join(*out, "w2v-ef"+s+".i32"), found); err != nil {
			return err
		}
		if err := enc.Encode(map[string]any{"ef": ef, "seconds": sec, "qps": float64(nq) / sec, "cpu_qps": float64(nq) / csec}); err != nil {
			return err
		}
	}
	if !*exact {
		return nil
	}
	// The exact search takes its queries as rows of the matrix: put them
	// after the model's rows and search only those.
	n := v.Len()
	all := append(append(make([]float32, 0, len(v.Matrix())+len(qs)), v.Matrix()...), qs...)
	batch := make([]search.Query, nq)
	for i := range batch {
		batch[i] = search.Query{Pos: []int{n + i}}
	}
	for _, threads := range []int{0, 1} {
		s := search.New(all, dim, n)
		s.Threads = threads
		start, cpu := time.Now(), cpuTime()
		res, err := s.Search(context.Background(), batch, *k)
		if err != nil {
			return err
		}
		sec, csec := time.Since(start).Seconds(), cpuTime()-cpu
		if threads == 0 {
			found := make([]int32, nq**k)
			for i, hs := range res {
				for j, h := range hs {
					found[i**k+j] = int32(h.Row)
				}
			}
			if err := write(filepath.Join(*out, "w2v-exact.i32"), found); err != nil {
				return err
			}
		}
		if err := enc.Encode(map[string]any{"exact_threads": threads, "seconds": sec, "qps": float64(nq) / sec, "cpu_qps": float64(nq) / csec}); err != nil {
			return err
		}
	}
	return nil
}

func write(path string, xs []int32) error {
	b := make([]byte, 4*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return os.WriteFile(path, b, 0o644)
}

// cpuTime is the CPU seconds the process has used: on a shared machine it
// is a steadier measure of a single-thread loop than the wall clock.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
