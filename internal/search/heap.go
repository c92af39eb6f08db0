package search

import (
	"math"
	"slices"
)

// topK keeps the k best hits seen: a min-heap whose root is the worst kept.
type topK struct {
	k int
	h []Hit
}

// worse orders hits: lower score, then later row (so ties go to the more
// frequent word, whatever order blocks are scanned in).
func worse(a, b Hit) bool {
	return a.Score < b.Score || (a.Score == b.Score && a.Row > b.Row)
}

// threshold is the score a row must reach to be considered.
func (t *topK) threshold() float32 {
	if len(t.h) < t.k {
		return float32(math.Inf(-1))
	}
	return t.h[0].Score
}

// offer adds x if it is better than the worst hit kept.
func (t *topK) offer(x Hit) {
	h := t.h
	if len(h) < t.k {
		h = append(h, x)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !worse(h[i], h[p]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
		t.h = h
		return
	}
	if !worse(h[0], x) {
		return
	}
	h[0] = x
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && worse(h[l], h[m]) {
			m = l
		}
		if r < len(h) && worse(h[r], h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// feed offers the scores of rows base, base+1, …, except those in skip.
// NaN scores never pass the threshold test, so damaged vectors rank last
// instead of corrupting the heap.
func (t *topK) feed(scores []float32, base int, skip []int) {
	thr := t.threshold()
	for i, sc := range scores {
		if sc >= thr {
			row := base + i
			if slices.Contains(skip, row) {
				continue
			}
			t.offer(Hit{row, sc})
			thr = t.threshold()
		}
	}
}

// sorted returns the hits best first.
func (t *topK) sorted() []Hit {
	out := slices.Clone(t.h)
	slices.SortFunc(out, func(a, b Hit) int {
		switch {
		case worse(b, a):
			return -1
		case worse(a, b):
			return 1
		}
		return 0
	})
	return out
}
