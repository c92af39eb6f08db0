package explore

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// blobs returns n unit rows of width dim scattered around k random centres,
// and the centre each row was drawn around.
func blobs(n, dim, k int, spread float64, seed uint64) ([]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float64, k)
	for j := range centres {
		centres[j] = make([]float64, dim)
		for d := range centres[j] {
			centres[j][d] = rng.NormFloat64()
		}
	}
	vecs := make([]float32, 0, n*dim)
	truth := make([]int, n)
	x := make([]float64, dim)
	for i := range n {
		truth[i] = rng.IntN(k)
		var s float64
		for d := range x {
			x[d] = centres[truth[i]][d] + spread*rng.NormFloat64()
			s += x[d] * x[d]
		}
		for d := range x {
			vecs = append(vecs, float32(x[d]/math.Sqrt(s)))
		}
	}
	return vecs, truth
}

// objective recomputes Σ (1 − cosine of a row with its class's centroid).
func objective(vecs []float32, dim int, c *Clustering) float64 {
	var obj float64
	for i, cl := range c.Class {
		var dot float64
		for d := range dim {
			dot += float64(vecs[i*dim+d]) * float64(c.Centroids[int(cl)*dim+d])
		}
		obj += 1 - dot
	}
	return obj
}

func TestKMeansObjectiveNeverIncreases(t *testing.T) {
	tests := []struct {
		name           string
		n, dim, k, gen int
		spread         float64
	}{
		{"separate blobs", 3000, 16, 12, 12, 0.3},
		{"overlapping blobs", 3000, 16, 12, 12, 1.5},
		{"more classes than blobs", 2000, 8, 40, 5, 0.8},
		{"one class", 500, 4, 1, 3, 1},
		{"as many classes as rows", 50, 4, 50, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vecs, _ := blobs(tt.n, tt.dim, tt.gen, tt.spread, 7)
			var objs []float64
			c, err := KMeans(context.Background(), vecs, tt.dim, KMeansOptions{K: tt.k, Seed: 3, MaxIter: 100, Tol: 1e-12,
				Progress: func(s Status) {
					if s.Iter > 0 {
						objs = append(objs, s.Objective)
					}
				}})
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != c.Iter || objs[len(objs)-1] != c.Objective {
				t.Fatalf("progress reported objectives %v, result %d iterations, objective %g", objs, c.Iter, c.Objective)
			}
			for i := 1; i < len(objs); i++ {
				// float32 dot products: allow rounding, far below any real step.
				if objs[i] > objs[i-1]+1e-5*float64(tt.n)*1e-3 {
					t.Errorf("objective rose at iteration %d: %v", i+1, objs)
				}
			}
			// The reported objective is that of the final classes and centroids.
			if got := objective(vecs, tt.dim, c); math.Abs(got-c.Objective) > 1e-3 {
				t.Errorf("objective recomputed %g, reported %g", got, c.Objective)
			}
			checkClustering(t, c, tt.n, tt.dim, tt.k)
		})
	}
}

// checkClustering checks the invariants of a result: classes in range and
// numbered in order of their first row, unit-length centroids.
func checkClustering(t *testing.T, c *Clustering, n, dim, k int) {
	t.Helper()
	if len(c.Class) != n || len(c.Centroids) != k*dim {
		t.Fatalf("%d classes for %d rows, %d centroid values for %d×%d", len(c.Class), n, len(c.Centroids), k, dim)
	}
	next := int32(0)
	for i, cl := range c.Class {
		if cl < 0 || int(cl) >= k || cl > next {
			t.Fatalf("row %d has class %d; next new class should be %d", i, cl, next)
		}
		if cl == next {
			next++
		}
	}
	for j := range k {
		var s float64
		for _, x := range c.Centroids[j*dim : (j+1)*dim] {
			s += float64(x) * float64(x)
		}
		if math.Abs(s-1) > 1e-4 {
			t.Errorf("centroid %d has squared length %g", j, s)
		}
	}
}

func TestKMeansFindsBlobs(t *testing.T) {
	vecs, truth := blobs(2000, 16, 8, 0.2, 11)
	c, err := KMeans(context.Background(), vecs, 16, KMeansOptions{K: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Well-separated blobs: each must be exactly one class.
	classOf := map[int]int32{}
	for i, b := range truth {
		if cl, ok := classOf[b]; ok && cl != c.Class[i] {
			t.Fatalf("blob %d split between classes %d and %d", b, cl, c.Class[i])
		}
		classOf[b] = c.Class[i]
	}
	if len(classOf) != 8 || !c.Converged {
		t.Errorf("%d classes for 8 blobs, converged %v", len(classOf), c.Converged)
	}
}

func TestKMeansDeterministic(t *testing.T) {
	vecs, _ := blobs(3000, 16, 20, 1, 5)
	var first *Clustering
	for _, threads := range []int{1, 2, 3, 8} {
		c, err := KMeans(context.Background(), vecs, 16, KMeansOptions{K: 25, Seed: 9, Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = c
			continue
		}
		if !slices.Equal(c.Class, first.Class) || !slices.Equal(c.Centroids, first.Centroids) || c.Objective != first.Objective {
			t.Errorf("threads %d: result differs from threads 1", threads)
		}
	}
}

func TestKMeansRepeatedRows(t *testing.T) {
	// Ten rows, two distinct: four classes cannot all have rows.
	vecs := []float32{}
	for i := range 10 {
		if i%2 == 0 {
			vecs = append(vecs, 1, 0)
		} else {
			vecs = append(vecs, 0, 1)
		}
	}
	c, err := KMeans(context.Background(), vecs, 2, KMeansOptions{K: 4})
	if err != nil {
		t.Fatal(err)
	}
	if c.Objective > 1e-6 || c.Class[0] != 0 || c.Class[1] != 1 || c.Class[2] != 0 || c.Class[3] != 1 {
		t.Errorf("classes %v, objective %g; want alternating 0 1 and 0", c.Class, c.Objective)
	}
}

func TestKMeansErrors(t *testing.T) {
	vecs, _ := blobs(10, 4, 2, 1, 1)
	tests := []struct {
		name string
		vecs []float32
		dim  int
		k    int
		want error
		msg  string
	}{
		{"k zero", vecs, 4, 0, ErrBadK, "0 classes asked of 10 rows"},
		{"k negative", vecs, 4, -3, ErrBadK, "-3 classes"},
		{"k above rows", vecs, 4, 11, ErrBadK, "11 classes asked of 10 rows (1 to 10 possible)"},
		{"no rows", nil, 4, 1, ErrBadK, "of 0 rows"},
		{"ragged", vecs[:39], 4, 2, nil, "not made of rows of 4"},
		{"zero width", vecs, 0, 2, nil, "not made of rows of 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := KMeans(context.Background(), tt.vecs, tt.dim, KMeansOptions{K: tt.k})
			if err == nil || !strings.Contains(err.Error(), tt.msg) || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %q (%v)", err, tt.msg, tt.want)
			}
		})
	}
}

func TestKMeansCancel(t *testing.T) {
	vecs, _ := blobs(5000, 16, 10, 1, 2)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := KMeans(ctx, vecs, 16, KMeansOptions{K: 50, Progress: func(s Status) {
		if s.Seeded == 10 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestKMeansSeedsDistinctRows(t *testing.T) {
	// Three distinct rows, each repeated: k-means++ draws rows in
	// proportion to their squared distance from the centroids chosen, so a
	// copy of a chosen row (distance 0) is never drawn and the start alone
	// must already fit every row.
	distinct := [][]float32{{1, 0, 0}, {0.6, 0.8, 0}, {0, 0.6, 0.8}}
	var vecs []float32
	for i := range 300 {
		vecs = append(vecs, distinct[(i*7)%3]...)
	}
	for seed := range uint64(20) {
		var first float64 = -1
		c, err := KMeans(context.Background(), vecs, 3, KMeansOptions{K: 3, Seed: seed, Progress: func(s Status) {
			if s.Iter == 1 {
				first = s.Objective
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		if first > 1e-5 || c.Objective > 1e-5 {
			t.Errorf("seed %d: objective %g after the start, %g at the end; want 0", seed, first, c.Objective)
		}
	}
}
