package main

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// randomModel writes a text model of n words w0, w1, … with random vectors.
func randomModel(t *testing.T, n, dim int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	fmt.Fprintf(&b, "%d %d\n", n, dim)
	for i := range n {
		fmt.Fprintf(&b, "w%d", i)
		for range dim {
			fmt.Fprintf(&b, " %.4f", rng.NormFloat64()*(1+float64(i%7)))
		}
		b.WriteByte('\n')
	}
	return writeFile(t, "random.txt", []byte(b.String()))
}

func TestIndexAndNearest(t *testing.T) {
	model := randomModel(t, 400, 8)
	dir := t.TempDir()
	for _, metric := range []string{"cosine", "dot", "euclidean"} {
		t.Run(metric, func(t *testing.T) {
			indexed := filepath.Join(dir, metric+".w2v")
			code, _, errs := w2v(t, "", "index", model, "--metric", metric, "--threads", "1", "-o", indexed)
			if code != 0 {
				t.Fatalf("index: exit %d: %s", code, errs)
			}
			if !strings.Contains(errs, "index: default search breadth ef ") || !strings.Contains(errs, " on 400 indexed words\n") {
				t.Errorf("index does not say the search breadth it calibrated:\n%s", errs)
			}
			words := []string{"w1", "w17", "w250"}
			_, approx, _ := w2v(t, "", append([]string{"nearest", "-m", indexed, "-k", "5"}, words...)...)
			_, exact, _ := w2v(t, "", append([]string{"nearest", "-m", indexed, "-k", "5", "--exact"}, words...)...)
			_, plain, _ := w2v(t, "", append([]string{"nearest", "-m", model, "-k", "5", "--metric", metric}, words...)...)
			if strings.Count(approx, "(approximate: graph index)") != len(words) {
				t.Errorf("graph answers not marked approximate:\n%s", approx)
			}
			if strings.Contains(exact, "approximate") || exact != plain {
				t.Errorf("--exact on the indexed model answers\n%s\nthe model without index\n%s", exact, plain)
			}
			// 400 rows linked 16 ways: the graph finds the exact answers
			// (scores may differ in the last digit: other summation order).
			if got := answerWords(strings.ReplaceAll(approx, " (approximate: graph index)", "")); got != answerWords(exact) {
				t.Errorf("graph answers\n%s\nexact answers\n%s", got, exact)
			}
		})
	}
	indexed := filepath.Join(dir, "cosine.w2v")
	if code, _, errs := w2v(t, "", "index", model, "-o", indexed); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	if _, out, _ := w2v(t, "w3\n", "nearest", "-m", indexed, "--json", "-k", "2"); !strings.Contains(out, `"approximate":true`) {
		t.Errorf("JSON answer not marked approximate: %s", out)
	}
	if _, out, _ := w2v(t, "", "nearest", "-m", indexed, "--metric", "dot", "w3"); strings.Contains(out, "approximate") {
		t.Errorf("a dot query on a cosine index used the graph: %s", out)
	}
}

func TestIndexErrors(t *testing.T) {
	model := randomModel(t, 50, 4)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"index", model}, exitUsage, "no output file"},
		{[]string{"index", model, "-o", model}, exitUsage, "is the input"},
		{[]string{"index", model, "--m", "1", "-o", filepath.Join(dir, "a.w2v")}, exitUsage, "--m must be 2 to 1024"},
		{[]string{"index", model, "--metric", "manhattan", "-o", filepath.Join(dir, "a.w2v")}, exitUsage, `unknown metric "manhattan"`},
		{[]string{"index", model, "--ef-construction", "0", "-o", filepath.Join(dir, "a.w2v")}, exitUsage, "--ef-construction must be at least 1"},
		{[]string{"index", filepath.Join(dir, "none.txt"), "-o", filepath.Join(dir, "a.w2v")}, 1, "does not exist"},
	} {
		code, _, errs := w2v(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("w2v %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "a.w2v")); err == nil {
		t.Error("a failed index left its output")
	}

	indexed := filepath.Join(dir, "m.w2v")
	if code, _, errs := w2v(t, "", "index", model, "-o", indexed); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(indexed)
	if err != nil {
		t.Fatal(err)
	}
	at := binary.LittleEndian.Uint64(b[12*8:])
	binary.LittleEndian.PutUint32(b[at+20:], 1e6) // the entry node
	broken := filepath.Join(dir, "broken.w2v")
	if err := os.WriteFile(broken, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := w2v(t, "", "nearest", "-m", broken, "w1"); code != 1 || !strings.Contains(errs, broken) || !strings.Contains(errs, "entry node 1000000 of 50") {
		t.Errorf("nearest on a damaged index: exit %d, stderr %q", code, errs)
	}
}

// answerWords drops the scores from nearest's tables.
func answerWords(out string) string {
	var b strings.Builder
	for line := range strings.Lines(out) {
		if f := strings.Fields(line); len(f) == 3 {
			line = f[0] + " " + f[1] + "\n"
		}
		b.WriteString(line)
	}
	return b.String()
}

func TestConvertKeepsIndex(t *testing.T) {
	model := randomModel(t, 300, 8)
	dir := t.TempDir()
	indexed := filepath.Join(dir, "m.w2v")
	if code, _, errs := w2v(t, "", "index", model, "--threads", "1", "-o", indexed); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	copied := filepath.Join(dir, "copy.w2v")
	if code, _, errs := w2v(t, "", "convert", indexed, "-o", copied); code != 0 || strings.Contains(errs, "index") {
		t.Fatalf("convert to native: exit %d: %s", code, errs)
	}
	_, want, _ := w2v(t, "", "nearest", "-m", indexed, "w1", "w40")
	if _, got, _ := w2v(t, "", "nearest", "-m", copied, "w1", "w40"); got != want || !strings.Contains(got, "approximate") {
		t.Errorf("nearest on the converted copy:\n%s\non the indexed model:\n%s", got, want)
	}
	for _, out := range []string{"m.txt", "m.bin"} {
		code, _, errs := w2v(t, "", "convert", indexed, "-o", filepath.Join(dir, out))
		if code != 0 || !strings.Contains(errs, "holds a graph index") || !strings.Contains(errs, "it is not in") {
			t.Errorf("convert to %s: exit %d, stderr %q; want a warning that the index is dropped", out, code, errs)
		}
	}
	if _, _, errs := w2v(t, "", "convert", model, "-o", filepath.Join(dir, "plain.bin")); strings.Contains(errs, "index") {
		t.Errorf("convert of a model without index warns: %s", errs)
	}
}

func TestNearestJSONScoreField(t *testing.T) {
	model := randomModel(t, 100, 6)
	for _, tc := range []struct {
		metric     string
		wantCosine bool
	}{{"cosine", true}, {"dot", false}, {"euclidean", false}} {
		_, out, _ := w2v(t, "", "nearest", "-m", model, "--metric", tc.metric, "--json", "-k", "2", "w5")
		if !strings.Contains(out, `"score":`) || strings.Contains(out, `"cosine":`) != tc.wantCosine {
			t.Errorf("--metric %s --json: %s; want a score field, and a cosine field only for cosine", tc.metric, out)
		}
	}
}
