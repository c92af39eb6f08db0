package main

import (
	"bytes"
	"strings"
	"testing"
)

// w2v runs the command line args in-process, with stdin as standard input,
// and returns the exit code and what it printed.
func w2v(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}
