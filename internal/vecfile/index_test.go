package vecfile

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"
)

// testGraph links testWords (M 2): "king" and "queen" are on layer 1.
func testGraph() *Graph {
	return &Graph{
		Metric: 1, M: 2, MaxNorm: 5, Entry: 1,
		Levels: []uint8{0, 1, 1, 0},
		Links0: []int32{
			2, 1, 2, 0, 0,
			3, 0, 2, 3, 0,
			2, 1, 3, 0, 0,
			1, 2, 0, 0, 0,
		},
		Upper: []int32{
			1, 2, 0, // king, layer 1
			1, 1, 0, // queen, layer 1
		},
	}
}

func indexedFile(t testing.TB) []byte {
	t.Helper()
	v, err := Read(bytes.NewReader(textFile(t)), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteNativeGraph(&buf, v, testGraph()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGraphRoundTrip(t *testing.T) {
	b := indexedFile(t)
	v, err := Read(bytes.NewReader(b), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkVectors(t, v, false)
	g, want := v.Graph(), testGraph()
	if g == nil {
		t.Fatal("no graph read back")
	}
	if g.Metric != want.Metric || g.M != want.M || g.MaxNorm != want.MaxNorm || g.Entry != want.Entry ||
		!slices.Equal(g.Levels, want.Levels) || !slices.Equal(g.Links0, want.Links0) || !slices.Equal(g.Upper, want.Upper) {
		t.Errorf("graph read back %+v, want %+v", g, want)
	}
	plain, err := Read(bytes.NewReader(nativeFile(t)), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Graph() != nil {
		t.Error("a file written without a graph has one")
	}
}

func TestGraphWriteChecks(t *testing.T) {
	v, err := Read(bytes.NewReader(textFile(t)), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := testGraph()
	g.Links0[1] = 9
	if err := WriteNativeGraph(&bytes.Buffer{}, v, g); err == nil || !strings.Contains(err.Error(), "node 0 links to 9") {
		t.Errorf("writing a graph with a link out of range: %v", err)
	}
}

// graphAt returns the offset of the index section of native file b.
func graphAt(b []byte) int { return int(binary.LittleEndian.Uint64(b[12*8:])) }

func TestGraphRejectsDamage(t *testing.T) {
	good := indexedFile(t)
	at := graphAt(good)
	n := len(testWords)
	links0 := at + graphHeadSize + 4 // n = 4 levels, already a multiple of 4
	upper := links0 + 4*n*5
	put := func(b []byte, off int, x uint32) { binary.LittleEndian.PutUint32(b[off:], x) }
	for _, tc := range []struct {
		name string
		edit func(b []byte) []byte
		want string
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)-4] }, "header says the file has"},
		{"truncated, header fixed", func(b []byte) []byte {
			b = b[:len(b)-4]
			binary.LittleEndian.PutUint64(b[11*8:], uint64(len(b)))
			binary.LittleEndian.PutUint64(b[13*8:], uint64(len(b)-at))
			return b
		}, "it is truncated or damaged"},
		{"misplaced", func(b []byte) []byte { binary.LittleEndian.PutUint64(b[12*8:], 8); return b }, "index section (offset 8"},
		{"magic", func(b []byte) []byte { b[at] = 'x'; return b }, "no index header"},
		{"metric", func(b []byte) []byte { put(b, at+8, 3); return b }, "metric 3"},
		{"M", func(b []byte) []byte { put(b, at+12, 1); return b }, "1 links per node"},
		{"M lies", func(b []byte) []byte { put(b, at+12, 3); return b }, "truncated or damaged"},
		{"max norm", func(b []byte) []byte { put(b, at+16, math.Float32bits(4)); return b }, "row 3 is longer (5)"},
		{"NaN max norm", func(b []byte) []byte { put(b, at+16, math.Float32bits(float32(math.NaN()))); return b }, "largest length NaN"},
		{"entry out of range", func(b []byte) []byte { put(b, at+20, 4); return b }, "entry node 4 of 4"},
		{"entry below the top", func(b []byte) []byte { put(b, at+20, 0); return b }, "entry node 0 is on layer 0, the top is 1"},
		{"level too high", func(b []byte) []byte { b[at+graphHeadSize] = 41; return b }, "node 0 on layer 41"},
		{"levels and upper links disagree", func(b []byte) []byte { b[at+graphHeadSize] = 1; return b }, "6 upper links, the layers need 9"},
		{"count over capacity", func(b []byte) []byte { put(b, links0, 5); return b }, "node 0 has 5 links on layer 0"},
		{"negative count", func(b []byte) []byte { put(b, links0, math.MaxUint32); return b }, "node 0 has -1 links"},
		{"link out of range", func(b []byte) []byte { put(b, links0+4, 4); return b }, "node 0 links to 4 on layer 0"},
		{"negative link", func(b []byte) []byte { put(b, links0+4, math.MaxUint32); return b }, "node 0 links to -1"},
		{"self link", func(b []byte) []byte { put(b, links0+4, 0); return b }, "node 0 links to 0"},
		{"link to a node not on the layer", func(b []byte) []byte { put(b, upper+4, 3); return b }, "node 1 links to 3 on layer 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.edit(bytes.Clone(good))
			_, err := Read(bytes.NewReader(b), "m.w2v", Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "m.w2v") {
				t.Fatalf("error %v, want one naming m.w2v and containing %q", err, tc.want)
			}
		})
	}
}

// FuzzDecodeIndex mutates index sections of a four-row file: once
// accepted, a graph's every link must be safe to follow.
func FuzzDecodeIndex(f *testing.F) {
	good := indexedFile(f)
	f.Add(good[graphAt(good):])
	norms := []float32{1, 2, 5, 0}
	f.Fuzz(func(t *testing.T, section []byte) {
		g, err := decodeGraph(section, len(norms), norms, "fuzz")
		if err != nil {
			return
		}
		at := 0
		for i, l := range g.Levels {
			lists := [][]int32{g.Links0[i*(2*g.M+1) : (i+1)*(2*g.M+1)]}
			for range l {
				lists = append(lists, g.Upper[at:at+g.M+1])
				at += g.M + 1
			}
			for layer, ls := range lists {
				for _, x := range ls[1 : 1+ls[0]] {
					if x < 0 || int(x) >= len(norms) || int(g.Levels[x]) < layer {
						t.Fatalf("accepted link %d→%d on layer %d", i, x, layer)
					}
				}
			}
		}
	})
}
