package corpus

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// Inputs opens corpus files for sharding. Regular files are read in place.
// Standard input ("-"), gzip files and other streams (pipes, FIFOs) cannot
// be split by offset, so they are first copied — decompressed — into
// a temporary file in spoolDir: one sequential pass, after which they shard
// like any file. read, if not nil, is advanced by the bytes read from the
// sources while spooling, so another goroutine can follow it. Close the returned closer to release the files.
//
// Gzip data is recognised by its first bytes, not its name, so a compressed
// corpus named like text (or read from a pipe) is still decompressed.
func Inputs(paths []string, stdin io.Reader, spoolDir string, read *atomic.Int64) ([]*Input, io.Closer, error) {
	var files closers
	inputs := make([]*Input, 0, len(paths))
	for _, p := range paths {
		in, err := openInput(p, stdin, spoolDir, read, &files)
		if err != nil {
			files.Close()
			return nil, nil, err
		}
		inputs = append(inputs, in)
	}
	return inputs, files, nil
}

func openInput(path string, stdin io.Reader, spoolDir string, read *atomic.Int64, files *closers) (*Input, error) {
	if path == "-" {
		return spool("standard input", stdin, spoolDir, read, files)
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("corpus %s does not exist", path)
		}
		return nil, fmt.Errorf("corpus: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if fi.IsDir() {
		f.Close()
		return nil, fmt.Errorf("corpus %s is a directory; give the text files in it", path)
	}
	if fi.Mode().IsRegular() {
		var head [len(gzipMagic)]byte
		n, _ := f.ReadAt(head[:], 0)
		if string(head[:n]) != gzipMagic {
			*files = append(*files, f)
			return &Input{Name: path, R: f, Size: fi.Size()}, nil
		}
	}
	defer f.Close()
	return spool(path, f, spoolDir, read, files)
}

// gzipMagic starts every gzip stream (RFC 1952).
const gzipMagic = "\x1f\x8b"

// spool copies src, gunzipped if it is gzip data, to an anonymous temporary
// file.
func spool(name string, src io.Reader, dir string, read *atomic.Int64, files *closers) (*Input, error) {
	if read != nil {
		src = CountingReader(src, read)
	}
	br := bufio.NewReaderSize(src, 1<<20)
	src = br
	if head, _ := br.Peek(len(gzipMagic)); string(head) == gzipMagic {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w (the gzip data is corrupt)", name, err)
		}
		defer zr.Close()
		src = zr
	}
	tmp, err := os.CreateTemp(dir, ".w2v-spool-*")
	if err != nil {
		return nil, fmt.Errorf("spool %s: %w", name, err)
	}
	tmpName := tmp.Name()
	// On Unix the name can go at once; the data stays until the file is
	// closed, and nothing is left behind even if the process is killed.
	removed := os.Remove(tmpName) == nil
	n, err := io.Copy(tmp, src)
	if err != nil {
		tmp.Close()
		if !removed {
			os.Remove(tmpName)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) {
			return nil, fmt.Errorf("read %s: %w (the file is truncated or corrupt)", name, err)
		}
		return nil, fmt.Errorf("spool %s to %s: %w", name, dir, err)
	}
	c := io.Closer(tmp)
	if !removed {
		c = removeOnClose{tmp}
	}
	*files = append(*files, c)
	return &Input{Name: name, R: tmp, Size: n}, nil
}

type removeOnClose struct{ f *os.File }

func (r removeOnClose) Close() error {
	err := r.f.Close()
	os.Remove(r.f.Name())
	return err
}

type closers []io.Closer

func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
