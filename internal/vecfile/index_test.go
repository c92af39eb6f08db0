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

// calibratedFile is indexedFile with the graph's search breadth set to ef.
func calibratedFile(t testing.TB, ef int) []byte {
	t.Helper()
	v, err := Read(bytes.NewReader(textFile(t)), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := testGraph()
	g.Ef = ef
	var buf bytes.Buffer
	if err := WriteNativeGraph(&buf, v, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGraphEf checks the calibrated search breadth: stored in a version-2
// file, read back; a version-1 index (as written before calibration) still
// opens with none; nonsense is refused naming the file.
func TestGraphEf(t *testing.T) {
	version := func(b []byte) uint64 { return binary.LittleEndian.Uint64(b[8:]) }
	for _, tc := range []struct {
		ef          int
		wantVersion uint64
	}{{0, 1}, {1, 2}, {640, 2}, {maxGraphEf, 2}} {
		b := calibratedFile(t, tc.ef)
		v, err := Read(bytes.NewReader(b), "x", Options{})
		if err != nil {
			t.Fatalf("ef %d: %v", tc.ef, err)
		}
		if got := version(b); got != tc.wantVersion {
			t.Errorf("ef %d written in a file of version %d, want %d", tc.ef, got, tc.wantVersion)
		}
		if g := v.Graph(); g == nil || g.Ef != tc.ef || !slices.Equal(g.Links0, testGraph().Links0) {
			t.Errorf("ef %d read back as %+v", tc.ef, g)
		}
	}
	if plain := nativeFile(t); version(plain) != 1 {
		t.Errorf("a file without an index is version %d, want 1", version(plain))
	}
	v, err := Read(bytes.NewReader(textFile(t)), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ef := range []int{-1, maxGraphEf + 1} {
		g := testGraph()
		g.Ef = ef
		if err := WriteNativeGraph(&bytes.Buffer{}, v, g); err == nil || !strings.Contains(err.Error(), "search breadth ef") {
			t.Errorf("writing ef %d: %v", ef, err)
		}
	}

	good := calibratedFile(t, 640)
	at := graphAt(good)
	put := func(b []byte, off int, x uint32) { binary.LittleEndian.PutUint32(b[off:], x) }
	for _, tc := range []struct {
		name string
		edit func(b []byte)
		want string
	}{
		{"ef 0", func(b []byte) { put(b, at+graphHeadSize, 0) }, "search breadth ef 0 (want 1 to 65536)"},
		{"ef too large", func(b []byte) { put(b, at+graphHeadSize, maxGraphEf+1) }, "search breadth ef 65537"},
		{"ef negative", func(b []byte) { put(b, at+graphHeadSize, math.MaxUint32) }, "search breadth ef 4294967295"},
		{"reserved word", func(b []byte) { put(b, at+graphHeadSize+4, 1) }, "reserved word 1"},
		{"version 1 claimed", func(b []byte) { b[8] = 1 }, "truncated or damaged"},
		{"version 3", func(b []byte) { b[8] = 3 }, "format version 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := bytes.Clone(good)
			tc.edit(b)
			_, err := Read(bytes.NewReader(b), "m.w2v", Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "m.w2v") {
				t.Fatalf("error %v, want one naming m.w2v and containing %q", err, tc.want)
			}
		})
	}
	old := indexedFile(t)
	old[8] = 2 // a version-1 section read as version 2
	if _, err := Read(bytes.NewReader(old), "m.w2v", Options{}); err == nil || !strings.Contains(err.Error(), "m.w2v") {
		t.Errorf("a version-1 index in a file claiming version 2: %v", err)
	}
}

// FuzzDecodeIndex mutates index sections of a four-row file: once
// accepted, a graph's every link must be safe to follow. Each input is
// read as a section of both versions.
func FuzzDecodeIndex(f *testing.F) {
	good := indexedFile(f)
	f.Add(good[graphAt(good):])
	cal := calibratedFile(f, 640)
	f.Add(cal[graphAt(cal):])
	norms := []float32{1, 2, 5, 0}
	f.Fuzz(func(t *testing.T, section []byte) {
		for _, version := range []uint64{nativeVersion, nativeVersionEf} {
			fuzzDecodeIndex(t, section, version, norms)
		}
	})
}

func fuzzDecodeIndex(t *testing.T, section []byte, version uint64, norms []float32) {
	g, err := decodeGraph(section, version, len(norms), norms, "fuzz")
	if err != nil {
		return
	}
	if g.Ef < 0 || g.Ef > maxGraphEf || (version == nativeVersionEf) != (g.Ef > 0) {
		t.Fatalf("accepted ef %d in a section of version %d", g.Ef, version)
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
}
