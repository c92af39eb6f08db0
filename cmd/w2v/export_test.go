package main

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportProjector(t *testing.T) {
	// Not unit length: the export keeps the file's values.
	model := writeFile(t, "m.txt", []byte("3 2\nthe 3 4\ncat -0.5 0.25\ndog 1e-3 2\n"))
	dir := filepath.Join(t.TempDir(), "proj")
	code, stdout, errs := w2v(t, "", "export", "-m", model, "--format", "projector", "-o", dir)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, stdout, errs)
	}
	for name, want := range map[string]string{
		"vectors.tsv":  "3\t4\n-0.5\t0.25\n0.001\t2\n",
		"metadata.tsv": "the\ncat\ndog\n",
	} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q (%v), want %q", name, got, err, want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "projector_config.json")); err != nil || !strings.Contains(string(b), `"metadataPath": "metadata.tsv"`) {
		t.Errorf("projector_config.json: %s %v", b, err)
	}
	if !strings.Contains(errs, "export: 3 words × 2 to") {
		t.Errorf("summary %q", errs)
	}
	// Again, restricted, over the earlier export.
	if code, _, errs := w2v(t, "", "export", "-m", model, "--format", "projector", "--restrict", "1", "-o", dir, "-q"); code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "metadata.tsv")); string(got) != "the\n" {
		t.Errorf("metadata.tsv after --restrict 1: %q", got)
	}
}

func TestExportNPY(t *testing.T) {
	model := writeFile(t, "m.txt", []byte("2 3\nthe 3 4 0\ncat -0.5 0.25 1e-3\n"))
	dir := filepath.Join(t.TempDir(), "npy")
	if code, _, errs := w2v(t, "", "export", "-m", model, "-f", "npy", "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "vectors.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b[:128]), "'shape': (2, 3)") || len(b) != 128+24 {
		t.Fatalf("vectors.npy: %d bytes, header %q", len(b), b[:min(len(b), 128)])
	}
	want := []float32{3, 4, 0, -0.5, 0.25, 1e-3}
	for i, w := range want {
		if x := math.Float32frombits(binary.LittleEndian.Uint32(b[128+4*i:])); x != w {
			t.Errorf("value %d = %v, want %v", i, x, w)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "words.txt")); string(got) != "the\ncat\n" {
		t.Errorf("words.txt = %q", got)
	}
}

func TestExportBadInput(t *testing.T) {
	model := writeFile(t, "m.txt", []byte("2 2\nthe 3 4\ncat 1 2\n"))
	dir := t.TempDir()
	mine := filepath.Join(dir, "mine")
	os.Mkdir(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("keep"), 0o644)
	bad := writeFile(t, "bad.txt", []byte("2 2\nthe 3 4\ncat 1\n"))
	out := filepath.Join(dir, "out")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no format", []string{"-m", model, "-o", out}, 2, `--format must be projector or npy, got ""`},
		{"bad format", []string{"-m", model, "-f", "csv", "-o", out}, 2, `got "csv"`},
		{"no output", []string{"-m", model, "-f", "npy"}, 2, "no output directory"},
		{"standard output", []string{"-m", model, "-f", "npy", "-o", "-"}, 2, "no output directory"},
		{"negative restrict", []string{"-m", model, "-f", "npy", "-o", out, "--restrict", "-2"}, 2, "--restrict must be 0"},
		{"missing model", []string{"-m", filepath.Join(dir, "nope"), "-f", "npy", "-o", out}, 1, "does not exist"},
		{"malformed model", []string{"-m", bad, "-f", "projector", "-o", out}, 1, "bad.txt"},
		{"output is a file", []string{"-m", model, "-f", "npy", "-o", model}, 2, "would destroy the input"},
		{"output holds other files", []string{"-m", model, "-f", "npy", "-o", mine}, 1, "holds notes.txt"},
		{"output's parent missing", []string{"-m", model, "-f", "npy", "-o", filepath.Join(dir, "no", "out")}, 1, "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errs := w2v(t, "", append([]string{"export"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.msg) || stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.msg)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("%s holds %d entries, want only mine/", dir, len(entries))
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "notes.txt")); string(b) != "keep" {
		t.Error("the user's directory was changed")
	}
}
