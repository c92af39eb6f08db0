package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveVectors has the words the README's serving examples ask about.
const serveVectors = `10 4
the 0.1 0.1 0.1 0.1
man 1 0 0 0
king 1 0 1 0
woman 0 1 0 0
queen 0 1 1 0.05
prince 1 0 1 0.3
paris 0 0 0.2 1
france 0.1 0 0.3 0.9
london 0.2 0.1 0.1 0.8
cat 0.5 0.5 0 0
`

// quotedWords splits a README command line into words: spaces separate
// them, single quotes group, and a trailing "# comment" is dropped.
func quotedWords(line string) []string {
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case !quoted && r == '#' && !inWord:
			return words
		case !quoted && r == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// TestServeReadme runs the README's serving examples against w2v serve in
// a child process: each curl gets a 200 JSON answer, the nearest and
// analogy answers are the command line's, and SIGTERM stops the server
// with exit status 0.
func TestServeReadme(t *testing.T) {
	dir := t.TempDir()
	// A fastText model of serveVectors' words, so that the misspelt word
	// of the examples gets its subword vector.
	model := serveFastText(t)
	if code, _, errs := w2v(t, "", "index", model, "--threads", "1", "-o", filepath.Join(dir, "indexed.w2v")); code != 0 {
		t.Fatalf("index: %s", errs)
	}
	blocks := codeBlocks(readmeSection(t, readme(t), "## Serving"), "sh")
	if len(blocks) != 1 || len(blocks[0]) < 2 {
		t.Fatalf("the README's Serving section has no example block")
	}
	lines := blocks[0]
	args := quotedWords(lines[0])
	if len(args) < 2 || args[0] != "w2v" || args[1] != "serve" || args[len(args)-1] != "&" {
		t.Fatalf("first line %q: want w2v serve ... &", lines[0])
	}
	args = args[1 : len(args)-1]
	for i := range args {
		if i > 0 && args[i-1] == "--addr" {
			args[i] = "127.0.0.1:0"
		}
	}
	cmd := w2vCommand(t, args...)
	cmd.Dir = dir
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	stderr := bufio.NewScanner(pipe)
	addr := ""
	listening := regexp.MustCompile(`^serve: .* on http://(\S+)$`)
	for addr == "" && stderr.Scan() {
		if m := listening.FindStringSubmatch(stderr.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatal("w2v serve did not say where it listens")
	}
	rest := make(chan string)
	go func() {
		var b strings.Builder
		for stderr.Scan() {
			b.WriteString(stderr.Text() + "\n")
		}
		rest <- b.String()
	}()

	want := map[string]string{
		"/v1/nearest?word=king&k=3":                       runCLI(t, dir, "nearest", "-k", "3", "--json", "king"),
		"/v1/analogy?query=man+king+woman&k=3":            runCLI(t, dir, "analogy", "-k", "3", "--json", "man", "king", "woman"),
		"/v1/nearest?word=kingg&k=3":                      runCLI(t, dir, "nearest", "-k", "3", "--json", "kingg"),
		"/v1/nearest?word=king&word=woman&k=3&exact=true": runCLIStdin(t, dir, "king woman\n", "nearest", "-k", "3", "--json", "--exact"),
	}
	seen := 0
	for _, line := range lines[1:] {
		w := quotedWords(line)
		if len(w) == 0 {
			continue
		}
		if w[0] != "curl" {
			t.Fatalf("%q: only curl lines may follow w2v serve", line)
		}
		var url, body string
		for i := 1; i < len(w); i++ {
			switch {
			case w[i] == "-s":
			case w[i] == "-d" && i+1 < len(w):
				body = w[i+1]
				i++
			case strings.HasPrefix(w[i], "http://127.0.0.1:8080/"):
				url = strings.TrimPrefix(w[i], "http://127.0.0.1:8080")
			default:
				t.Fatalf("%q: the test does not understand %q", line, w[i])
			}
		}
		method, rd := "GET", io.Reader(nil)
		if body != "" {
			method, rd = "POST", strings.NewReader(body)
		}
		req, err := http.NewRequest(method, "http://"+addr+url, rd)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // as curl -d sends
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(string(got), "{") {
			t.Errorf("%q: status %d: %s", line, resp.StatusCode, got)
		}
		if w, ok := want[url]; ok {
			seen++
			if string(got) != w {
				t.Errorf("%q: server\n%s\ncommand line\n%s", line, got, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d examples compared with the command line are in the README", seen, len(want))
	}
	cmd.Process.Signal(syscall.SIGTERM)
	tail := <-rest
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 0 || !strings.Contains(tail, "serve: stopped") {
		t.Errorf("after SIGTERM: exit %d, stderr %q", code, tail)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("still listening after SIGTERM")
	}
}

// serveFastText writes a random fastText model (8 dimensions, n-grams in
// 100 buckets) of serveVectors' words and returns its path.
func serveFastText(t *testing.T) string {
	t.Helper()
	var words []string
	for _, line := range strings.Split(serveVectors, "\n")[1:] {
		if f := strings.Fields(line); len(f) > 0 {
			words = append(words, f[0])
		}
	}
	path, _ := randomFastText(t, "toy.bin", words, 100, 7)
	return path
}

// runCLI runs w2v with args in dir and returns its standard output.
func runCLI(t *testing.T, dir string, args ...string) string {
	return runCLIStdin(t, dir, "", args...)
}

func runCLIStdin(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	args = append([]string{args[0], "-m", filepath.Join(dir, "indexed.w2v")}, args[1:]...)
	code, out, errs := w2v(t, stdin, args...)
	if code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, errs)
	}
	return out
}

func TestServeErrors(t *testing.T) {
	model := writeFile(t, "toy.txt", []byte(serveVectors))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve"}, exitUsage, "no model given"},
		{[]string{"serve", "-m", model, "--addr", "8080"}, exitUsage, "--addr"},
		{[]string{"serve", "-m", model, "extra"}, exitUsage, "takes no arguments"},
		{[]string{"serve", "-m", filepath.Join(t.TempDir(), "none.txt")}, exitError, "does not exist"},
		{[]string{"serve", "-m", model, "--addr", ln.Addr().String()}, exitError, "listen on " + ln.Addr().String()},
	} {
		code, _, errs := w2v(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
