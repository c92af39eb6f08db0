package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/query"
)

// TestNearestAll: --all writes every word's neighbours, the same as a
// query for each word (TSV and JSON lines), exact or through the index;
// bad requests write nothing.
func TestNearestAll(t *testing.T) {
	model := randomModel(t, 300, 8)
	dir := t.TempDir()
	indexed := filepath.Join(dir, "m.w2v")
	if code, _, errs := w2v(t, "", "index", model, "--threads", "1", "-o", indexed); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	var words []string
	for i := range 300 {
		words = append(words, "w"+strconv.Itoa(i))
	}
	for _, tc := range []struct {
		name   string
		model  string
		args   []string
		approx bool
	}{
		{"exact", model, nil, false},
		{"restrict", model, []string{"--restrict", "120"}, false},
		{"dot", model, []string{"--metric", "dot"}, false},
		{"index", indexed, nil, true},
		{"index --exact", indexed, []string{"--exact"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".tsv")
			all := append([]string{"nearest", "-m", tc.model, "--all", "-k", "4", "-q"}, tc.args...)
			if code, _, errs := w2v(t, "", append(all, "-o", out)...); code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			tsv, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			_, jsonOut, _ := w2v(t, "", append(all, "--json")...) // to standard output
			n := 300
			if len(tc.args) == 2 && tc.args[0] == "--restrict" {
				n = 120
			}
			qargs := append([]string{"nearest", "-m", tc.model, "-k", "4", "--json"}, tc.args...)
			_, single, errs := w2v(t, "", append(qargs, words[:n]...)...)
			if single != jsonOut {
				t.Fatalf("--all --json differs from the queries' answers (%s):\n%.600s\nwant\n%.600s", errs, jsonOut, single)
			}
			lines := strings.Split(strings.TrimSuffix(string(tsv), "\n"), "\n")
			if lines[0] != query.NeighborsHeader || len(lines) != 1+4*n {
				t.Fatalf("TSV of %d lines, header %q", len(lines), lines[0])
			}
			dec := json.NewDecoder(strings.NewReader(single))
			for i := range n {
				var res query.NearestResult
				if err := dec.Decode(&res); err != nil {
					t.Fatal(err)
				}
				if res.Approximate != tc.approx {
					t.Fatalf("approximate %v, want %v", res.Approximate, tc.approx)
				}
				for j, nb := range res.Neighbors {
					want := res.Query + "\t" + strconv.Itoa(j+1) + "\t" + nb.Word + "\t"
					if got := lines[1+4*i+j]; !strings.HasPrefix(got, want) {
						t.Fatalf("line %d: %q, want %q…", 2+4*i+j, got, want)
					}
				}
			}
		})
	}
	out := filepath.Join(dir, "bad.tsv")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"nearest", "-m", model, "--all", "w1", "-o", out}, exitUsage, "give no words"},
		{[]string{"nearest", "-m", model, "w1", "-o", out}, exitUsage, "-o is for --all"},
		{[]string{"nearest", "-m", model, "--all", "-o", model}, exitUsage, "is the input"},
		{[]string{"nearest", "-m", filepath.Join(dir, "none.txt"), "--all", "-o", out}, exitError, "does not exist"},
		{[]string{"nearest", "-m", model, "--all", "-k", "0", "-o", out}, exitUsage, "--top must be at least 1"},
	} {
		code, _, errs := w2v(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%q left %s", tc.args, out)
		}
	}
}
