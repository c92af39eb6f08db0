package align

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/w2vtool/w2v/internal/vecfile"
)

// model returns vectors for words w0, w1, … with the rows of m, as read
// from a word2vec text file.
func model(t testing.TB, m []float32, dim int) *vecfile.Vectors {
	t.Helper()
	words := make([]string, len(m)/dim)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	var b bytes.Buffer
	if err := vecfile.WriteText(&b, words, m, dim); err != nil {
		t.Fatal(err)
	}
	v, err := vecfile.Read(&b, "model", vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// gaussian returns n rows of dim values from a standard normal
// distribution.
func gaussian(rng *rand.Rand, n, dim int) []float32 {
	m := make([]float32, n*dim)
	for i := range m {
		m[i] = float32(rng.NormFloat64())
	}
	return m
}

// rotation returns a random orthogonal dim×dim matrix, row-major: the Q of
// a Gaussian matrix's QR decomposition.
func rotation(rng *rand.Rand, dim int) []float64 {
	g := mat.NewDense(dim, dim, nil)
	for i := range dim {
		for j := range dim {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var q mat.Dense
	qr.QTo(&q)
	return q.RawMatrix().Data
}

// rotate returns the rows of m times q (float64 sums).
func rotate(m []float32, dim int, q []float64) []float32 {
	out := make([]float32, len(m))
	for r := 0; r < len(m)/dim; r++ {
		for j := range dim {
			var s float64
			for i := range dim {
				s += float64(m[r*dim+i]) * q[i*dim+j]
			}
			out[r*dim+j] = float32(s)
		}
	}
	return out
}

func TestProcrustesRecoversRotation(t *testing.T) {
	for _, tc := range []struct {
		name              string
		center, normalize bool
	}{
		{"plain", false, false},
		{"centred and normalised", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			const n, dim = 3000, 50
			x := gaussian(rng, n, dim)
			q := rotation(rng, dim)
			src, tgt := model(t, x, dim), model(t, rotate(x, dim, q), dim)
			a, err := New(src, tgt, Options{Center: tc.center, Normalize: tc.normalize})
			if err != nil {
				t.Fatal(err)
			}
			pairs, err := a.Identical(1000)
			if err != nil {
				t.Fatal(err)
			}
			if len(pairs) != 1000 {
				t.Fatalf("identical dictionary of the 1000 most frequent words has %d pairs", len(pairs))
			}
			if err := a.Fit(pairs); err != nil {
				t.Fatal(err)
			}
			var worst float64
			for i, w := range a.Map() {
				worst = max(worst, math.Abs(w-q[i]))
			}
			if worst > 1e-5 {
				t.Errorf("map differs from the rotation by up to %g, want ≤ 1e-5", worst)
			}
			// Every row, not only the dictionary's, lands on its target.
			m := a.Mapped()
			for i := range n {
				for j := range dim {
					if d := math.Abs(float64(m[i*dim+j] - a.y[i*dim+j])); d > 1e-4 {
						t.Fatalf("row %d: mapped value %d is %g from the target's", i, j, d)
					}
				}
			}
		})
	}
}

// hub is a hand-made example: four targets on the axes and a hub close to
// all of them; each source lies near its own target but nearer still to
// the hub. Worked out by hand with k = 2: the cosines of the sources with
// the targets are 0.8333 (their own), 0.3066 (the others) and 0.8876 (the
// hub), so plain cosine picks the hub for every source; the targets' radii
// r_S are (0.8333 + 0.3066)/2 = 0.5700 and, for the hub, 0.8876, so
// 2cos − r_S is 2·0.8333 − 0.5700 = 1.0967 for a source's own target and
// 2·0.8876 − 0.8876 = 0.8876 for the hub: CSLS picks the right target.
func hub() (src, tgt []float32, dim int) {
	const m = 4
	dim = m + 1
	unit := func(v []float64) []float32 {
		var s float64
		for _, x := range v {
			s += x * x
		}
		out := make([]float32, len(v))
		for i, x := range v {
			out[i] = float32(x / math.Sqrt(s))
		}
		return out
	}
	h := make([]float64, dim)
	for i := range m {
		h[i] = 1
	}
	h[m] = 0.5
	hu := unit(h)
	for i := range m {
		e := make([]float64, dim)
		e[i] = 1
		tgt = append(tgt, unit(e)...)
		for j := range e {
			e[j] += 1.2 * float64(hu[j])
		}
		src = append(src, unit(e)...)
	}
	tgt = append(tgt, hu...)
	return src, tgt, dim
}

func TestCSLSDemotesHub(t *testing.T) {
	ctx := context.Background()
	src, tgt, dim := hub()
	const hubRow = 4
	nn, err := Nearest(ctx, tgt, src, dim, 1, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range nn {
		if h[0].Row != hubRow {
			t.Fatalf("plain cosine: source %d's nearest target is %d; the example wants the hub, %d", i, h[0].Row, hubRow)
		}
	}
	rs, err := Radii(ctx, src, tgt, dim, 2, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0.5700, 0.5700, 0.5700, 0.5700, 0.8876}
	for i := range want {
		if math.Abs(float64(rs[i]-want[i])) > 1e-4 {
			t.Errorf("radius of target %d = %.4f, want %.4f", i, rs[i], want[i])
		}
	}
	cs, err := NearestCSLS(ctx, tgt, rs, src, dim, 2, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range cs {
		if h[0].Row != i || h[1].Row != hubRow {
			t.Errorf("CSLS: source %d's best targets are %d, %d; want %d, then the hub", i, h[0].Row, h[1].Row, i)
		}
		if math.Abs(float64(h[0].Score)-1.0967) > 1e-4 || math.Abs(float64(h[1].Score)-0.8876) > 1e-4 {
			t.Errorf("CSLS: source %d's scores %.4f, %.4f, want 1.0967, 0.8876", i, h[0].Score, h[1].Score)
		}
	}
}

// noisyPair returns a source model and a target that is the source
// rotated, plus noise, with test pairs of every word to itself.
func noisyPair(t *testing.T, n, dim int, noise float64) (src, tgt *vecfile.Vectors) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := gaussian(rng, n, dim)
	y := rotate(x, dim, rotation(rng, dim))
	for i := range y {
		y[i] += float32(noise * rng.NormFloat64())
	}
	return model(t, x, dim), model(t, y, dim)
}

func TestRefineDoesNotLowerPrecision(t *testing.T) {
	const n, dim = 2000, 30
	src, tgt := noisyPair(t, n, dim, 0.8)
	a, err := New(src, tgt, Options{Normalize: true})
	if err != nil {
		t.Fatal(err)
	}
	var pairs strings.Builder
	for i := range n {
		fmt.Fprintf(&pairs, "w%d w%d\n", i, i)
	}
	tests, err := a.ReadTests(strings.NewReader(pairs.String()), "pairs")
	if err != nil {
		t.Fatal(err)
	}
	// A small seed dictionary, a third of it wrong.
	var seed []Pair
	for i := range 60 {
		j := i
		if i%3 == 0 {
			j = (i + 7) % n
		}
		seed = append(seed, Pair{i, j})
	}
	if err := a.Fit(seed); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	before, err := a.Evaluate(ctx, tests)
	if err != nil {
		t.Fatal(err)
	}
	sizes, err := a.Refine(ctx, 2, 1000)
	if err != nil {
		t.Fatal(err)
	}
	after, err := a.Evaluate(ctx, tests)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("before: %+v; refinement dictionaries %v; after: %+v", *before, sizes, *after)
	if after.NN.At1 < before.NN.At1 || after.CSLS.At1 < before.CSLS.At1 {
		t.Errorf("refinement lowered precision@1: NN %.3f → %.3f, CSLS %.3f → %.3f", before.NN.At1, after.NN.At1, before.CSLS.At1, after.CSLS.At1)
	}
	// The noise leaves room to improve, and mutual CSLS neighbours of a
	// good map are nearly all right.
	if after.CSLS.At1 < 0.75 {
		t.Errorf("precision@1 after refinement %.3f, want ≥ 0.75", after.CSLS.At1)
	}
	if after.CSLS.At1 < after.NN.At1 || after.CSLS.At5 < after.CSLS.At1 || after.CSLS.At10 < after.CSLS.At5 {
		t.Errorf("inconsistent precisions %+v", *after)
	}
}

func TestBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	src := model(t, gaussian(rng, 10, 4), 4)
	if _, err := New(src, model(t, gaussian(rng, 10, 5), 5), Options{}); err == nil || !strings.Contains(err.Error(), "4 dimensions and the target 5") {
		t.Errorf("mismatched dimensions: error %v", err)
	}
	a, err := New(src, model(t, gaussian(rng, 10, 4), 4), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dict, want string }{
		{"empty", "", "dict.txt holds no word pairs"},
		{"comments only", "# nothing\n\n", "dict.txt holds no word pairs"},
		{"all unknown", "cat chat\nw1 chien\nw2 w3 \n", ""},
		{"three fields", "w1 w1\nw1 w2 w3\n", "dict.txt:2: want a source word and a target word, got 3 fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.ReadDictionary(strings.NewReader(tc.dict), "dict.txt")
			if tc.want == "" && err == nil {
				// "w2 w3" is known: not all unknown; check the counts.
				d, _ := a.ReadDictionary(strings.NewReader(tc.dict), "dict.txt")
				if len(d.Pairs) != 1 || d.Unknown != 2 || d.Lines != 3 {
					t.Errorf("got %d pairs, %d unknown of %d; want 1, 2 of 3", len(d.Pairs), d.Unknown, d.Lines)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := a.ReadDictionary(strings.NewReader("cat chat\nw1 chien\n"), "dict.txt"); err == nil || err.Error() != "none of the 2 pairs in dict.txt has both words in the models" {
		t.Errorf("all-unknown dictionary: error %v", err)
	}
	if _, err := a.ReadTests(strings.NewReader("cat chat\n"), "test.txt"); err == nil || !strings.Contains(err.Error(), "none of the 1 source words in test.txt") {
		t.Errorf("all-unknown test pairs: error %v", err)
	}
	if err := a.Fit(nil); err == nil {
		t.Error("Fit with no pairs: no error")
	}
}

func TestReadTestsGroupsTargets(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	a, err := New(model(t, gaussian(rng, 10, 4), 4), model(t, gaussian(rng, 10, 4), 4), Options{Restrict: 8})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := a.ReadTests(strings.NewReader("w1 w2\nw1 w3\nw1 w2\nw9 w1\nw2 nope\nw3 w9\nw4 w4\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	// w9 is beyond the 8 words searched on both sides; nope is unknown.
	want := fmt.Sprint([]Test{{1, []int{2, 3}}, {4, []int{4}}})
	if got := fmt.Sprint(ts.Tests); got != want || ts.Words != 5 || ts.Unknown != 3 {
		t.Errorf("tests %s (%d words, %d unknown), want %s (5, 3)", got, ts.Words, ts.Unknown, want)
	}
}

func TestDrift(t *testing.T) {
	const n, dim = 500, 20
	rng := rand.New(rand.NewPCG(9, 10))
	x := gaussian(rng, n, dim)
	y := rotate(x, dim, rotation(rng, dim))
	// Words 17 and 300 change meaning: new random vectors.
	copy(y[17*dim:18*dim], gaussian(rng, 1, dim))
	copy(y[300*dim:301*dim], gaussian(rng, 1, dim))
	a, err := New(model(t, x, dim), model(t, y, dim), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := a.Identical(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Fit(pairs); err != nil {
		t.Fatal(err)
	}
	moves := a.Drift(pairs)
	if len(moves) != n {
		t.Fatalf("%d moves, want %d", len(moves), n)
	}
	top := []string{moves[0].Word, moves[1].Word}
	if !(top[0] == "w17" && top[1] == "w300" || top[0] == "w300" && top[1] == "w17") {
		t.Errorf("the two words that moved most are %v, want w17 and w300", top)
	}
	if moves[2].Distance > 0.1 || moves[1].Distance < 0.5 {
		t.Errorf("distances %.3f, %.3f, %.3f: the changed words should stand out", moves[0].Distance, moves[1].Distance, moves[2].Distance)
	}
}

func TestWriteNative(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n, dim = 50, 8
	x := gaussian(rng, n, dim)
	a, err := New(model(t, x, dim), model(t, rotate(x, dim, rotation(rng, dim)), dim), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pairs, _ := a.Identical(0)
	if err := a.Fit(pairs); err != nil {
		t.Fatal(err)
	}
	for _, f := range []vecfile.Format{vecfile.Native, vecfile.Text, vecfile.Binary} {
		var b bytes.Buffer
		if err := a.Write(&b, vecfile.OutFormat{Format: f}); err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		v, err := vecfile.Read(&b, "out", vecfile.Options{Raw: true})
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		if v.Format != f || v.Len() != n || v.Word(3) != "w3" {
			t.Fatalf("%v: read back %v, %d words", f, v.Format, v.Len())
		}
		for i := range n {
			for j := range dim {
				if d := math.Abs(float64(v.Row(i)[j] - a.y[i*dim+j])); d > 1e-4 {
					t.Fatalf("%v: row %d value %d off the target by %g", f, i, j, d)
				}
			}
		}
	}
}
