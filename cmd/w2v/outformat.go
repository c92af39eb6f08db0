package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/w2vtool/w2v/internal/vecfile"
)

// outFormat is how a vector file is written.
type outFormat struct {
	format vecfile.Format
	gzip   bool
}

func (f outFormat) String() string {
	if f.gzip {
		return f.format.String() + ", gzipped"
	}
	return f.format.String()
}

// formatOfName returns the format a file's name asks for, 0 when it names
// none (".bin" binary, ".txt" and ".vec" text, ".w2v" native), and whether it
// ends in ".gz". Other tools read files by these names in these formats, so
// writing anything else under them makes files that fail elsewhere.
func formatOfName(path string) (f vecfile.Format, gz bool) {
	name, gz := strings.CutSuffix(strings.ToLower(path), ".gz")
	switch filepath.Ext(name) {
	case ".bin":
		return vecfile.Binary, gz
	case ".txt", ".vec":
		return vecfile.Text, gz
	case ".w2v":
		return vecfile.Native, gz
	}
	return 0, gz
}

// chooseFormat returns the format to write path in: the one a flag asked for
// (explicit, 0 if none), else the one its name asks for, else def. A name
// ending in .gz is compressed. warn is told when the flag and the name
// disagree.
func chooseFormat(path string, explicit, def vecfile.Format, warn func(format string, args ...any)) (outFormat, error) {
	if path == "-" {
		return outFormat{format: firstSet(explicit, def)}, nil
	}
	named, gz := formatOfName(path)
	if explicit != 0 && named != 0 && explicit != named {
		warn("writing %s in %s format as asked, though its name says %s", path, explicit, named)
	}
	f := outFormat{format: firstSet(explicit, named, def), gzip: gz}
	if f.gzip && f.format == vecfile.Native {
		return f, usagef("%s: the native format is memory-mapped and cannot be compressed; drop the .gz", path)
	}
	return f, nil
}

// firstSet returns the first of vs that is not 0.
func firstSet(vs ...vecfile.Format) vecfile.Format {
	for _, v := range vs {
		if v != 0 {
			return v
		}
	}
	return 0
}

// writeVectors writes words and their rows of vecs in word2vec's text or
// binary format, gzipped if f says so.
func writeVectors(w io.Writer, f outFormat, words []string, vecs []float32, dim int) error {
	write := vecfile.WriteText
	switch f.format {
	case vecfile.Text:
	case vecfile.Binary:
		write = vecfile.WriteBinary
	default:
		return fmt.Errorf("cannot write %s here", f.format)
	}
	if !f.gzip {
		return write(w, words, vecs, dim)
	}
	zw := gzip.NewWriter(w)
	if err := write(zw, words, vecs, dim); err != nil {
		return err
	}
	return zw.Close()
}
