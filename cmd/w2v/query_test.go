package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/checkpoint"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/skipgram"
)

// toyVectors has man:king :: woman:queen built in.
const toyVectors = `8 4
the 0.1 0.1 0.1 0.1
man 1 0 0 0
king 1 0 1 0
woman 0 1 0 0
queen 0 1 1 0.05
prince 1 0 1 0.3
Paris 0 0 0.2 1
cat 0.5 0.5 0 0
`

// writeFile writes data to name in a temporary directory and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNearest(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	code, out, errs := w2v(t, "", "nearest", "-m", model, "-k", "2", "king", "woman")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := `Nearest to king:
  1  prince  0.9782
  2  the     0.7071

Nearest to woman:
  1  cat    0.7071
  2  queen  0.7067
`
	if out != want {
		t.Fatalf("output\n%s\nwant\n%s", out, want)
	}
}

func TestNearestUnknownWord(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	code, out, errs := w2v(t, "", "nearest", "-m", model, "paris", "king")
	if code != exitError {
		t.Fatalf("exit %d, want %d", code, exitError)
	}
	if !strings.Contains(errs, `w2v: "paris" is not in the vocabulary (but "Paris" is)`) ||
		!strings.Contains(errs, "w2v: 1 of 2 queries could not be answered") {
		t.Errorf("stderr %q", errs)
	}
	if !strings.Contains(out, "Nearest to king:") {
		t.Errorf("the known word was not answered: %q", out)
	}
}

func TestNearestStdinJSON(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	code, out, errs := w2v(t, "king\n\nman woman\r\nnope\n", "nearest", "-m", model, "-k", "1", "--json")
	if code != exitError {
		t.Fatalf("exit %d (%s), want 1 for the unknown word", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 JSON lines, got %q", out)
	}
	var res []struct {
		query.NearestResult
		Error string
	}
	for _, l := range lines {
		var r struct {
			query.NearestResult
			Error string
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		res = append(res, r)
	}
	if res[0].Query != "king" || res[0].Neighbors[0].Word != "prince" ||
		res[1].Query != "man woman" || res[1].Neighbors[0].Word != "cat" ||
		res[2].Error != `"nope" is not in the vocabulary` {
		t.Fatalf("got %+v", res)
	}
}

func TestAnalogyQueries(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	for _, args := range [][]string{
		{"man", "king", "woman"},
		{"king", "-", "man", "+", "woman"},
	} {
		for _, method := range []string{"add", "mul"} {
			code, out, errs := w2v(t, "", append([]string{"analogy", "-m", model, "--method", method, "-k", "1"}, args...)...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, errs)
			}
			if !strings.HasPrefix(out, "king - man + woman:\n  1  queen  ") {
				t.Errorf("%v --method %s: output %q", args, method, out)
			}
		}
	}
	code, out, _ := w2v(t, "man king woman\nking - man\n", "analogy", "-m", model, "-k", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, `"query":"king - man + woman","positive":["king","woman"],"negative":["man"],"method":"3CosAdd","answers":[{"word":"queen"`) ||
		!strings.Contains(out, `"query":"king - man","positive":["king"],"negative":["man"]`) {
		t.Errorf("output %s", out)
	}
}

func TestAnalogyBadQueries(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"king", "queen"}, exitUsage, `"king queen": want three words "a b c"`},
		{[]string{"king", "-", "man", "woman"}, exitUsage, `missing + or - between "man" and "woman"`},
		{[]string{"king", "+"}, exitUsage, "expression ends with an operator"},
		{[]string{"--method", "div", "a", "b", "c"}, exitUsage, `--method must be add or mul, got "div"`},
		{[]string{"man", "king", "girl"}, exitError, `"girl" is not in the vocabulary`},
		{[]string{"-k", "0", "a", "b", "c"}, exitUsage, "--top must be at least 1"},
	} {
		code, _, errs := w2v(t, "", append([]string{"analogy", "-m", model}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}

// TestAnalogyMinusWord: the flag parser reads "-man" as "-m an" and
// "-woman" as flags; the command says how to write the query instead of
// loading a model named "an".
func TestAnalogyMinusWord(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	hint := `to subtract a word write the minus on its own, "king - man + woman", or put -- before the query`
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-m", model, "king", "-man", "+", "woman"}, `the model is already "` + model + `", and "-man" reads as -m an: ` + hint},
		{[]string{"king", "-man", "+", "woman", "-m", model}, `the model is already "an", and "-m` + model + `" reads as -m ` + model},
		{[]string{"-m", model, "man", "-woman"}, "unknown shorthand flag: 'w' in -woman; " + hint},
		{[]string{"-m", model, "queen", "-king"}, `invalid argument "ing" for "-k, --top" flag: must be an integer; ` + hint},
	} {
		code, out, errs := w2v(t, "", append([]string{"analogy"}, tc.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, out, errs, exitUsage, tc.want)
		}
	}
	code, out, errs := w2v(t, "", "analogy", "-m", model, "-k", "1", "--", "king", "-man", "+woman")
	if code != 0 || !strings.HasPrefix(out, "king - man + woman:\n  1  queen  ") {
		t.Errorf("after --: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, _, errs = w2v(t, "", "nearest", "-m", model, "-m", model, "king")
	if code != exitUsage || !strings.Contains(errs, `the model is already "`+model+`"; give -m once`) {
		t.Errorf("nearest -m twice: exit %d, stderr %q", code, errs)
	}
}

const toyQuestions = `: family
man king woman queen
MAN KING WOMAN QUEEN
man king woman girl
: capital
man king woman prince
`

func TestAnalogyQuestions(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	qs := writeFile(t, "q.txt", []byte(toyQuestions))
	code, out, errs := w2v(t, "", "analogy", "-m", model, "--questions", qs)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"3CosAdd, all 8 words, ignoring case",
		"family     100.00%        2         2          3",
		"capital      0.00%        0         1          1",
		"total       66.67%        2         3          4",
		"answered 3 of 4 questions (75.00%)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = w2v(t, "", "analogy", "-m", model, "--questions", qs, "--json", "--restrict", "4", "--case-sensitive")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Restrict int
		Total    struct{ Correct, Answered, Total int }
		Coverage float64
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// With the first 4 words only, queen and prince are unknown.
	if rep.Restrict != 4 || rep.Total.Answered != 0 || rep.Total.Total != 4 || rep.Coverage != 0 {
		t.Errorf("got %+v from %s", rep, out)
	}
}

func TestAnalogyQuestionsRestrictDefault(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	qs := writeFile(t, "q.txt", []byte(toyQuestions))
	_, out, _ := w2v(t, "", "analogy", "-m", model, "--questions", qs, "--json")
	if !strings.Contains(out, `"restrict": 30000`) {
		t.Errorf("--questions should default to --restrict 30000: %s", out)
	}
}

func TestSimilarity(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	pairs := writeFile(t, "ws.txt", []byte("king\tqueen\t8\r\nking\tprince\t9\r\nman\tcat\t1\r\nKING\tPARIS\t2\r\nman\tunicorn\t5"))
	code, out, errs := w2v(t, "", "similarity", "-m", model, "--pairs", pairs, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Words int
		Sets  []struct {
			File              string
			Answered, Total   int
			Spearman, Pearson float64
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Words != 8 || len(res.Sets) != 1 || res.Sets[0].File != pairs || res.Sets[0].Total != 5 || res.Sets[0].Answered != 4 || math.IsNaN(res.Sets[0].Spearman) {
		t.Fatalf("got %+v from %s", res, out)
	}
	code, out, _ = w2v(t, "", "similarity", "-m", model, "man", "man", "man", "woman")
	if code != 0 || out != "man  man    1.0000\nman  woman  0.0000\n" {
		t.Fatalf("exit %d, output %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"man"}, exitUsage, "words come in pairs; 1 word given"},
		{[]string{"man", "woman", "cat"}, exitUsage, "words come in pairs; 3 words given"},
		{[]string{"--pairs", pairs + ".missing"}, exitError, "pairs file " + pairs + ".missing does not exist"},
	} {
		code, _, errs := w2v(t, "", append([]string{"similarity", "-m", model}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}

// TestSimilarityStdin: with no words and no --pairs, similarity reads pairs
// from standard input, as nearest and analogy read queries.
func TestSimilarityStdin(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	in := "man man\n\nman woman\r\nman unicorn\njust one\tword too many\n"
	code, out, errs := w2v(t, in, "similarity", "-m", model)
	wantOut := "man" + strings.Repeat(" ", 21) + "man      1.0000\nman" + strings.Repeat(" ", 21) + "woman    0.0000\nman" + strings.Repeat(" ", 21) + "unicorn       -\n" +
		"just one word too many                -\n"
	wantErr := "w2v: \"unicorn\" is not in the vocabulary\nw2v: \"just one word too many\": want two words\nw2v: 2 of 4 queries could not be answered\n"
	if code != exitError || out != wantOut || errs != wantErr {
		t.Errorf("exit %d\nstdout %q\nwant   %q\nstderr %q\nwant   %q", code, out, wantOut, errs, wantErr)
	}
	code, out, errs = w2v(t, in, "similarity", "-m", model, "--json")
	wantOut = `{"word1":"man","word2":"man","cosine":1}
{"word1":"man","word2":"woman","cosine":0}
{"word1":"man","word2":"unicorn","error":"\"unicorn\" is not in the vocabulary"}
{"word1":"just one word too many","word2":"","error":"\"just one word too many\": want two words"}
`
	if code != exitError || out != wantOut || errs != "w2v: 2 of 4 queries could not be answered\n" {
		t.Errorf("--json: exit %d\nstdout %s\nwant\n%s\nstderr %q", code, out, wantOut, errs)
	}
}

// TestQueryCounts: numbers and nouns agree in the messages.
func TestQueryCounts(t *testing.T) {
	model := writeFile(t, "one.txt", []byte("1 2\nking 1 0\n"))
	qs := writeFile(t, "q.txt", []byte(": s\nman king woman queen\n"))
	code, out, errs := w2v(t, "", "analogy", "-m", model, "--questions", qs)
	if code != 0 || !strings.Contains(out, "3CosAdd, all 1 word, ignoring case") || !strings.Contains(out, "answered 0 of 1 question (0.00%)") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	q1 := writeFile(t, "q1.txt", []byte(": s\nman\n"))
	if _, _, errs := w2v(t, "", "analogy", "-m", model, "--questions", q1); !strings.Contains(errs, q1+`:2: 1 word; want 4`) {
		t.Errorf("stderr %q", errs)
	}
}

func TestConvertRoundTrip(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	dir := t.TempDir()
	native := filepath.Join(dir, "toy.w2v")
	back := filepath.Join(dir, "back.txt")
	if code, _, errs := w2v(t, "", "convert", model, "-o", native); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, want, _ := w2v(t, "", "nearest", "-m", model, "king", "Paris")
	_, got, _ := w2v(t, "", "nearest", "-m", native, "king", "Paris")
	if got != want || got == "" {
		t.Fatalf("native model answers\n%s\nthe text model\n%s", got, want)
	}
	if code, _, errs := w2v(t, "", "convert", native, "--format", "text", "-o", back); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	text, _ := os.ReadFile(back)
	if !strings.HasPrefix(string(text), "8 4\nthe 0.1 0.1 0.1 0.1\nman 1 0 0 0\n") {
		t.Errorf("converted back:\n%s", text)
	}
	if code, _, errs := w2v(t, "", "convert", model, "--format", "csv", "-o", back); code != exitUsage || !strings.Contains(errs, "--format must be native, text, binary or fasttext") {
		t.Errorf("exit %d, %s", code, errs)
	}
}

func TestQueryModelErrors(t *testing.T) {
	bin := func(header string, rows ...[]byte) []byte { return append([]byte(header), bytes.Join(rows, nil)...) }
	row := func(w string, vals ...float32) []byte {
		b := []byte(w + " ")
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
		return append(b, '\n')
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string // after "w2v: <path>"
	}{
		{"bad header", []byte("hello world again\n"), `:1: first line "hello world again\n" is not a "WORDS DIMENSIONS" header`},
		{"short row", []byte("2 3\nking 1 2 3\nqueen 1 2\n\n\n\n"), `:3: word "queen": 2 values; the header announces 3`},
		{"not a number", []byte("1 3\nking 1 two 3\n"), `:2: word "king": value 2 ("two") is not a number`},
		{"nan", []byte("1 3\nking 1 NaN 3\n"), `:2: word "king": value 2 is NaN`},
		{"inf", bin("1 2\n", row("king", 1, float32(math.Inf(-1)))), `: offset 13: value 2 of "king" is -Inf`},
		{"truncated binary", bin("2 2\n", row("king", 1, 2), row("queen", 1, 2)[:8]), `: offset 26: file ends inside the vector of "queen" (word 2 of 2): 2 of its 8 bytes are there; it is truncated`},
		{"count too small", bin("1 2\n", row("king", 1, 2), row("queen", 1, 2)), `: offset 18: more data after the 1 words the header announces`},
		{"count too large", []byte("1000000000000 300\nking 1 2 3\n"), `:1: header announces 1000000000000 words; want 1 to 2147483647`},
		{"size lies", []byte("1000000 300\nking 1 2 3\n"), `:1: header announces 1000000 words of 300 dimensions, which take at least 601999999 bytes in the word2vec text format, but only 11 bytes follow`},
		{"huge dim", []byte("2 1000000000\n"), `:1: header announces 1000000000 dimensions; want 1 to 65536`},
		{"overlong word", []byte("1 1\n" + strings.Repeat("x", 2000) + " 1\n"), `:2: word of 2000 bytes (at most 1024 allowed)`},
		{"escape in word", []byte("1 1\nki\x1b]0;pwned\x07ng 1\n"), `:2: word "ki\x1b]0;pwned\ang" contains control character 0x1b`},
		{"empty", nil, `: empty file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "model", tc.data)
			code, out, errs := w2v(t, "", "nearest", "-m", path, "king")
			if code != exitError || out != "" {
				t.Errorf("exit %d with output %q, want %d and none", code, out, exitError)
			}
			if want := "w2v: " + path + tc.want; !strings.HasPrefix(errs, want) || strings.Count(errs, "\n") != 1 {
				t.Errorf("stderr\n%q\nwant one line starting\n%q", errs, want)
			}
		})
	}
}

// TestQueryCheckpoint: a checkpoint is not a vector file, and the message
// says what to do with it instead of quoting its binary header.
func TestQueryCheckpoint(t *testing.T) {
	cfg := skipgram.DefaultConfig()
	cfg.Dim = 4
	var buf bytes.Buffer
	err := checkpoint.Write(&buf, &checkpoint.Checkpoint{
		Job: checkpoint.Job{Output: "r.txt"}, Config: cfg, Words: []string{"king", "queen"}, Counts: []int64{2, 1},
		Model: skipgram.NewModel(2, cfg),
	})
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "r.txt.ckpt", buf.Bytes())
	want := "w2v: " + path + ": this is a training checkpoint, not a vector file; finish the training with: w2v train --resume " + path + "\n"
	for _, args := range [][]string{
		{"nearest", "-m", path, "king"},
		{"analogy", "-m", path, "king", "-", "man", "+", "woman"},
		{"similarity", "-m", path, "king", "queen"},
	} {
		if code, out, errs := w2v(t, "", args...); code != exitError || out != "" || errs != want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and %q", args[0], code, out, errs, want)
		}
	}
}

func TestQueryUsage(t *testing.T) {
	code, _, errs := w2v(t, "", "nearest", "king")
	if code != exitUsage || !strings.Contains(errs, "no model given; name the vector file with -m FILE") {
		t.Errorf("exit %d, %q", code, errs)
	}
	code, _, errs = w2v(t, "", "nearest", "-m", "/nonexistent/model.bin", "king")
	if code != exitError || !strings.Contains(errs, "model /nonexistent/model.bin does not exist") {
		t.Errorf("exit %d, %q", code, errs)
	}
}

func TestTestSetErrors(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(toyVectors))
	for _, tc := range []struct {
		cmd  string
		data string
		want string // after "w2v: <path>"
	}{
		{"questions", ": s\nman king woman\n", `:2: 3 words; want 4, "a b c d" for a:b :: c:d`},
		{"questions", "man king woman queen\n", `:1: question before the first ": section" line`},
		{"questions", ": s\nman king \xff queen\n", ":2: invalid UTF-8"},
		{"questions", "\x00\x01\x02binary\n", ":1: control character U+0000; is this a text file?"},
		{"questions", "", ": no questions"},
		{"pairs", "king\tqueen\n", `:1: want "word1 word2 score", got 2 fields`},
		{"pairs", "king queen 8\nman woman lots\n", `:2: score "lots" is not a finite number`},
		{"pairs", "king queen \xc3\n", ":1: invalid UTF-8"},
	} {
		path := writeFile(t, "set.txt", []byte(tc.data))
		args := []string{"analogy", "-m", model, "--questions", path}
		if tc.cmd == "pairs" {
			args = []string{"similarity", "-m", model, "--pairs", path}
		}
		code, out, errs := w2v(t, "", args...)
		if want := "w2v: " + path + tc.want; code != exitError || out != "" || !strings.HasPrefix(errs, want) {
			t.Errorf("%s %q: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.cmd, tc.data, code, out, errs, want)
		}
	}
}
