//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// asNobody runs the w2v binary as user nobody, so file permissions apply
// even when the tests run as root (which ignores them).
func asNobody(t *testing.T, args ...string) (int, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a child process as nobody")
	}
	// The test binary's own directory may be private to root.
	bin := filepath.Join(testDir, "w2v.test")
	if _, err := os.Stat(bin); err != nil {
		self, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(self)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), asCommandEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	cmd.Dir = "/"
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stderr.String()
}

func TestTrainPermissionErrors(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	// t.TempDir's parent is private to root; nobody needs a path it can walk.
	dir, err := os.MkdirTemp("", "w2v-perm-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o777)
	secret := filepath.Join(dir, "secret.txt")
	raw, _ := os.ReadFile(corpus)
	os.WriteFile(secret, raw, 0o600)
	public := filepath.Join(dir, "public.txt")
	os.WriteFile(public, raw, 0o644)
	readonly := filepath.Join(dir, "ro")
	os.Mkdir(readonly, 0o555)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unreadable corpus", []string{"train", secret, "-o", filepath.Join(dir, "v.txt")}, "secret.txt: permission denied"},
		{"unwritable output dir", []string{"train", public, "-o", filepath.Join(readonly, "v.txt")}, "ro/v.txt: cannot write in directory " + readonly + "/: permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stderr := asNobody(t, append(tt.args, "-q", "--epochs", "1")...)
			if code != 1 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 1 and one line with %q", code, stderr, tt.want)
			}
		})
	}
	if ents, _ := os.ReadDir(readonly); len(ents) != 0 {
		t.Errorf("files left in the read-only dir: %v", ents)
	}
}

func TestTrainFullDisk(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	t.Run("/dev/full", func(t *testing.T) {
		code, _, stderr := w2v(t, "", "train", corpus, "-o", "/dev/full", "-q", "--epochs", "1", "--checkpoint", filepath.Join(t.TempDir(), "c"))
		if code != 1 || !strings.Contains(stderr, "write /dev/full: no space left on device") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("small tmpfs", func(t *testing.T) {
		dir := t.TempDir()
		if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=256k"); err != nil {
			t.Skipf("cannot mount a tmpfs here (%v); /dev/full covers the write error", err)
		}
		defer syscall.Unmount(dir, 0)
		out := filepath.Join(dir, "v.txt")
		code, _, stderr := w2v(t, "", "train", corpus, "-o", out, "-q", "--epochs", "1", "--dim", "50")
		if code != 1 || !strings.Contains(stderr, "no space left on device") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("files left on the full disk: %v", ents)
		}
	})
}
