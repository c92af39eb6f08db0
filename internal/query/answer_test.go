package query

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/w2vtool/w2v/internal/search"
)

// TestModelConcurrent: Runners of one Model answer from many goroutines at
// once (unknown words included, which build the Lexicon's case index) as
// they answer one at a time; the race detector checks the sharing.
func TestModelConcurrent(t *testing.T) {
	v := randomModel(t, 5, 200, 8, func(int) float64 { return 1 })
	queries := [][]string{{"w1"}, {"W2"}, {"w3", "w4", "w5"}, {"w6", "-", "w7"}, {"nope"}}
	ask := func(m *Model) [][]Answer {
		var all [][]Answer
		for _, o := range []Options{{Top: 3}, {Top: 3, Method: search.Mul}, {Top: 2, Metric: "dot"}} {
			for _, mk := range []func(Options) (*Runner, error){m.Nearest, m.Analogy} {
				r, err := mk(o)
				if err != nil {
					t.Error(err)
					return nil
				}
				a, err := r.Answer(context.Background(), queries)
				if err != nil {
					t.Error(err)
				}
				all = append(all, a)
			}
		}
		return all
	}
	newModel := func() *Model {
		m, err := NewModel(v)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	want := ask(newModel())
	shared := newModel() // its first unknown word is met by all at once
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := ask(shared); !reflect.DeepEqual(got, want) {
				t.Errorf("concurrent answers differ:\n%v\nwant\n%v", got, want)
			}
		})
	}
	wg.Wait()
	if p := want[0][1].Problem; p != `"W2" is not in the vocabulary (but "w2" is)` {
		t.Errorf("problem %q", p)
	}
}
