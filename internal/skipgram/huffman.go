package skipgram

// huffman is the binary tree of hierarchical softmax: a word's probability
// is the product of binary decisions along its path from the root, one
// logistic unit per inner node. Frequent words get short paths, so a word
// costs on average fewer than log2(V) units.
//
// Paths are stored flat: word w's inner nodes are nodes[start[w]:start[w+1]]
// (root first, as rows of Model.OutHS) and labels[...] the decisions taken
// there, as the logistic target 1−code (word2vec's convention). Offsets
// into the flat arrays are int64: the paths of a vocabulary of about 80M
// words hold more than 2^31 nodes in all.
type huffman struct {
	start  []int64
	nodes  []int32
	labels []float32
}

// maxCodeLength bounds path lengths; a Huffman tree over counts that fit in
// int64 cannot be deeper than about 90, and real vocabularies stay near 40.
const maxCodeLength = 128

// newHuffman builds the tree for counts sorted in descending order (as
// vocabularies are), in linear time with word2vec's two-queue method: leaves
// are taken from the end of counts, new inner nodes are created in
// ascending order, so the two smallest are always at one of two cursors.
func newHuffman(counts []int64) *huffman {
	n := len(counts)
	h := &huffman{start: make([]int64, n+1)}
	if n < 2 {
		return h
	}
	// Node i < n is leaf i; node n+j is inner node j.
	count := make([]int64, 2*n-1)
	copy(count, counts)
	parent := make([]int32, 2*n-1)
	bit := make([]uint8, 2*n-1)
	leaf, inner := n-1, n // next unused leaf (moving down), next unmerged inner node
	pick := func(limit int) int {
		if leaf >= 0 && (inner >= limit || count[leaf] <= count[inner]) {
			leaf--
			return leaf + 1
		}
		inner++
		return inner - 1
	}
	for j := 0; j < n-1; j++ {
		a := pick(n + j)
		b := pick(n + j)
		count[n+j] = count[a] + count[b]
		parent[a], parent[b] = int32(n+j), int32(n+j)
		bit[b] = 1
	}
	root := int32(2*n - 2)
	path := make([]int32, 0, maxCodeLength)
	codes := make([]uint8, 0, maxCodeLength)
	for w := range n {
		path, codes = path[:0], codes[:0]
		for node := int32(w); node != root; node = parent[node] {
			codes = append(codes, bit[node])
			path = append(path, parent[node]-int32(n))
		}
		// Walked leaf to root; store root first.
		for i := len(path) - 1; i >= 0; i-- {
			h.nodes = append(h.nodes, path[i])
			h.labels = append(h.labels, float32(1-codes[i]))
		}
		h.start[w+1] = int64(len(h.nodes))
	}
	return h
}

// path returns the inner nodes and logistic targets on word w's path.
func (h *huffman) path(w int32) (nodes []int32, labels []float32) {
	s, e := h.start[w], h.start[w+1]
	return h.nodes[s:e], h.labels[s:e]
}
