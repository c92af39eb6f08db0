package main

// The README's tour, config example and flag table, run as written.
//
// How README lines map to runnable ones:
//   - Every line of the ```sh blocks under "## A short tour" that is not a
//     comment is run in order, in one temporary directory, in-process, and
//     must exit 0. A trailing "# comment" is dropped. "zcat FILE | w2v ..."
//     and "cat FILE | w2v ..." feed FILE (gunzipped for zcat) as standard
//     input, and so does "w2v ... < FILE"; in "w2v ... | head" only w2v
//     runs. No other shell syntax is understood: a new tour line that needs
//     more fails this test until the test learns it.
//   - The files the lines name exist there: corpus.txt (the first words of
//     testdata/enwiki-2m.txt.gz), corpus.txt.gz and big.txt.gz (the same,
//     gzipped), questions-words.txt and EN-WS-353-ALL.txt (a few questions
//     and pairs over words of that corpus). A line that writes a file makes
//     it available to the lines after it (vectors.bin, phrased1.txt).
//   - W2V_TRAIN_EPOCHS=1 keeps training short; a line's own --epochs still
//     wins. Progress is turned off by W2V_<COMMAND>_QUIET where a command
//     has --quiet.
//   - The yaml block under "**Settings.**" is given to a train run as
//     --config: it must be accepted, and each setting must be listed as
//     applied.
//   - The flag table (header "| word2vec |"): each row's w2v cell must be
//     flags that w2v train accepts; each other cell, spelled as that tool
//     spells it (gensim's name=value is typed --name value; a cell marked
//     "(command)" is a command), must either be a usage error whose message
//     names the w2v cell's first word, or parse to the same values as the
//     w2v cell. "—" marks a cell with no equivalent.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/w2vtool/w2v/internal/testenv"
)

// readmeCorpusWords is enough of the Wikipedia slice for every word the
// tour asks about (king, paris, man, woman) to reach --min-count 5.
const readmeCorpusWords = 200_000

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readmeSection returns the README's text from the line starting with
// heading to the next heading of level 2.
func readmeSection(t *testing.T, text, heading string) string {
	t.Helper()
	i := strings.Index(text, "\n"+heading)
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	rest := text[i+1:]
	if j := strings.Index(rest[len(heading):], "\n## "); j >= 0 {
		rest = rest[:len(heading)+j]
	}
	return rest
}

// codeBlocks returns the lines of the fenced blocks of language lang in
// text.
func codeBlocks(text, lang string) [][]string {
	var blocks [][]string
	var cur []string
	in := false
	for line := range strings.SplitSeq(text, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```"+lang:
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, cur)
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}

// firstWords returns the first n words of the Wikipedia slice in testdata.
func firstWords(t *testing.T, n int) []byte {
	t.Helper()
	r := bufio.NewReader(testenv.WikipediaSlice(t))
	var b bytes.Buffer
	for range n {
		w, err := r.ReadString(' ')
		b.WriteString(w)
		if err != nil {
			break
		}
	}
	return bytes.TrimSpace(b.Bytes())
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readmeFiles makes, in the working directory, the files the tour names.
func readmeFiles(t *testing.T, corpus []byte) {
	t.Helper()
	files := map[string][]byte{
		"corpus.txt":    corpus,
		"corpus.txt.gz": gzipped(t, corpus),
		"big.txt.gz":    gzipped(t, corpus),
		"questions-words.txt": []byte(": capital-common-countries\nparis france london england\nlondon england paris france\n" +
			": gram1-adjective-to-adverb\nking man paris france\n"),
		"EN-WS-353-ALL.txt": []byte("# word pairs\nking\tman\t5.5\nparis\tfrance\t8.0\nlondon\tengland\t8.2\nfrance\tgermany\t6.1\nman\twoman\t8.3\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// shellWords splits a README command line at spaces; the tour uses no
// quoting.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	if strings.ContainsAny(line, `'"\$;&<>|`+"`") {
		t.Fatalf("README line %q uses shell syntax this test does not run", line)
	}
	return strings.Fields(line)
}

// runReadmeLine runs one tour line and returns its exit code and output.
func runReadmeLine(t *testing.T, line string) (int, string) {
	t.Helper()
	var stdin []byte
	parts := strings.Split(line, "|")
	if len(parts) > 1 && !strings.HasPrefix(strings.TrimSpace(parts[0]), "w2v ") {
		pre, cmd := parts[0], parts[1]
		w := shellWords(t, pre)
		if len(w) != 2 || (w[0] != "zcat" && w[0] != "cat") {
			t.Fatalf("README line %q: only \"zcat FILE |\" or \"cat FILE |\" can come before w2v", line)
		}
		data, err := os.ReadFile(w[1])
		if err != nil {
			t.Fatal(err)
		}
		if w[0] == "zcat" {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		stdin, line = data, cmd
	} else {
		line = parts[0] // the w2v command of "w2v ... | head"
	}
	if cmd, file, ok := strings.Cut(line, "<"); ok {
		data, err := os.ReadFile(strings.TrimSpace(file))
		if err != nil {
			t.Fatal(err)
		}
		stdin, line = data, cmd
	}
	args := shellWords(t, line)
	if len(args) == 0 || args[0] != "w2v" {
		t.Fatalf("README line %q does not run w2v", line)
	}
	code, stdout, stderr := w2v(t, string(stdin), args[1:]...)
	return code, stdout + stderr
}

func TestReadmeTour(t *testing.T) {
	text := readme(t)
	tour := readmeSection(t, text, "## A short tour")
	corpus := firstWords(t, readmeCorpusWords)
	t.Chdir(t.TempDir())
	readmeFiles(t, corpus)
	t.Setenv("W2V_TRAIN_EPOCHS", "1")
	t.Setenv("W2V_TRAIN_QUIET", "true")
	t.Setenv("W2V_PHRASES_QUIET", "true")
	ran := 0
	for _, block := range codeBlocks(tour, "sh") {
		for _, line := range block {
			if i := strings.Index(line, "#"); i >= 0 {
				line = line[:i]
			}
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			ran++
			if code, out := runReadmeLine(t, line); code != 0 {
				t.Errorf("README: %s\nexit %d:\n%s", line, code, out)
			}
		}
	}
	if ran < 5 {
		t.Errorf("ran only %d lines of the tour; did its layout change?", ran)
	}
}

func TestReadmeConfigExample(t *testing.T) {
	settings := readmeSection(t, readme(t), "## A short tour")
	blocks := codeBlocks(settings, "yaml")
	if len(blocks) != 1 {
		t.Fatalf("want one yaml block in the tour, found %d", len(blocks))
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w2v.yaml")
	yaml := strings.Join(blocks[0], "\n")
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	// A missing corpus fails after the config is applied, so nothing trains.
	code, _, stderr := w2v(t, "", "train", filepath.Join(dir, "missing.txt"), "--config", cfg)
	if code != exitError || !strings.Contains(stderr, "missing.txt does not exist") {
		t.Fatalf("exit %d, %s; want the config accepted and the corpus missing", code, stderr)
	}
	// Each "  key: value" line of the train section is listed as applied.
	inTrain := false
	for _, line := range blocks[0] {
		switch {
		case strings.HasPrefix(line, "train:"):
			inTrain = true
		case !strings.HasPrefix(line, " "):
			inTrain = false
		case inTrain:
			k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
			if want := k + "=" + strings.TrimSpace(v) + " (" + cfg + ")"; !strings.Contains(stderr, want) {
				t.Errorf("settings listed: %s\nwant %q", stderr, want)
			}
		}
	}
}

var codeSpan = regexp.MustCompile("`([^`]*)`")

// tableArgs turns a flag-table cell into w2v's arguments: the cell's first
// code span, with gensim's "name=value, name=value" typed as "--name value
// --name value". It returns nil for a cell with no equivalent.
func tableArgs(cell string, gensim bool) []string {
	m := codeSpan.FindStringSubmatch(cell)
	if m == nil {
		return nil
	}
	if !gensim {
		return strings.Fields(m[1])
	}
	var args []string
	for kv := range strings.SplitSeq(m[1], ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		args = append(args, "--"+k, v)
	}
	return args
}

// parsedTrainFlags returns the values of the train flags args set, or an
// error if train does not accept them.
func parsedTrainFlags(args []string) (map[string]string, error) {
	cmd := newTrainCmd(streams{})
	if err := cmd.ParseFlags(args); err != nil {
		return nil, err
	}
	vals := map[string]string{}
	cmd.Flags().Visit(func(f *pflag.Flag) { vals[f.Name] = f.Value.String() })
	return vals, nil
}

func TestReadmeFlagTable(t *testing.T) {
	text := readme(t)
	i := strings.Index(text, "\n| word2vec |")
	if i < 0 {
		t.Fatal("README has no flag table (header \"| word2vec |\")")
	}
	lines := strings.Split(text[i+1:], "\n")
	header := strings.Split(strings.Trim(lines[0], "| "), " | ")
	gensimCol := -1
	for c, h := range header {
		if strings.HasPrefix(h, "gensim") {
			gensimCol = c
		}
	}
	missing := filepath.Join(t.TempDir(), "missing.txt")
	rows := 0
	for _, line := range lines[2:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		rows++
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != len(header) {
			t.Errorf("row %q has %d cells, want %d", line, len(cells), len(header))
			continue
		}
		ours := tableArgs(cells[len(cells)-1], false)
		want, err := parsedTrainFlags(ours)
		if err != nil {
			t.Errorf("%q: w2v train rejects %q: %v", line, ours, err)
			continue
		}
		if code, _, stderr := w2v(t, "", append([]string{"train", missing}, ours...)...); code != exitError {
			t.Errorf("w2v train %q: exit %d, %s", ours, code, stderr)
		}
		for c, cell := range cells[:len(cells)-1] {
			theirs := tableArgs(cell, c == gensimCol)
			if theirs == nil {
				continue
			}
			args := append([]string{"train", missing}, theirs...)
			if strings.Contains(cell, "(command)") {
				args = theirs
			}
			code, _, stderr := w2v(t, "", args...)
			switch code {
			case exitUsage:
				if !strings.Contains(stderr, ours[0]) {
					t.Errorf("%s %q: %s\nwant a hint naming %s", header[c], theirs, stderr, ours[0])
				}
			default:
				got, err := parsedTrainFlags(theirs)
				if err != nil || len(got) != len(want) {
					t.Errorf("%s %q: exit %d (%s), flags %v; want a usage error or the flags of %q", header[c], theirs, code, stderr, got, ours)
					continue
				}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%s %q sets --%s=%s; w2v's %q sets %s", header[c], theirs, k, got[k], ours, v)
					}
				}
			}
		}
	}
	if rows < 10 {
		t.Errorf("flag table has %d rows; did its layout change?", rows)
	}
}
