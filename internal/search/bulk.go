package search

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// QueryVector returns a zeroed vector of dim float32 that starts at a
// 64-byte boundary. simd.Dot peels elements until its first operand is
// aligned, so its sum's rounding depends on where that operand lies: a
// graph walk's scores, and so the answers of two processes or goroutines
// asking the same question, could differ in the last bit. Query vectors
// made here are always aligned alike.
func QueryVector(dim int) []float32 {
	const align = 64 / 4 // float32s per 64 bytes
	buf := make([]float32, dim+align)
	off := 0
	if r := uintptr(unsafe.Pointer(unsafe.SliceData(buf))) % 64; r != 0 {
		off = int(64-r) / 4
	}
	return buf[off : off+dim : off+dim]
}

// Bulk asks for the k nearest rows of many rows at once: the input of
// t-SNE maps, CSLS alignment, clustering and duplicate detection.
type Bulk struct {
	// Rows is how many rows, from the first, get their neighbours listed
	// (0: all the rows searched).
	Rows int
	// K is the number of neighbours of each row; the row itself is never
	// one of them.
	K int
	// Graph, if not nil, answers approximately instead of the exact scan,
	// with breadth Ef (0: its default). Its metric must be the Searcher's.
	Graph *Graph
	Ef    int
	// Done, if not nil, counts the rows answered, for a progress report.
	Done *atomic.Int64
}

// bulkChunk is how many rows are answered between calls of emit: enough
// for the scan to batch its queries (maxBatchQueries at a time over all
// threads), few enough that the answers waiting to be written stay small.
const bulkChunk = 8 * maxBatchQueries

// Neighbors finds the K nearest rows of each of the first b.Rows rows, by
// s's exact scan (s.Search, so the same blocked matrix products on all
// threads and the same answers as a query for each row alone) or by
// b.Graph, and hands them to emit in row order. It stops at emit's first
// error, or with ctx's error if ctx is cancelled.
func (s *Searcher) Neighbors(ctx context.Context, b Bulk, emit func(row int, hits []Hit) error) error {
	if b.K < 1 {
		return errors.New("search: k must be at least 1")
	}
	n := b.Rows
	if n <= 0 || n > s.n {
		n = s.n
	}
	if b.Graph != nil && b.Graph.Metric != s.Metric {
		return errors.New("search: the graph's metric is not the searcher's")
	}
	qs := make([]Query, 0, bulkChunk)
	self := make([]int, bulkChunk) // each query's one row, Pos and Skip alike
	for lo := 0; lo < n; lo += bulkChunk {
		hi := min(n, lo+bulkChunk)
		qs = qs[:0]
		for r := lo; r < hi; r++ {
			self[r-lo] = r
			one := self[r-lo : r-lo+1 : r-lo+1]
			qs = append(qs, Query{Pos: one, Skip: one})
		}
		var hits [][]Hit
		var err error
		if b.Graph == nil {
			hits, err = s.Search(ctx, qs, b.K)
		} else {
			hits, err = s.graphNeighbors(ctx, b, qs)
		}
		if err != nil {
			return err
		}
		for i, h := range hits {
			if err := emit(lo+i, h); err != nil {
				return err
			}
		}
		if b.Done != nil {
			b.Done.Add(int64(hi - lo))
		}
	}
	return nil
}

// graphNeighbors walks b.Graph for each query, the queries spread over the
// threads.
func (s *Searcher) graphNeighbors(ctx context.Context, b Bulk, qs []Query) ([][]Hit, error) {
	out := make([][]Hit, len(qs))
	errs := make([]error, len(qs))
	threads := s.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(threads, len(qs))) {
		wg.Go(func() {
			vec := QueryVector(s.dim)
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(qs) {
					return
				}
				out[i], errs[i] = b.Graph.Search(s.Vector(qs[i], vec), b.K, b.Ef, qs[i].Skip)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, errors.Join(errs...)
}
