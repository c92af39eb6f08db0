package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// WriteDir makes the directory dir appear whole or not at all: fill writes
// the files named in names into a temporary directory beside dir, which is
// renamed to dir once fill succeeds; on failure it is removed.
//
// An existing dir is replaced only if it is a directory holding nothing but
// files named in names (an earlier export of the same kind); anything else
// is refused before fill runs, so a mistyped -o cannot delete a directory of
// the user's.
func WriteDir(dir string, names []string, fill func(tmp string) error) (err error) {
	if err := checkReplaceable(dir, names); err != nil {
		return err
	}
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("create output directory %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	// MkdirTemp makes the directory private; an export is for sharing.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		return err
	}
	old := ""
	if _, err := os.Lstat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("replace %s: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return fmt.Errorf("create output directory %s: %w", dir, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// CheckDir reports, before any work, why WriteDir could not write dir
// with the files names: its parent directory is missing, or dir is not a
// directory holding only such files.
func CheckDir(dir string, names []string) error {
	parent := filepath.Dir(filepath.Clean(dir))
	if fi, err := os.Stat(parent); err != nil {
		return fmt.Errorf("create output directory %s: %w", dir, err)
	} else if !fi.IsDir() {
		return fmt.Errorf("create output directory %s: %s is not a directory", dir, parent)
	}
	return checkReplaceable(dir, names)
}

// checkReplaceable reports why dir cannot be written by WriteDir: it is not
// a directory, or it holds something other than the files named in names.
func checkReplaceable(dir string, names []string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("output %s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !slices.Contains(names, e.Name()) {
			return fmt.Errorf("output directory %s holds %s, which this export does not write; "+
				"choose a new or empty directory", dir, e.Name())
		}
	}
	return nil
}

// writeFile creates the file name in dir and writes it with fill, flushed
// to stable storage.
func writeFile(dir, name string, fill func(w io.Writer) error) error {
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
