package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalogyIndex: analogy on an indexed model answers through the index
// and says so, for 3CosAdd and 3CosMul; --exact, --restrict and another
// metric scan all rows, as the model without its index does.
func TestAnalogyIndex(t *testing.T) {
	model := randomModel(t, 400, 8)
	indexed := filepath.Join(t.TempDir(), "m.w2v")
	if code, _, errs := w2v(t, "", "index", model, "--threads", "1", "-o", indexed); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	query := []string{"w1", "w17", "w250"}
	for _, method := range []string{"add", "mul"} {
		args := append([]string{"analogy", "-m", indexed, "-k", "3", "--method", method}, query...)
		_, approx, errs := w2v(t, "", args...)
		_, exact, _ := w2v(t, "", append(args, "--exact")...)
		_, restricted, _ := w2v(t, "", append(args, "--restrict", "400")...)
		_, plain, _ := w2v(t, "", append([]string{"analogy", "-m", model, "-k", "3", "--method", method}, query...)...)
		if !strings.Contains(approx, "(approximate: graph index)") {
			t.Errorf("%s: graph answer not marked approximate:\n%s%s", method, approx, errs)
		}
		if exact != plain || restricted != plain {
			t.Errorf("%s: --exact answers\n%s--restrict\n%swithout index\n%s", method, exact, restricted, plain)
		}
		// 400 rows linked 16 ways: the index finds the exact answers.
		if got := answerWords(strings.ReplaceAll(approx, " (approximate: graph index)", "")); got != answerWords(plain) {
			t.Errorf("%s: graph answers\n%sexact\n%s", method, got, plain)
		}
	}
	if _, out, _ := w2v(t, "w1 w17 w250\n", "analogy", "-m", indexed, "--json"); !strings.Contains(out, `"approximate":true`) {
		t.Errorf("JSON answer not marked approximate: %s", out)
	}
	if _, out, _ := w2v(t, "", "analogy", "-m", indexed, "--metric", "dot", "w1", "w17", "w250"); strings.Contains(out, "approximate") {
		t.Errorf("a dot query on a cosine index used the index: %s", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--method", "mul", "--metric", "dot"}, "--method mul combines cosines"},
		{[]string{"--metric", "manhattan"}, `unknown metric "manhattan"`},
		{[]string{"--ef", "-1"}, "--ef must be 0"},
	} {
		code, _, errs := w2v(t, "", append(append([]string{"analogy", "-m", indexed}, tc.args...), query...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", tc.args, code, errs, exitUsage, tc.want)
		}
	}
}
