package main

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// asCommandEnv, set to 1 in the environment, makes the test binary run its
// arguments as the w2v command line instead of the tests: tests that need a
// separate process (signals, another user) run the code under test without
// building it.
const asCommandEnv = "W2V_TEST_AS_COMMAND"

// testDir holds files shared by the tests (corpora); TestMain removes it.
var testDir string

func TestMain(m *testing.M) {
	if os.Getenv(asCommandEnv) == "1" {
		// The command refuses unknown W2V_ variables; this one is the test's.
		os.Unsetenv(asCommandEnv)
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	dir, err := os.MkdirTemp("", "w2v-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Readable by all, for the tests that run the command as another user.
	os.Chmod(dir, 0o755)
	testDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// w2vCommand returns a child process that runs the w2v command line args.
func w2vCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), asCommandEnv+"=1")
	return cmd
}
