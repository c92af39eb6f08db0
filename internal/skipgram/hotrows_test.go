package skipgram

import (
	"fmt"
	"sync"
	"testing"
)

// interleave is a lock that runs another worker's step just before it is
// taken, the moment at which an exchange done outside the lock would lose
// that step's change.
type interleave struct {
	mu     sync.Mutex
	before func()
}

func (l *interleave) Lock() {
	if f := l.before; f != nil {
		l.before = nil
		f()
	}
	l.mu.Lock()
}

func (l *interleave) Unlock() { l.mu.Unlock() }

// addAll adds x to every value of the worker's copy, as training would.
func addAll(h *hotRows, x float32) {
	for i := range h.rows {
		h.rows[i] += x
	}
}

// checkAll reports the first value of the block in m that is not want.
func checkAll(t *testing.T, h *hotRows, m []float32, want float32, what string) {
	t.Helper()
	for i, v := range h.shared(m) {
		if v != want {
			t.Fatalf("%s: shared value %d is %v, want %v", what, i, v, want)
		}
	}
}

// TestHotRowsExchangeLosesNothing runs two workers' exchanges of the tree's
// top rows in the orders that matter and checks that the shared rows end
// with both workers' changes.
func TestHotRowsExchangeLosesNothing(t *testing.T) {
	const lo, n, dim = 3, 4, 5
	tests := []struct {
		name string
		// run makes a (+1) and b (+2) train and exchange in some order.
		run func(a, b *hotRows, l *interleave, m []float32)
	}{
		{"b pushes while a is about to push", func(a, b *hotRows, l *interleave, m []float32) {
			a.pull(m)
			b.pull(m)
			addAll(a, 1)
			addAll(b, 2)
			l.before = func() { b.push(m) }
			a.push(m)
		}},
		{"b pushes and pulls while a is about to pull", func(a, b *hotRows, l *interleave, m []float32) {
			a.pull(m)
			b.pull(m)
			addAll(a, 1)
			a.push(m)
			addAll(b, 2)
			l.before = func() { b.push(m); b.pull(m) }
			a.pull(m)
			if a.rows[0] != 3 || b.rows[0] != 3 {
				t.Errorf("after the exchange the workers see %v and %v, want 3", a.rows[0], b.rows[0])
			}
		}},
		{"a pushes twice between b's pull and push", func(a, b *hotRows, l *interleave, m []float32) {
			b.pull(m)
			a.pull(m)
			addAll(a, 0.5)
			a.push(m)
			a.pull(m)
			addAll(a, 0.5)
			addAll(b, 2)
			l.before = func() { a.push(m) }
			b.push(m)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := make([]float32, 10*dim)
			l := &interleave{}
			a, b := newHotRows(lo, n, dim, l), newHotRows(lo, n, dim, l)
			tt.run(a, b, l, m)
			checkAll(t, a, m, 3, "shared rows")
			for i, v := range m {
				if r := int32(i / dim); !a.has(r) && v != 0 {
					t.Fatalf("row %d outside the block changed to %v", r, v)
				}
			}
		})
	}
}

// TestHotRowsConcurrentExchanges has workers train their copies and push at
// the same moment, round after round, and checks after each round that no
// change was lost. With the lock the sums are exact (small integers in
// float32); without it, concurrent pushes overwrite each other.
func TestHotRowsConcurrentExchanges(t *testing.T) {
	const workers, rounds, n, dim = 4, 50, hotNodes, 100
	m := make([]float32, (n+1)*dim)
	var mu sync.Mutex
	hot := make([]*hotRows, workers)
	for i := range hot {
		hot[i] = newHotRows(1, n, dim, &mu)
	}
	var want float32
	for r := range rounds {
		for _, h := range hot {
			h.pull(m)
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, h := range hot {
			wg.Go(func() {
				addAll(h, float32(i+1))
				<-start
				h.push(m)
			})
		}
		close(start)
		wg.Wait()
		want += workers * (workers + 1) / 2
		checkAll(t, hot[0], m, want, fmt.Sprintf("round %d", r))
	}
}
