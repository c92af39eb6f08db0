package vecfile

import (
	"compress/gzip"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// OutFormat is how a vector file is written: its format, and whether it is
// gzipped.
type OutFormat struct {
	Format Format
	Gzip   bool
}

// String names the format as the commands' summaries show it:
// "word2vec text, gzipped".
func (f OutFormat) String() string {
	if f.Gzip {
		return f.Format.String() + ", gzipped"
	}
	return f.Format.String()
}

// FormatOfName returns the format a file's name asks for, 0 when it names
// none (".bin" binary, ".txt" and ".vec" text, ".w2v" native), and whether it
// ends in ".gz". Other tools read files by these names in these formats, so
// writing anything else under them makes files that fail elsewhere.
func FormatOfName(path string) (f Format, gz bool) {
	name, gz := strings.CutSuffix(strings.ToLower(path), ".gz")
	switch filepath.Ext(name) {
	case ".bin":
		return Binary, gz
	case ".txt", ".vec":
		return Text, gz
	case ".w2v":
		return Native, gz
	}
	return 0, gz
}

// ChooseFormat returns the format to write path in: the one a flag asked for
// (explicit, 0 if none), else the one its name asks for, else def. A name
// ending in .gz is compressed; "-" (standard output) never is. warn is told
// when the flag and the name disagree. The error, for a compressed native
// file, is the caller's usage error to report.
func ChooseFormat(path string, explicit, def Format, warn func(format string, args ...any)) (OutFormat, error) {
	if path == "-" {
		return OutFormat{Format: firstSet(explicit, def)}, nil
	}
	named, gz := FormatOfName(path)
	if explicit != 0 && named != 0 && explicit != named {
		warn("writing %s in %s format as asked, though its name says %s", path, explicit, named)
	}
	f := OutFormat{Format: firstSet(explicit, named, def), Gzip: gz}
	if f.Gzip && f.Format == Native {
		return f, fmt.Errorf("%s: the native format is memory-mapped and cannot be compressed; drop the .gz", path)
	}
	return f, nil
}

// firstSet returns the first of vs that is not 0.
func firstSet(vs ...Format) Format {
	for _, v := range vs {
		if v != 0 {
			return v
		}
	}
	return 0
}

// WriteVectors writes words and their rows of vecs in word2vec's text or
// binary format, gzipped if f says so. The native format needs a
// *Vectors; see WriteNative.
func WriteVectors(w io.Writer, f OutFormat, words []string, vecs []float32, dim int) error {
	write := WriteText
	switch f.Format {
	case Text:
	case Binary:
		write = WriteBinary
	default:
		return fmt.Errorf("cannot write %s here", f.Format)
	}
	if !f.Gzip {
		return write(w, words, vecs, dim)
	}
	zw := gzip.NewWriter(w)
	if err := write(zw, words, vecs, dim); err != nil {
		return err
	}
	return zw.Close()
}
