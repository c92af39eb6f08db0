package query

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/vecfile"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	dup := filepath.Join(dir, "dup.txt")
	if err := os.WriteFile(dup, []byte("3 2\na 1 0\nb 0 1\na 1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		opts       vecfile.Options
		err, warn  string
		words      int
	}{
		{"missing file", filepath.Join(dir, "none.bin"), vecfile.Options{}, "none.bin does not exist", "", 0},
		{"repeated word", dup, vecfile.Options{}, "", "repeats 1 word; the first vector of each is used", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w bytes.Buffer
			v, err := Load(&w, tc.path, tc.opts)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer v.Close()
			if v.Len() != tc.words || !strings.Contains(w.String(), tc.warn) {
				t.Errorf("%d words, output %q; want %d words and %q", v.Len(), w.String(), tc.words, tc.warn)
			}
		})
	}
}

// TestLoadModelEmptyPath: no -m is a usage error, before any file is read.
func TestLoadModelEmptyPath(t *testing.T) {
	_, err := LoadModel(new(bytes.Buffer), "")
	var ue failure.UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "no model given") {
		t.Errorf("error %v, want a usage error saying no model was given", err)
	}
}
