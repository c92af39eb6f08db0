package explore

import (
	"context"
	"errors"
	"math"
	"slices"
	"sort"
	"testing"
)

// trustworthiness is Venna and Kaski's measure of how far the k nearest
// neighbours of each point on the map (y, 2-D) are its neighbours in the
// input (unit rows of width dim): 1 when they all are, lower as the map
// brings in points that ranked far in the input.
func trustworthiness(vecs []float32, dim int, y []float64, k int) float64 {
	n := len(y) / 2
	var penalty float64
	rank := make([]int, n)
	order := make([]int, n)
	dist := make([]float64, n)
	for i := range n {
		for j := range n {
			var dot float64
			for d := range dim {
				dot += float64(vecs[i*dim+d]) * float64(vecs[j*dim+d])
			}
			dist[j] = -dot
			order[j] = j
		}
		dist[i] = math.Inf(-1)
		sort.SliceStable(order, func(a, b int) bool { return dist[order[a]] < dist[order[b]] })
		for r, j := range order {
			rank[j] = r // 0 for i itself
		}
		for j := range n {
			dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
			dist[j] = dx*dx + dy*dy
			order[j] = j
		}
		dist[i] = math.Inf(-1)
		sort.SliceStable(order, func(a, b int) bool { return dist[order[a]] < dist[order[b]] })
		for _, j := range order[1 : k+1] {
			penalty += float64(max(0, rank[j]-k))
		}
	}
	return 1 - 2/(float64(n*k)*(2*float64(n)-3*float64(k)-1))*penalty
}

// separation returns the share of points whose nearest point on the map
// was drawn around the same centre.
func separation(y []float64, truth []int) float64 {
	n := len(truth)
	good := 0
	for i := range n {
		best, bestD := -1, math.Inf(1)
		for j := range n {
			dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
			if d := dx*dx + dy*dy; j != i && d < bestD {
				best, bestD = j, d
			}
		}
		if truth[best] == truth[i] {
			good++
		}
	}
	return float64(good) / float64(n)
}

func TestTSNEKeepsClustersApart(t *testing.T) {
	vecs, truth := blobs(400, 20, 6, 0.5, 3)
	tests := []struct {
		name    string
		tweak   func(*tsne)
		broken  bool
		minT    float64
		minSep  float64
		threads int
	}{
		{name: "correct", minT: 0.95, minSep: 0.97, threads: 2},
		{name: "repulsion of the wrong sign", tweak: func(s *tsne) { s.repulse = -1 }, broken: true},
		{name: "no repulsion", tweak: func(s *tsne) { s.repulse = 0 }, broken: true},
	}
	pca, err := PCA(vecs, 20, 2)
	if err != nil {
		t.Fatal(err)
	}
	tPCA, sepPCA := trustworthiness(vecs, 20, pca.Coords, 10), separation(pca.Coords, truth)
	t.Logf("PCA: trustworthiness %.4f, separation %.4f", tPCA, sepPCA)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, err := tsneWith(context.Background(), vecs, 20, TSNEOptions{Perplexity: 20, Iterations: 500, Threads: tt.threads}, tt.tweak)
			if err != nil {
				t.Fatal(err)
			}
			tw, sep := trustworthiness(vecs, 20, y, 10), separation(y, truth)
			for _, x := range y {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					tw, sep = 0, 0
				}
			}
			t.Logf("trustworthiness %.4f, separation %.4f", tw, sep)
			if tt.broken {
				// The broken gradients must score clearly below the correct one.
				if tw >= 0.95 && sep >= 0.97 {
					t.Errorf("a broken gradient passes: trustworthiness %.4f, separation %.4f", tw, sep)
				}
				return
			}
			if tw < tt.minT || sep < tt.minSep {
				t.Errorf("trustworthiness %.4f (want ≥ %.2f), separation %.4f (want ≥ %.2f)", tw, tt.minT, sep, tt.minSep)
			}
			if tw <= tPCA {
				t.Errorf("t-SNE's trustworthiness %.4f is no better than PCA's %.4f", tw, tPCA)
			}
		})
	}
}

func TestTSNEDeterministic(t *testing.T) {
	vecs, _ := blobs(300, 10, 4, 0.4, 5)
	var maps [][]float64
	for _, threads := range []int{1, 2, 3} {
		y, err := TSNE(context.Background(), vecs, 10, TSNEOptions{Perplexity: 10, Iterations: 300, Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		maps = append(maps, y)
	}
	for i := 1; i < len(maps); i++ {
		if !slices.Equal(maps[0], maps[i]) {
			t.Errorf("map with %d threads differs from the map with 1", i+1)
		}
	}
}

func TestTSNEKLFalls(t *testing.T) {
	vecs, _ := blobs(300, 10, 4, 0.4, 7)
	var kls []float64
	_, err := TSNE(context.Background(), vecs, 10, TSNEOptions{Perplexity: 10, Iterations: 600,
		Progress: func(s TSNEStatus) {
			if s.Iter > exaggerationIters {
				kls = append(kls, s.KL)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(kls) < 2 || !(kls[len(kls)-1] < kls[0]) || kls[len(kls)-1] > 2 {
		t.Errorf("KL divergence after the exaggeration: %v; want it falling, below 2", kls)
	}
}

func TestTSNEBadInput(t *testing.T) {
	vecs, _ := blobs(30, 4, 2, 0.4, 1)
	ctx := context.Background()
	tests := []struct {
		name string
		vecs []float32
		dim  int
		o    TSNEOptions
		is   error
	}{
		{"perplexity too large for the rows", vecs, 4, TSNEOptions{Perplexity: 10}, ErrPerplexity},
		{"perplexity below 1", vecs, 4, TSNEOptions{Perplexity: 0.5}, ErrPerplexity},
		{"perplexity NaN", vecs, 4, TSNEOptions{Perplexity: math.NaN()}, ErrPerplexity},
		{"ragged matrix", vecs[:len(vecs)-1], 4, TSNEOptions{Perplexity: 3}, nil},
		{"negative iterations", vecs, 4, TSNEOptions{Perplexity: 3, Iterations: -1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TSNE(ctx, tt.vecs, tt.dim, tt.o)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := TSNE(cancelled, vecs, 4, TSNEOptions{Perplexity: 3}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}
