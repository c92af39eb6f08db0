package query

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// TestIndexRoundTrip: a graph built, written with its model and read back
// answers as the graph built.
func TestIndexRoundTrip(t *testing.T) {
	const n, dim = 300, 6
	v := randomModel(t, 1, n, dim, func(i int) float64 { return float64(1 + i%5) })
	if g, err := OpenIndex(v); g != nil || err != nil {
		t.Fatalf("OpenIndex of a text model = %v, %v; want nil, nil", g, err)
	}
	for _, metric := range []search.Metric{search.Cosine, search.Dot, search.Euclidean} {
		fg, cal, err := BuildIndex(context.Background(), v, search.GraphOptions{Metric: metric, Seed: 1, Threads: 1, M: 4})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := vecfile.WriteNativeGraph(&buf, v, fg); err != nil {
			t.Fatal(err)
		}
		back, err := vecfile.Read(&buf, "m.w2v", vecfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		g, err := OpenIndex(back)
		if err != nil || g == nil {
			t.Fatalf("%v: OpenIndex = %v, %v", metric, g, err)
		}
		if g.Metric != metric {
			t.Errorf("metric %v read back as %v", metric, g.Metric)
		}
		if cal.Rows != n || cal.Ef < 1 || g.SearchEf() != cal.Ef {
			t.Errorf("%v: calibrated %+v, read back with search breadth %d", metric, cal, g.SearchEf())
		}
		s := search.New(back.Matrix(), back.Dim(), 0)
		s.Metric, s.Norms = metric, Norms(back)
		for _, r := range []int{0, 7, 123} {
			q := s.Vector(search.Query{Pos: []int{r}}, make([]float32, dim))
			hits, err := g.Search(q, 3, 0, []int{r})
			if err != nil {
				t.Fatal(err)
			}
			exact, err := s.Search(context.Background(), []search.Query{{Pos: []int{r}, Skip: []int{r}}}, 3)
			if err != nil {
				t.Fatal(err)
			}
			for j := range hits {
				if hits[j].Row != exact[0][j].Row {
					t.Errorf("%v, row %d: graph %v, exact %v", metric, r, hits, exact[0])
					break
				}
			}
		}
	}
}

// randomModel returns a word2vec text model of n words w0, w1, … whose
// vectors have normal coordinates from seed, row i's scaled by scale(i)
// (lengths that differ matter to the dot and Euclidean metrics).
func randomModel(t *testing.T, seed uint64, n, dim int, scale func(i int) float64) *vecfile.Vectors {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	var text strings.Builder
	fmt.Fprintf(&text, "%d %d\n", n, dim)
	for i := range n {
		fmt.Fprintf(&text, "w%d", i)
		for range dim {
			fmt.Fprintf(&text, " %.3f", rng.NormFloat64()*scale(i))
		}
		text.WriteByte('\n')
	}
	v, err := vecfile.Read(strings.NewReader(text.String()), "m.txt", vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}
