// Package flaghint answers people who type another tool's habits at w2v:
// word2vec's, gensim's and fastText's flags and commands, spelled their way,
// get an error that names w2v's own, and a misspelt flag or command gets the
// nearest real one. It reads a cobra command's flags; the errors it returns
// are the caller's usage errors to report.
package flaghint

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// habit is a flag another tool has and w2v spells differently or lacks.
type habit struct {
	key  string // the other tool's name, normalised by Key
	from string // whose it is: "word2vec", "gensim", "fastText"
	// ours is w2v's equivalent. "{cmd}" stands for the command's name.
	ours string
	// values gives the equivalent of particular values (-cbow 1), where
	// it depends on them.
	values map[string]string
	// why explains, when ours is empty, what w2v does instead.
	why string
	// cmd is the one command the habit applies to; "" for any command
	// that has the flag ours names.
	cmd string
}

// habits lists the other tools' flags that w2v does not accept. Flags that
// w2v spells the same way (-window, -negative, -min-count, -binary) need no
// entry: one dash instead of two is recognised for every flag.
func habits() []habit {
	corpusArg := "w2v {cmd} CORPUS (the corpus is an argument, not a flag)"
	return []habit{
		{key: "train", from: "word2vec", ours: corpusArg},
		{key: "size", from: "word2vec", ours: "--dim"},
		{key: "cbow", from: "word2vec", ours: "--model cbow", values: map[string]string{"1": "--model cbow", "0": "--model skipgram"}},
		{key: "iter", from: "word2vec", ours: "--epochs"},
		{key: "debug", from: "word2vec", why: "w2v reports progress unless --quiet"},

		{key: "corpus-file", from: "gensim", ours: corpusArg},
		{key: "sentences", from: "gensim", ours: corpusArg},
		{key: "vector-size", from: "gensim", ours: "--dim"},
		{key: "workers", from: "gensim", ours: "--threads"},
		{key: "sg", from: "gensim", ours: "--model skipgram", values: map[string]string{"1": "--model skipgram", "0": "--model cbow"}},
		{key: "max-final-vocab", from: "gensim", ours: "--max-vocab"},
		{key: "max-vocab-size", from: "gensim", why: "w2v's counting has no memory cap; --max-vocab N keeps the N most frequent words", cmd: "train"},
		{key: "cbow-mean", from: "gensim", why: "w2v's CBOW always averages the context vectors (gensim's default, cbow_mean=1)", cmd: "train"},
		{key: "ns-exponent", from: "gensim", why: "w2v draws negatives by count^0.75, as word2vec and gensim do by default", cmd: "train"},
		{key: "min-alpha", from: "gensim", why: "the learning rate decays linearly from --alpha to alpha×0.1", cmd: "train"},

		{key: "input", from: "fastText", ours: corpusArg},
		{key: "ws", from: "fastText", ours: "--window"},
		{key: "epoch", from: "fastText", ours: "--epochs"},
		{key: "mincount", from: "fastText", ours: "--min-count"},
		{key: "neg", from: "fastText", ours: "--negative"},
		{key: "loss", from: "fastText", ours: "--hs --negative 0", values: map[string]string{
			"hs": "--hs --negative 0",
			"ns": "no flag: negative sampling is w2v's default",
		}},
		{key: "thread", from: "fastText", ours: "--threads"},
		{key: "lr", from: "fastText", ours: "--alpha"},
		{key: "t", from: "fastText", ours: "--sample"},
		{key: "bucket", from: "fastText", ours: "--buckets"},
		{key: "wordngrams", from: "fastText", why: "w2v learns phrases with 'w2v phrases', not word n-grams", cmd: "train"},
		{key: "verbose", from: "fastText", why: "w2v reports progress, and settings taken from a config file or the environment, unless --quiet"},
	}
}

// commandHabits maps the other tools' commands to w2v's.
func commandHabits() map[string]string {
	return map[string]string{
		"word2vec":         "w2v train (word2vec's word2vec)",
		"word2phrase":      "w2v phrases (word2vec's word2phrase)",
		"distance":         "w2v nearest -m MODEL (word2vec's distance)",
		"word-analogy":     "w2v analogy -m MODEL (word2vec's word-analogy)",
		"compute-accuracy": "w2v analogy -m MODEL --questions FILE (word2vec's compute-accuracy)",
		"skipgram":         "w2v train --model skipgram (fastText's skipgram)",
		"cbow":             "w2v train --model cbow (fastText's cbow)",
		"nn":               "w2v nearest -m MODEL (fastText's nn)",
		"analogies":        "w2v analogy -m MODEL (fastText's analogies)",
	}
}

// Key normalises a flag name as written for comparison with w2v's:
// lower case, with dashes for underscores (gensim's min_count, fastText's
// minCount).
func Key(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), "_", "-")
}

// Lookup finds a flag of cmd, its own or inherited, by its long name.
func Lookup(cmd *cobra.Command, name string) *pflag.Flag {
	if f := cmd.Flags().Lookup(name); f != nil {
		return f
	}
	return cmd.InheritedFlags().Lookup(name)
}

// lookupShorthand finds a flag of cmd by its one-letter name.
func lookupShorthand(cmd *cobra.Command, c byte) *pflag.Flag {
	if f := cmd.Flags().ShorthandLookup(string(c)); f != nil {
		return f
	}
	return cmd.InheritedFlags().ShorthandLookup(string(c))
}

// takesValue reports whether f consumes the next argument when given as
// --name without "=value".
func takesValue(f *pflag.Flag) bool { return f.NoOptDefVal == "" }

// Check looks through args, cmd's command line less the command's
// name, for flags as word2vec, gensim and fastText spell them, for a value
// after a boolean flag and for an unknown command, and returns a usage
// error naming what w2v takes instead. It runs before pflag parses the
// line, because pflag misreads some of them silently: -hs is -h (help),
// -output is -o with the value "utput", and "--binary false" makes false
// an argument.
func Check(cmd *cobra.Command, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if len(a) < 2 || a[0] != '-' || (a[1] >= '0' && a[1] <= '9') || a[1] == '.' {
			if !cmd.Runnable() && cmd.HasSubCommands() {
				// Find stopped at a command that only groups others (the
				// root, completion): this names none of them. Say so
				// before pflag complains about the flags that follow it.
				return UnknownCommand(cmd, a)
			}
			continue // an argument, "-" for standard input, or a negative number
		}
		next := ""
		if i+1 < len(args) {
			next = args[i+1]
		}
		dashes, body := "-", a[1:]
		if strings.HasPrefix(a, "--") {
			dashes, body = "--", a[2:]
		}
		name, _, hasValue := strings.Cut(body, "=")
		if name == "" || name == "help" {
			continue // -help is -h to pflag, which shows the help wanted
		}
		if dashes == "--" {
			if f := Lookup(cmd, name); f != nil {
				if err := checkBoolValue(cmd, f, hasValue, next); err != nil {
					return err
				}
				if takesValue(f) && !hasValue {
					i++
				}
				continue
			}
		} else if f := lookupShorthand(cmd, name[0]); f != nil &&
			(len(name) == 1 || Lookup(cmd, Key(name)) == nil && findHabit(cmd, Key(name)) == nil) {
			// A shorthand, alone or with its value or others run on:
			// -k 20, -k20, -qo FILE.
			if len(name) == 1 {
				if err := checkBoolValue(cmd, f, hasValue, next); err != nil {
					return err
				}
				if takesValue(f) && !hasValue {
					i++
				}
			}
			continue
		}
		hint := flagHint(cmd, name, next)
		if hint == "" && !cmd.HasParent() {
			hint = " (flags other than --config go after the command: w2v COMMAND [flags])"
		}
		if hint != "" {
			return fmt.Errorf("unknown flag: %s%s%s", dashes, name, hint)
		}
	}
	return nil
}

// takesFiles reports whether cmd's arguments are files (train's corpus),
// not words a query could consist of.
func takesFiles(cmd *cobra.Command) bool {
	return strings.Contains(cmd.Use, "CORPUS")
}

// checkBoolValue rejects "--binary false" where false would silently become
// a corpus file name.
func checkBoolValue(cmd *cobra.Command, f *pflag.Flag, hasValue bool, next string) error {
	if f.Value.Type() != "bool" || hasValue || !takesFiles(cmd) {
		return nil
	}
	on, err := strconv.ParseBool(next)
	if err != nil {
		return nil
	}
	if _, err := os.Stat(next); err == nil {
		return nil // a file that happens to be called "1"
	}
	return fmt.Errorf("--%s takes no value%s", f.Name, boolAdvice(f.Name, on))
}

// boolAdvice says how to write a boolean flag for on or off.
func boolAdvice(name string, on bool) string {
	if on {
		return "; did you mean --" + name + "? (--" + name + "=true works too)"
	}
	return "; leave --" + name + " out (or write --" + name + "=false): it is off by default"
}

// flagHint returns the hint for a flag name cmd does not know, or "" for
// none; next is the argument after it, which may be its value.
func flagHint(cmd *cobra.Command, name, next string) string {
	key := Key(name)
	// Another tool's flag whose value names what it means wins over a w2v
	// flag of the same name: fastText's -loss hs is w2v's --hs, not --loss.
	if h := findHabit(cmd, key); h != nil && h.values[strings.ToLower(next)] != "" {
		return habitHint(cmd, h, next)
	}
	if f := Lookup(cmd, key); f != nil {
		// w2v's own flag, with one dash, upper case or underscores.
		if f.Value.Type() == "bool" {
			if on, err := strconv.ParseBool(next); err == nil {
				return boolAdvice(f.Name, on)
			}
		}
		if f.Shorthand != "" {
			return "; did you mean --" + f.Name + " (or -" + f.Shorthand + ")?"
		}
		return "; did you mean --" + f.Name + "?"
	}
	if h := findHabit(cmd, key); h != nil {
		return habitHint(cmd, h, next)
	}
	if best := Closest(cmd, key); best != "" {
		return "; did you mean --" + best + "?"
	}
	return ""
}

// habitHint returns the hint for another tool's flag h, with next its
// value.
func habitHint(cmd *cobra.Command, h *habit, next string) string {
	if h.why != "" {
		return " (" + h.from + "'s): " + h.why
	}
	ours := h.ours
	if v, ok := h.values[strings.ToLower(next)]; ok {
		ours = v
	}
	ours = strings.ReplaceAll(ours, "{cmd}", cmd.Name())
	if !strings.HasPrefix(ours, "-") && !strings.HasPrefix(ours, "w2v ") {
		return " (" + h.from + "'s); " + ours
	}
	return " (" + h.from + "'s); did you mean " + ours + "?"
}

// findHabit returns the habit named key that applies to cmd, or nil.
func findHabit(cmd *cobra.Command, key string) *habit {
	for _, h := range habits() {
		if h.key != key {
			continue
		}
		switch {
		case h.cmd != "":
			if h.cmd != cmd.Name() {
				continue
			}
		case strings.Contains(h.ours, "{cmd} CORPUS"):
			if !takesFiles(cmd) {
				continue
			}
		case strings.HasPrefix(h.ours, "--"):
			flag, _, _ := strings.Cut(h.ours[2:], " ")
			if Lookup(cmd, flag) == nil {
				continue
			}
		}
		return &h
	}
	return nil
}

// Closest returns the visible flag of cmd nearest to key in edit
// distance, if it is near enough to be a typo, else "".
func Closest(cmd *cobra.Command, key string) string {
	limit := 2
	if len(key) <= 4 {
		limit = 1
	}
	best, bestDist := "", limit+1
	visit := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if d := EditDistance(key, f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	return best
}

// ClosestName returns the name in names nearest to s, if near enough to be
// a typo, else "".
func ClosestName(s string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if d := EditDistance(s, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// UnknownCommand is the usage error for a subcommand of parent that w2v
// does not have.
func UnknownCommand(parent *cobra.Command, name string) error {
	if ours, ok := commandHabits()[strings.ToLower(name)]; ok && !parent.HasParent() {
		return fmt.Errorf("unknown command %q; did you mean %s?", name, ours)
	}
	if s := parent.SuggestionsFor(name); len(s) > 0 {
		return fmt.Errorf("unknown command %q; did you mean %s?", name, strings.Join(s, " or "))
	}
	return fmt.Errorf("unknown command %q (see '%s --help')", name, parent.CommandPath())
}

// EditDistance is the Levenshtein distance between a and b, in bytes.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
