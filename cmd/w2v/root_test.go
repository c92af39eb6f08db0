package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestUsageExitCodes(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		stdout     string // a substring of standard output
		stderr     string // a substring of standard error
		emptyStdio bool   // standard output must be empty
	}{
		{args: nil, code: exitUsage, stderr: "Usage:\n  w2v [command]\n", emptyStdio: true},
		{args: []string{"--config", "x.yaml"}, code: exitUsage, stderr: "Usage:\n  w2v [command]\n", emptyStdio: true},
		{args: []string{"--version"}, code: exitOK, stdout: "w2v "},
		{args: []string{"-v"}, code: exitOK, stdout: "w2v "},
		{args: []string{"version"}, code: exitOK, stdout: "w2v "},
		{args: []string{"version", "x"}, code: exitUsage, stderr: `version takes no arguments, got "x"`},
		{args: []string{"--help"}, code: exitOK, stdout: "Available Commands:"},
		{args: []string{"help", "train"}, code: exitOK, stdout: "Usage:\n  w2v train"},
		{args: []string{"bogus"}, code: exitUsage, stderr: `unknown command "bogus"`, emptyStdio: true},
		{args: []string{"trian", "corpus.txt"}, code: exitUsage, stderr: `unknown command "trian"; did you mean train?`},
		{args: []string{"help", "bogus"}, code: exitUsage, stderr: `unknown command "bogus"`, emptyStdio: true},
		{args: []string{"--config", "x.yaml", "bogus"}, code: exitUsage, stderr: `unknown command "bogus"`},
		{args: []string{"skipgram", "-input", "data.txt"}, code: exitUsage, stderr: "did you mean w2v train --model skipgram"},
		{args: []string{"completion", "tcsh"}, code: exitUsage, stderr: `unknown command "tcsh" (see 'w2v completion --help')`},
		{args: []string{"completion", "bash"}, code: exitOK, stdout: "bash completion"},
		{args: []string{"distance", "vectors.bin"}, code: exitUsage, stderr: "did you mean w2v nearest -m MODEL"},
		{args: []string{"-size", "100"}, code: exitUsage, stderr: "unknown flag: -size (flags other than --config go after the command"},
		{args: []string{"train", "--frobnicate"}, code: exitUsage, stderr: "unknown flag: --frobnicate"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := w2v(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d\nstdout %q\nstderr %q\nwant exit %d, stdout with %q, stderr with %q",
					code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
			if tt.emptyStdio && stdout != "" {
				t.Errorf("a usage error wrote to standard output: %q", stdout)
			}
		})
	}
	_, v1, _ := w2v(t, "", "--version")
	_, v2, _ := w2v(t, "", "version")
	if v1 != v2 {
		t.Errorf("--version prints %q, version prints %q", v1, v2)
	}
}

// TestHabits checks that flags spelled as word2vec, gensim and fastText
// spell them get a usage error naming w2v's flag, before anything runs.
func TestHabits(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"train", "-size", "300", "corpus.txt"}, "unknown flag: -size (word2vec's); did you mean --dim?"},
		{[]string{"train", "--size", "300", "corpus.txt"}, "did you mean --dim?"},
		{[]string{"train", "--vector_size", "300", "corpus.txt"}, "(gensim's); did you mean --dim?"},
		{[]string{"train", "-cbow", "1", "corpus.txt"}, "did you mean --model cbow?"},
		{[]string{"train", "-cbow", "0", "corpus.txt"}, "did you mean --model skipgram?"},
		{[]string{"train", "--sg", "0", "corpus.txt"}, "did you mean --model cbow?"},
		{[]string{"train", "-min-count", "10", "corpus.txt"}, "unknown flag: -min-count; did you mean --min-count?"},
		{[]string{"train", "--min_count", "10", "corpus.txt"}, "unknown flag: --min_count; did you mean --min-count?"},
		{[]string{"train", "-minCount", "10", "corpus.txt"}, "(fastText's); did you mean --min-count?"},
		{[]string{"train", "-iter", "5", "corpus.txt"}, "did you mean --epochs?"},
		{[]string{"train", "--iter", "5", "corpus.txt"}, "did you mean --epochs?"},
		{[]string{"train", "-epoch", "5", "corpus.txt"}, "did you mean --epochs?"},
		{[]string{"train", "-threads", "4", "corpus.txt"}, "did you mean --threads?"},
		{[]string{"train", "--workers", "4", "corpus.txt"}, "did you mean --threads?"},
		{[]string{"train", "-negative", "10", "corpus.txt"}, "did you mean --negative?"},
		{[]string{"train", "-hs", "1", "corpus.txt"}, "unknown flag: -hs; did you mean --hs?"},
		{[]string{"train", "-sample", "1e-4", "corpus.txt"}, "did you mean --sample?"},
		{[]string{"train", "-t", "1e-4", "corpus.txt"}, "(fastText's); did you mean --sample?"},
		{[]string{"train", "-window", "8", "corpus.txt"}, "did you mean --window?"},
		{[]string{"train", "-ws", "8", "corpus.txt"}, "did you mean --window?"},
		{[]string{"train", "-binary", "1", "corpus.txt"}, "did you mean --binary?"},
		{[]string{"train", "-binary", "0", "corpus.txt"}, "leave --binary out"},
		{[]string{"train", "-output", "v.txt", "corpus.txt"}, "did you mean --output (or -o)?"},
		{[]string{"train", "-train", "corpus.txt"}, "did you mean w2v train CORPUS"},
		{[]string{"train", "-loss", "hs", "corpus.txt"}, "did you mean --hs --negative 0?"},
		{[]string{"train", "-bucket", "1000", "corpus.txt"}, "did you mean --buckets?"},
		{[]string{"train", "-loss", "ns", "corpus.txt"}, "no flag: negative sampling is w2v's default"},
		{[]string{"train", "-loss", "softmax", "corpus.txt"}, "did you mean --loss?"},
		{[]string{"train", "--dimm", "3", "corpus.txt"}, "unknown flag: --dimm; did you mean --dim?"},
		{[]string{"phrases", "-train", "corpus.txt"}, "did you mean w2v phrases CORPUS"},
		{[]string{"phrases", "-threshold", "50", "corpus.txt"}, "did you mean --threshold?"},
		{[]string{"nearest", "-top", "5", "king"}, "did you mean --top (or -k)?"},
		// "--binary false" would make "false" the corpus.
		{[]string{"train", "--binary", "false", "corpus.txt"}, "--binary takes no value; leave --binary out (or write --binary=false)"},
		{[]string{"train", "corpus.txt", "--hs", "1"}, "--hs takes no value; did you mean --hs?"},
		{[]string{"phrases", "corpus.txt", "-q", "true"}, "--quiet takes no value; did you mean --quiet?"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := w2v(t, "", tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

// TestHabitsLeaveValidLinesAlone checks that the habit hints do not catch
// what pflag reads correctly.
func TestHabitsLeaveValidLinesAlone(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	// A corpus that happens to be called "false" is trained on.
	if err := os.WriteFile("false", []byte(strings.Repeat("a b c d e f g h ", 50)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := w2v(t, "", "train", "--binary", "false", "-o", "v.bin", "--dim", "4", "--epochs", "1", "--min-count", "1", "-q")
	if code != 0 {
		t.Fatalf("train on a file named false: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat("v.bin"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"nearest", "-mv.bin", "-k1", "a"},            // shorthands with their values attached
		{"nearest", "-m", "v.bin", "--json", "false"}, // "false" is a query word here
		{"nearest", "-m", "v.bin", "-k", "1", "--", "-size"},
	} {
		code, _, stderr := w2v(t, "", args...)
		if strings.Contains(stderr, "did you mean") || strings.Contains(stderr, "unknown flag") || code == exitUsage {
			t.Errorf("%q: exit %d, %s", args, code, stderr)
		}
	}
	// Negative values stay values.
	code, _, stderr = w2v(t, "", "train", "false", "--alpha", "-0.5")
	if code != exitUsage || !strings.Contains(stderr, "--alpha must be a positive number") {
		t.Errorf("--alpha -0.5: exit %d, %s", code, stderr)
	}
}

func TestHelp(t *testing.T) {
	_, help, _ := w2v(t, "", "train", "--help")
	for line := range strings.SplitSeq(help, "\n") {
		if strings.Count(line, "(default") > 1 {
			t.Errorf("two defaults: %s", line)
		}
		if strings.Contains(line, "[=true|false]") {
			t.Errorf("boolean flag shown with a value: %s", line)
		}
	}
	for _, want := range []string{"\n      --binary  ", "\n      --hs  ", "(default 0.025 for skipgram, 0.05 for cbow)\n"} {
		if !regexp.MustCompile(regexp.QuoteMeta(strings.TrimRight(want, " ")) + `\s`).MatchString(help) {
			t.Errorf("train --help lacks %q", want)
		}
	}
	_, root, _ := w2v(t, "", "--help")
	root = strings.Join(strings.Fields(root), " ")
	for _, want := range []string{"skip-gram", "CBOW", "negative sampling", "hierarchical softmax", "Exit status"} {
		if !strings.Contains(root, want) {
			t.Errorf("w2v --help does not mention %s", want)
		}
	}
}

func TestConfigChecks(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "missing.txt") // config errors come first
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		code int
		want string
	}{
		{"unknown section", "trian:\n  dim: 7\n", nil, exitUsage, `unknown section "trian" (sections are named after commands: align, analogy, classes, convert, drift, export, index, map, nearest, phrases, serve, similarity, train); did you mean "train"?`},
		{"setting outside a section", "dim: 7\n", nil, exitUsage, `setting "dim" is outside any section (put it in the section of its command: train:)`},
		{"shared setting outside a section", "min-count: 7\n", nil, exitUsage, `(put it in the section of its command: phrases: or train:)`},
		{"typo in another command's section", "train:\n  dim: 7\nanalogy:\n  restirct: 5\n", nil, exitUsage, `section "analogy" has unknown setting restirct`},
		{"command as a value", "train: 5\n", nil, exitUsage, `"train" must be a section of settings`},
		{"unknown variable", "", map[string]string{"W2V_TRAIN_DIMM": "7"}, exitUsage, "W2V_TRAIN_DIMM: train has no flag --dimm (did you mean W2V_TRAIN_DIM?)"},
		{"misspelled command in variable", "", map[string]string{"W2V_TRIAN_DIM": "7"}, exitUsage, "W2V_TRIAN_DIM names no command (did you mean W2V_TRAIN_DIM?)"},
		{"variable without flag", "", map[string]string{"W2V_TRAIN": "7"}, exitUsage, "W2V_TRAIN names no flag"},
		{"the tests' variable", "", map[string]string{"W2V_EVAL_DIR": "/x"}, exitError, "missing.txt does not exist"},
		{"applied settings are listed", "train:\n  dim: 7\n", map[string]string{"W2V_TRAIN_WINDOW": "3"}, exitError, "train: settings: dim=7 (CONFIG), window=3 (W2V_TRAIN_WINDOW)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := []string{"train", corpus}
			cfg := filepath.Join(dir, "w2v.yaml")
			if tt.yaml != "" {
				if err := os.WriteFile(cfg, []byte(tt.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--config", cfg)
			}
			code, _, stderr := w2v(t, "", args...)
			want := strings.ReplaceAll(tt.want, "CONFIG", cfg)
			if code != tt.code || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, want)
			}
		})
	}
	t.Run("commands without settings ignore the file", func(t *testing.T) {
		cfg := filepath.Join(dir, "broken.yaml")
		os.WriteFile(cfg, []byte("trian:\n  dim: 7\n"), 0o644)
		for _, args := range [][]string{{"version"}, {"help"}, {"help", "train"}} {
			if code, _, stderr := w2v(t, "", append(args, "--config", cfg)...); code != exitOK {
				t.Errorf("%q: exit %d, %s", args, code, stderr)
			}
		}
	})
	t.Run("quiet lists nothing", func(t *testing.T) {
		t.Setenv("W2V_TRAIN_WINDOW", "3")
		code, _, stderr := w2v(t, "", "train", corpus, "-q")
		if code != exitError || strings.Contains(stderr, "settings") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}
