// Package testenv finds the external programs and the data some tests
// need, and decides what happens when a program is missing: outside CI the
// test is skipped with a note on how to install it; under CI=true it fails,
// so a missing dependency can never pass silently.
package testenv

import (
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"testing"
)

// WikipediaSlice returns the text of testdata/enwiki-2m.txt.gz (the first
// two million words of the benchmark corpus), for tests of packages two
// folders below the repository root, as all of this project's are. The
// file is closed when the test ends.
func WikipediaSlice(t testing.TB) io.Reader {
	t.Helper()
	f, err := os.Open("../../testdata/enwiki-2m.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// CI reports whether the tests run under continuous integration.
func CI() bool { return os.Getenv("CI") == "true" }

// Missing skips or fails t because a dependency is missing.
func Missing(t testing.TB, what, install string) {
	t.Helper()
	if CI() {
		t.Fatalf("%s is missing and CI=true; install it: %s", what, install)
	}
	t.Skipf("%s is missing; install it to run this test: %s", what, install)
}

// GensimPython returns a Python interpreter that can import gensim. Debian's
// python3-gensim lives under /usr/bin/python3, which may not be the first
// python3 on PATH.
func GensimPython(t testing.TB) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import gensim").Run() == nil {
			return path
		}
	}
	Missing(t, "Python with gensim", "apt-get install -y python3-gensim")
	return ""
}
