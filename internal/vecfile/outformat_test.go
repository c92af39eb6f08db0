package vecfile

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

func TestFormatOfName(t *testing.T) {
	tests := []struct {
		path string
		f    Format
		gz   bool
	}{
		{"v.bin", Binary, false},
		{"dir.txt/V.BIN", Binary, false},
		{"v.txt", Text, false},
		{"wiki.vec", Text, false},
		{"v.txt.gz", Text, true},
		{"v.bin.gz", Binary, true},
		{"v.w2v", Native, false},
		{"vectors", 0, false},
		{"v.gz", 0, true},
		{"v.bin.old", 0, false},
	}
	for _, tt := range tests {
		if f, gz := FormatOfName(tt.path); f != tt.f || gz != tt.gz {
			t.Errorf("FormatOfName(%q) = %v, %v; want %v, %v", tt.path, f, gz, tt.f, tt.gz)
		}
	}
}

func TestChooseFormat(t *testing.T) {
	tests := []struct {
		path          string
		explicit, def Format
		want          OutFormat
		warn, err     bool
	}{
		{"v.bin", 0, Text, OutFormat{Binary, false}, false, false},
		{"v", 0, Native, OutFormat{Native, false}, false, false},
		{"v.txt.gz", 0, Native, OutFormat{Text, true}, false, false},
		{"v.txt", Binary, Text, OutFormat{Binary, false}, true, false},
		{"v.bin", Binary, Text, OutFormat{Binary, false}, false, false},
		{"-", 0, Text, OutFormat{Text, false}, false, false},
		{"-", Binary, Text, OutFormat{Binary, false}, false, false},
		{"v.w2v.gz", 0, Text, OutFormat{Native, true}, false, true},
		{"v.gz", Native, Text, OutFormat{Native, true}, false, true},
	}
	for _, tt := range tests {
		warned := false
		got, err := ChooseFormat(tt.path, tt.explicit, tt.def, func(string, ...any) { warned = true })
		if got != tt.want || warned != tt.warn || (err != nil) != tt.err {
			t.Errorf("ChooseFormat(%q, %v, %v) = %v, %v (warned %v); want %v, error %v (warn %v)",
				tt.path, tt.explicit, tt.def, got, err, warned, tt.want, tt.err, tt.warn)
		}
	}
}

func TestWriteVectorsGzip(t *testing.T) {
	words, vecs := []string{"a", "b"}, []float32{1, 0, 0, 1}
	var plain, zipped bytes.Buffer
	if err := WriteVectors(&plain, OutFormat{Format: Text}, words, vecs, 2); err != nil {
		t.Fatal(err)
	}
	if err := WriteVectors(&zipped, OutFormat{Format: Text, Gzip: true}, words, vecs, 2); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&zipped)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(unzipped) != plain.String() || !strings.HasPrefix(plain.String(), "2 2\n") {
		t.Errorf("gzipped text %q, plain %q; want the same text", unzipped, plain.String())
	}
	if err := WriteVectors(io.Discard, OutFormat{Format: Native}, words, vecs, 2); err == nil {
		t.Error("WriteVectors wrote the native format; want an error")
	}
}
