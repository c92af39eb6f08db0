package skipgram

import (
	"strings"
	"testing"
)

func TestHuffmanCodeLengths(t *testing.T) {
	// The textbook example (CLRS 16.3): frequencies 45 16 13 12 9 5 give
	// code lengths 1 3 3 3 4 4.
	h := newHuffman([]int64{45, 16, 13, 12, 9, 5})
	want := []int{1, 3, 3, 3, 4, 4}
	for w, n := range want {
		nodes, labels := h.path(int32(w))
		if len(nodes) != n || len(labels) != n {
			t.Errorf("word %d: path length %d, want %d", w, len(nodes), n)
		}
		if len(nodes) > 0 && nodes[0] != 4 {
			t.Errorf("word %d: path starts at node %d, want the root 4", w, nodes[0])
		}
	}
	// Paths are prefix-free: no two words share a full path of decisions.
	seen := map[string]int{}
	for w := range want {
		nodes, labels := h.path(int32(w))
		var key strings.Builder
		for i := range nodes {
			key.WriteString(string(rune('0'+nodes[i])) + string(rune('0'+int32(labels[i]))))
		}
		if other, dup := seen[key.String()]; dup {
			t.Errorf("words %d and %d have the same path", other, w)
		}
		seen[key.String()] = w
	}
}
