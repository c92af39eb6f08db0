package search

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"unsafe"
)

// TestNeighborsMatchSingleQueries: each row's neighbours listed in bulk are
// the answer to a query for that row alone (the row itself excluded), in
// row order, for every metric, over the first Rows rows, with a restricted
// searcher too; Done counts the rows.
func TestNeighborsMatchSingleQueries(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, dim, k = 5000, 16, 7
	vecs := unitMatrix(rng, n, dim)
	norms := make([]float32, n)
	for i := range norms {
		norms[i] = float32(0.5 + rng.Float64()*3)
	}
	for _, tc := range []struct {
		name     string
		metric   Metric
		restrict int
		rows     int
		want     int // rows listed
	}{
		{"cosine all", Cosine, 0, 0, n},
		{"cosine first 4500 of 4900", Cosine, 4900, 4500, 4500},
		{"dot", Dot, 0, 1300, 1300},
		{"euclidean", Euclidean, 0, 1300, 1300},
		{"rows beyond restrict", Cosine, 100, 5000, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(vecs, dim, tc.restrict)
			s.Metric, s.Norms = tc.metric, norms
			var done atomic.Int64
			next := 0
			err := s.Neighbors(context.Background(), Bulk{Rows: tc.rows, K: k, Done: &done}, func(row int, hits []Hit) error {
				if row != next {
					t.Fatalf("row %d emitted, want %d", row, next)
				}
				next++
				want, err := s.Search(context.Background(), []Query{{Pos: []int{row}, Skip: []int{row}}}, k)
				if err != nil {
					t.Fatal(err)
				}
				if len(hits) != k {
					t.Fatalf("row %d: %d neighbours, want %d", row, len(hits), k)
				}
				for j := range hits {
					if hits[j].Row == row || hits[j].Row != want[0][j].Row ||
						hits[j].Score != want[0][j].Score {
						t.Fatalf("row %d: bulk %v, single query %v", row, hits, want[0])
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if next != tc.want || done.Load() != int64(tc.want) {
				t.Errorf("%d rows emitted, %d counted; want %d", next, done.Load(), tc.want)
			}
		})
	}
}

func TestNeighborsErrors(t *testing.T) {
	s := New(unitMatrix(rand.New(rand.NewPCG(1, 2)), 50, 4), 4, 0)
	stop := errors.New("stop")
	calls := 0
	err := s.Neighbors(context.Background(), Bulk{K: 3}, func(int, []Hit) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("emit's error: Neighbors = %v after %d calls, want stop after 1", err, calls)
	}
	if err := s.Neighbors(context.Background(), Bulk{K: 0}, nil); err == nil {
		t.Error("k 0 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Neighbors(ctx, Bulk{K: 3}, func(int, []Hit) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestQueryVectorAligned(t *testing.T) {
	for dim := range 70 {
		v := QueryVector(dim)
		if len(v) != dim || cap(v) != dim {
			t.Fatalf("QueryVector(%d): len %d cap %d", dim, len(v), cap(v))
		}
		if dim > 0 && uintptr(unsafe.Pointer(&v[0]))%64 != 0 {
			t.Errorf("QueryVector(%d) at %p, not 64-byte aligned", dim, &v[0])
		}
	}
}
