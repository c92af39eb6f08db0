package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/flaghint"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/settings"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the job failed: bad input, I/O error (a signal: 128 + its number, see signalled)
	exitUsage = 2 // the command line or configuration makes no sense
)

// streams are the standard files a command talks to; tests replace them.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// job returns the streams for package job.
func (s streams) job() job.Streams { return job.Streams{In: s.in, Out: s.out, Err: s.err} }

// run executes the command line args and returns the process exit code.
// SIGINT and SIGTERM cancel the context that long jobs watch; a command that
// stops because of one exits with 128 + the signal's number (see signalled).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := notifySignals(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	root := newRootCmd(streams{stdin, stdout, stderr})
	root.SetArgs(args)
	cmd, rest, err := root.Find(args) // rest: args without the command's name
	if err == nil && !isCompletionRequest(args) {
		// Habits from word2vec, gensim and fastText, caught before pflag
		// misreads them (-hs is -h, help; -output is -o "utput"), and
		// unknown commands.
		if err = flaghint.Check(cmd, rest); err != nil {
			err = failure.UsageError{Err: err}
		}
	}
	if err == nil && cmd == root && !asksHelpOrVersion(args) {
		// No command: a usage error, explained by the help.
		root.SetOut(stderr)
		root.Help()
		return exitUsage
	}
	if err == nil {
		cmd, err = root.ExecuteContextC(ctx)
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "w2v: %v\n", err)
	var sig signalled
	if errors.As(err, &sig) {
		return 128 + int(sig.sig)
	}
	var ue failure.UsageError
	if errors.As(err, &ue) {
		if cmd.Name() == "help" {
			cmd = cmd.Root() // "w2v help bogus": the list of commands helps
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return exitUsage
	}
	return exitError
}

// isCompletionRequest reports whether args are a shell's request for
// completions, which cobra answers with a hidden command.
func isCompletionRequest(args []string) bool {
	return len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
}

// asksHelpOrVersion reports whether args hold -h, --help, -v or --version.
func asksHelpOrVersion(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "h" || name == "help" || name == "v" || name == "version") {
			return true
		}
	}
	return false
}

func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "w2v",
		Short: "Train word vectors and answer questions with them",
		Long: `w2v trains word vectors on text corpora with word2vec's two models,
skip-gram (the default) and CBOW, each with negative sampling, hierarchical
softmax or both, and answers nearest-word, analogy and similarity questions
with them. Vector files use word2vec's text and binary formats, so gensim,
fastText's .vec readers and the word2vec C tools read them.

Every flag can also be set in a config file (--config, default ./w2v.yaml when
present) under a section named after the command, or in an environment
variable W2V_<COMMAND>_<FLAG>, e.g. W2V_TRAIN_MIN_COUNT=10. A flag given on
the command line wins over the environment, which wins over the file, which
wins over the default.

Exit status: 0 on success, 1 when the job fails (bad input, I/O errors), 2
for a usage error: an unknown command or flag, a bad value or config file,
or no command at all (w2v alone prints this help on standard error).`,
		Version: versionString(),
		// flaghint.Check reports unknown commands, as usage errors; with no
		// Args, Find would fail on them first, with cobra's own error.
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.SetVersionTemplate("{{.Version}}\n")
	root.PersistentFlags().String("config", "", "config file (default ./w2v.yaml when present)")
	root.PersistentFlags().String("cpuprofile", "", "write a CPU profile to this file (for performance work)")
	root.PersistentFlags().MarkHidden("cpuprofile")
	var stopProfile func()
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if !settings.HasSettings(cmd) {
			return nil // help, version, completion: nothing to configure
		}
		if path, _ := cmd.Flags().GetString("cpuprofile"); path != "" {
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		}
		path, _ := cmd.Flags().GetString("config")
		return applyConfig(cmd, path, s.err)
	}
	root.PersistentPostRun = func(*cobra.Command, []string) {
		if stopProfile != nil {
			stopProfile()
		}
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return failure.UsageError{Err: err}
	})
	root.AddCommand(
		newTrainCmd(s),
		newPhrasesCmd(s),
		newNearestCmd(s),
		newAnalogyCmd(s),
		newSimilarityCmd(s),
		newConvertCmd(s),
		newIndexCmd(s),
		newClassesCmd(s),
		newExportCmd(s),
		newMapCmd(s),
		newAlignCmd(s),
		newDriftCmd(s),

		newServeCmd(s),
		newVersionCmd(s),
	)
	root.SuggestionsMinimumDistance = 2
	root.SetHelpCommand(newHelpCmd(root))
	// cobra adds these when it executes; flaghint.Check needs them sooner.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	plainBoolFlags(root)
	return root
}

// newHelpCmd replaces cobra's help command, which prints the root's help
// and succeeds when asked about a command that does not exist.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(_ *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil {
				return err
			}
			if target == root && len(rest) > 0 {
				return failure.UsageError{Err: flaghint.UnknownCommand(root, rest[0])}
			}
			return target.Help()
		},
	}
}

// plainBoolFlags hides from the help text that boolean flags take a value:
// pflag shows them as --binary[=true|false], which suggests that
// "--binary false" works, while it makes "false" an argument. Wrapping the
// value keeps parsing as it is (NoOptDefVal is "true") and shows --binary.
func plainBoolFlags(cmd *cobra.Command) {
	cmd.InitDefaultHelpFlag()
	wrap := func(f *pflag.Flag) {
		if f.Value.Type() == "bool" {
			if _, done := f.Value.(plainBool); !done {
				f.Value = plainBool{f.Value}
			}
		}
	}
	cmd.Flags().VisitAll(wrap)
	cmd.PersistentFlags().VisitAll(wrap)
	for _, c := range cmd.Commands() {
		plainBoolFlags(c)
	}
}

// plainBool is a boolean flag value without pflag's IsBoolFlag method.
type plainBool struct{ pflag.Value }

// noArgs is cobra.NoArgs, reporting a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return failure.Usagef("%s takes no arguments, got %q", cmd.Name(), args[0])
	}
	return nil
}

// minArgs is cobra's argument count check, reporting a usage error.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return failure.Usagef("%s: missing %s", cmd.Name(), what)
		}
		return nil
	}
}
