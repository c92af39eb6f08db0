package job

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadWordList(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
		err        string
	}{
		{"plain", "king\nqueen\n", []string{"king", "queen"}, ""},
		{"blanks and spaces", "\n  king \n\n\tqueen\nman", []string{"king", "queen", "man"}, ""},
		{"empty", "", nil, ""},
		{"two words", "king\nnew york\n", nil, `line 2: "new york" is more than one word`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "words")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadWordList(path)
			switch {
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want one saying %q", err, tc.err)
			case tc.err == "" && err != nil:
				t.Fatal(err)
			case !slices.Equal(got, tc.want):
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := ReadWordList(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing file: error %v", err)
	}
}
