// Package atomicfile writes output files so that a reader never sees a
// half-written one: data goes to a temporary file in the target's directory,
// which is renamed over the target only when the writer commits.
//
// Targets that are not regular files — "-" for standard output, devices such
// as /dev/null or /dev/full, named pipes — cannot be renamed over, so they are
// written directly and their write errors reported as usual.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is an output file under construction. Write to it, then call Commit
// to publish it under its name, or Abort to discard it. Abort after Commit is
// a no-op, so `defer f.Abort()` is the usual pattern.
type File struct {
	f      *os.File
	path   string // the name the caller asked for
	tmp    string // temporary name; empty when writing directly
	stdout bool   // writing to standard output, which we must not close
	done   bool
}

// Create starts writing the file path. Missing or unwritable directories are
// reported here, before any work is done, so callers can fail fast.
func Create(path string) (*File, error) {
	if path == "-" {
		return &File{f: os.Stdout, path: path, stdout: true}, nil
	}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return nil, fmt.Errorf("create %s: is a directory; give a file name", path)
		}
		if !fi.Mode().IsRegular() {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				return nil, fmt.Errorf("create %s: %w", path, err)
			}
			return &File{f: f, path: path}, nil
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if fi, err := os.Stat(dir); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("create %s: directory %s does not exist; create it first", path, dir)
		}
		return nil, fmt.Errorf("create %s: %w", path, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("create %s: %s is not a directory", path, dir)
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name means nothing to the user
		}
		return nil, fmt.Errorf("create %s: cannot write in directory %s: %w", path, dir, err)
	}
	return &File{f: f, path: path, tmp: f.Name()}, nil
}

// Name returns the name the file will have once committed.
func (f *File) Name() string { return f.path }

// Write writes p to the file.
func (f *File) Write(p []byte) (int, error) {
	n, err := f.f.Write(p)
	if err != nil {
		err = fmt.Errorf("write %s: %w", f.path, err)
	}
	return n, err
}

// Commit flushes the data to stable storage and publishes the file under its
// name, replacing any file that was there.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("commit %s: already committed or aborted", f.path)
	}
	f.done = true
	if f.stdout {
		return nil
	}
	if f.tmp == "" {
		if err := f.f.Close(); err != nil {
			return fmt.Errorf("close %s: %w", f.path, err)
		}
		return nil
	}
	// Sync before rename: otherwise a crash can leave the new name pointing at
	// an empty file on some file systems.
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(f.tmp, f.path)
	}
	if err != nil {
		os.Remove(f.tmp)
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Abort discards the file. For a temporary file nothing is left behind; a
// direct target (device, pipe) is only closed.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	if f.stdout {
		return
	}
	f.f.Close()
	if f.tmp != "" {
		os.Remove(f.tmp)
	}
}

// WriteFile writes the output of fill to path atomically: the file appears
// only if fill and the final flush succeed.
func WriteFile(path string, fill func(w io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := fill(f); err != nil {
		return err
	}
	return f.Commit()
}
