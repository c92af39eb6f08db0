package job

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

func TestConvert(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(in, []byte("3 2\nking 1 0\nqueen 0.5 0.5\nman 0 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, input, output string
		format              vecfile.Format
		want                vecfile.Format // of the file written; 0 when refused
		err                 string
		usage               bool
	}{
		{"native by default", in, "out.w2v", 0, vecfile.Native, "", false},
		{"binary by name", in, "out.bin", 0, vecfile.Binary, "", false},
		{"text by flag", in, "out.vec", vecfile.Text, vecfile.Text, "", false},
		{"no output", in, "", 0, 0, "no output file", true},
		{"no fasttext output", in, "", vecfile.FastTextBin, 0, "no output file", true},
		{"missing model", filepath.Join(dir, "nope"), "out.w2v", 0, 0, "does not exist", false},
		{"fasttext from text", in, "out.bin", vecfile.FastTextBin, 0, "is not a fastText .bin model", false},
		{"output is input", in, "in.txt", vecfile.Text, 0, "would destroy the input", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := tc.output
			if out != "" {
				out = filepath.Join(dir, out)
			}
			var stderr bytes.Buffer
			err := Convert(Streams{Err: &stderr}, tc.input, out, tc.format)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one saying %q", err, tc.err)
				}
				var u failure.UsageError
				if errors.As(err, &u) != tc.usage {
					t.Errorf("error %v: usage error %v, want %v", err, !tc.usage, tc.usage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(stderr.String(), "convert: 3 words × 2 from ") {
				t.Errorf("summary %q", stderr.String())
			}
			v, err := vecfile.Open(out, vecfile.Options{Raw: true})
			if err != nil {
				t.Fatal(err)
			}
			defer v.Close()
			if v.Format != tc.want || v.Len() != 3 || v.Word(1) != "queen" {
				t.Errorf("wrote %v with %d words, want %v with 3", v.Format, v.Len(), tc.want)
			}
		})
	}
}
