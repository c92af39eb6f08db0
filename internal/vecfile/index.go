package vecfile

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"unsafe"
)

// Graph is a nearest-neighbour graph stored in a native file after the
// vectors (see internal/search's Graph, which searches it): the rows' layers
// and their link lists, flat. Node i's layer-0 list is
// Links0[i*(2M+1):], a count followed by 2M slots; its list on layer l ≥ 1
// is a block of M+1 int32 in Upper, the blocks of the nodes with Levels > 0
// following each other in row order, layer 1 first.
//
// The index section is
//
//	magic    8 bytes, "w2vgraph"
//	params   little-endian uint32 metric (0 cosine, 1 dot, 2 Euclidean),
//	         uint32 M, float32 MaxNorm, int32 Entry, uint64 len(Upper)
//	ef       in files of version 2 only: uint32 Ef (1 to 65,536), uint32 0
//	levels   n bytes, zero-padded to a multiple of 4
//	links0   n×(2M+1) int32
//	upper    len(Upper) int32
//
// and the header's reserved words 12 and 13 hold its offset and length (0
// when there is none), so a reader that ignores them still reads the
// vectors. A file whose index has a calibrated Ef is version 2, so that a
// reader from before the ef field refuses it by its version instead of
// misreading the section; all other files stay version 1, which such
// readers still read, and an index of version 1 has Ef 0.
type Graph struct {
	Metric  uint32
	M       int
	MaxNorm float32 // the dot metric's largest row length
	Entry   int32
	Levels  []uint8
	Links0  []int32
	Upper   []int32
	// Ef is the search breadth calibrated when the index was built
	// (internal/search's CalibrateEf); 0 in indexes from before
	// calibration.
	Ef int
}

// Graph limits: the metrics defined, the links per node and the layers a
// file may claim.
const (
	graphMetrics  = 3
	maxGraphM     = 1024
	maxGraphLevel = 40
	graphMagic    = "w2vgraph"
	graphHeadSize = 32 // version 1
	graphEfSize   = 8  // the ef field of version 2
	maxGraphEf    = 1 << 16
)

// graphHead is the size of an index section's head in a file of version.
func graphHead(version uint64) uint64 {
	if version >= nativeVersionEf {
		return graphHeadSize + graphEfSize
	}
	return graphHeadSize
}

// graphVersion is the version of a native file holding index g (nil: none).
func graphVersion(g *Graph) uint64 {
	if g != nil && g.Ef > 0 {
		return nativeVersionEf
	}
	return nativeVersion
}

// Graph returns the graph stored with the vectors, or nil.
func (v *Vectors) Graph() *Graph { return v.graph }

// WriteNativeGraph writes v in the native format, as WriteNative does,
// followed by the graph g over its rows.
func WriteNativeGraph(w io.Writer, v *Vectors, g *Graph) error {
	norms := v.norms
	if norms == nil {
		norms = make([]float32, v.Len())
		for i := range norms {
			norms[i] = v.Norm(i)
		}
	}
	if err := checkGraph(g, v.Len(), norms); err != nil {
		return fmt.Errorf("vecfile: graph: %w", err)
	}
	return writeNative(w, v, g)
}

func graphSize(g *Graph, n int) uint64 {
	return graphHead(graphVersion(g)) + alignUp(uint64(n), 4) + 4*uint64(len(g.Links0)) + 4*uint64(len(g.Upper))
}

func writeGraph(bw *bufio.Writer, g *Graph, n int) error {
	var head []byte
	head = append(head, graphMagic...)
	head = binary.LittleEndian.AppendUint32(head, g.Metric)
	head = binary.LittleEndian.AppendUint32(head, uint32(g.M))
	head = binary.LittleEndian.AppendUint32(head, math.Float32bits(g.MaxNorm))
	head = binary.LittleEndian.AppendUint32(head, uint32(g.Entry))
	head = binary.LittleEndian.AppendUint64(head, uint64(len(g.Upper)))
	if graphVersion(g) >= nativeVersionEf {
		head = binary.LittleEndian.AppendUint32(head, uint32(g.Ef))
		head = binary.LittleEndian.AppendUint32(head, 0)
	}
	bw.Write(head)
	bw.Write(g.Levels)
	bw.Write(make([]byte, alignUp(uint64(n), 4)-uint64(n)))
	buf := make([]byte, 0, 4096)
	for _, xs := range [][]int32{g.Links0, g.Upper} {
		for len(xs) > 0 {
			chunk := xs[:min(len(xs), 1024)]
			xs = xs[len(chunk):]
			buf = buf[:0]
			for _, x := range chunk {
				buf = binary.LittleEndian.AppendUint32(buf, uint32(x))
			}
			if _, err := bw.Write(buf); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeGraph validates the index section b of a native file of the given
// version with n rows of the given lengths, and returns a graph sharing
// b's memory (on little-endian machines).
func decodeGraph(b []byte, version uint64, n int, norms []float32, name string) (*Graph, error) {
	bad := func(format string, args ...any) error {
		return &FormatError{File: name, Offset: -1, Msg: "invalid index section: " + fmt.Sprintf(format, args...)}
	}
	head := graphHead(version)
	if uint64(len(b)) < head || string(b[:8]) != graphMagic {
		return nil, bad("no index header")
	}
	g := &Graph{
		Metric:  binary.LittleEndian.Uint32(b[8:]),
		MaxNorm: math.Float32frombits(binary.LittleEndian.Uint32(b[16:])),
		Entry:   int32(binary.LittleEndian.Uint32(b[20:])),
	}
	m := binary.LittleEndian.Uint32(b[12:])
	upper := binary.LittleEndian.Uint64(b[24:])
	if m < 2 || m > maxGraphM {
		return nil, bad("%d links per node (want 2 to %d)", m, maxGraphM)
	}
	g.M = int(m)
	if head > graphHeadSize {
		ef, zero := binary.LittleEndian.Uint32(b[graphHeadSize:]), binary.LittleEndian.Uint32(b[graphHeadSize+4:])
		if ef < 1 || ef > maxGraphEf || zero != 0 {
			return nil, bad("default search breadth ef %d (want 1 to %d) or reserved word %d (want 0)", ef, maxGraphEf, zero)
		}
		g.Ef = int(ef)
	}
	w0 := uint64(2*m + 1)
	hi, links0 := bits.Mul64(uint64(n), w0)
	hi2, upperB := bits.Mul64(upper, 4)
	want := head + alignUp(uint64(n), 4) + 4*links0
	if hi != 0 || hi2 != 0 || upperB > math.MaxInt64 || want+upperB != uint64(len(b)) || want+upperB < want {
		return nil, bad("%d bytes for %d nodes with M %d and %d upper links; it is truncated or damaged", len(b), n, m, upper)
	}
	g.Levels = b[head : head+uint64(n)]
	at := head + alignUp(uint64(n), 4)
	g.Links0 = i32s(b[at : at+4*links0])
	g.Upper = i32s(b[at+4*links0:])
	if err := checkGraph(g, n, norms); err != nil {
		return nil, bad("%v", err)
	}
	return g, nil
}

// checkGraph checks everything a search relies on: sizes, the entry on the
// top layer, and every link in range, not to itself, and to a node present
// on the link's layer.
func checkGraph(g *Graph, n int, norms []float32) error {
	if g.Metric >= graphMetrics {
		return fmt.Errorf("metric %d", g.Metric)
	}
	if g.M < 2 || g.M > maxGraphM {
		return fmt.Errorf("%d links per node (want 2 to %d)", g.M, maxGraphM)
	}
	if len(g.Levels) != n || len(g.Links0) != n*(2*g.M+1) {
		return fmt.Errorf("%d nodes, %d layer-0 links for %d rows", len(g.Levels), len(g.Links0), n)
	}
	if g.Entry < 0 || int(g.Entry) >= n {
		return fmt.Errorf("entry node %d of %d", g.Entry, n)
	}
	if g.Ef < 0 || g.Ef > maxGraphEf {
		return fmt.Errorf("default search breadth ef %d (want 0 to %d)", g.Ef, maxGraphEf)
	}
	if !(g.MaxNorm >= 0) || math.IsInf(float64(g.MaxNorm), 0) {
		return fmt.Errorf("largest length %v", g.MaxNorm)
	}
	if g.Metric == 1 { // dot: the extra coordinate √(MaxNorm² − ‖x‖²) must be real
		for i, x := range norms {
			if x > g.MaxNorm {
				return fmt.Errorf("row %d is longer (%v) than the largest length %v", i+1, x, g.MaxNorm)
			}
		}
	}
	blocks, top := 0, uint8(0)
	for i, l := range g.Levels {
		if l > maxGraphLevel {
			return fmt.Errorf("node %d on layer %d (at most %d)", i, l, maxGraphLevel)
		}
		blocks += int(l)
		top = max(top, l)
	}
	if g.Levels[g.Entry] != top {
		return fmt.Errorf("entry node %d is on layer %d, the top is %d", g.Entry, g.Levels[g.Entry], top)
	}
	if len(g.Upper) != blocks*(g.M+1) {
		return fmt.Errorf("%d upper links, the layers need %d", len(g.Upper), blocks*(g.M+1))
	}
	checkList := func(node int, l int, ls []int32, capacity int) error {
		c := ls[0]
		if c < 0 || int(c) > capacity {
			return fmt.Errorf("node %d has %d links on layer %d (at most %d)", node, c, l, capacity)
		}
		for _, t := range ls[1 : 1+c] {
			if t < 0 || int(t) >= n || int(t) == node || int(g.Levels[t]) < l {
				return fmt.Errorf("node %d links to %d on layer %d", node, t, l)
			}
		}
		return nil
	}
	w0 := 2*g.M + 1
	at := 0
	for i := range n {
		if err := checkList(i, 0, g.Links0[i*w0:(i+1)*w0], 2*g.M); err != nil {
			return err
		}
		for l := 1; l <= int(g.Levels[i]); l++ {
			if err := checkList(i, l, g.Upper[at:at+g.M+1], g.M); err != nil {
				return err
			}
			at += g.M + 1
		}
	}
	return nil
}

// i32s views little-endian b as int32s (copying on big-endian machines).
func i32s(b []byte) []int32 {
	u := u32s(b)
	if len(u) == 0 {
		return nil
	}
	return unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(u))), len(u))
}
