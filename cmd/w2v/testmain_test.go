package main

import (
	"fmt"
	"os"
	"testing"
)

// sharedDir holds what the package's tests build once and share: the
// binary, the small corpora. t.TempDir would vanish with the first test
// that asked, so TestMain makes it and removes it when every test is done.
var sharedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "w2v-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// fs_test.go runs the binary as nobody, who must be able to reach it.
	os.Chmod(dir, 0o755)
	sharedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
