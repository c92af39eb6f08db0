package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/atomicfile"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the job failed: bad input, I/O error (a signal: 128 + its number, see signalled)
	exitUsage = 2 // the command line or configuration makes no sense
)

// usageError marks errors in how w2v was invoked; they exit with exitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// streams are the standard files a command talks to; tests replace them.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// run executes the command line args and returns the process exit code.
// SIGINT and SIGTERM cancel the context that long jobs watch; a command that
// stops because of one exits with 128 + the signal's number (see signalled).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := notifySignals(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	root := newRootCmd(streams{stdin, stdout, stderr})
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "w2v: %v\n", err)
	var sig signalled
	if errors.As(err, &sig) {
		return 128 + int(sig.sig)
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return exitUsage
	}
	return exitError
}

func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "w2v",
		Short: "Train word vectors and answer questions with them",
		Long: `w2v trains word vectors (word2vec skip-gram with negative sampling) on text
corpora, fast, and answers nearest-word, analogy and similarity questions
with them. Vector files use word2vec's text and binary formats, so gensim and
the word2vec C tools read them.

Every flag can also be set in a config file (--config, default ./w2v.yaml when
present) under a section named after the command, or in an environment
variable W2V_<COMMAND>_<FLAG>, e.g. W2V_TRAIN_MIN_COUNT=10. A flag given on
the command line wins over the environment, which wins over the file, which
wins over the default.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.PersistentFlags().String("config", "", "config file (default ./w2v.yaml when present)")
	root.PersistentFlags().String("cpuprofile", "", "write a CPU profile to this file (for performance work)")
	root.PersistentFlags().MarkHidden("cpuprofile")
	var stopProfile func()
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
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
		return applyConfig(cmd, path)
	}
	root.PersistentPostRun = func(*cobra.Command, []string) {
		if stopProfile != nil {
			stopProfile()
		}
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{err}
	})
	root.AddCommand(
		newTrainCmd(s),
		newPhrasesCmd(s),
		newNearestCmd(s),
		newAnalogyCmd(s),
		newSimilarityCmd(s),
		newConvertCmd(s),
		newVersionCmd(s),
	)
	return root
}

// exactArgs, minArgs: cobra's argument checks, reporting usage errors.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s: missing %s", cmd.Name(), what)
		}
		return nil
	}
}

// output is where a command writes a result file: the command's standard
// output for "-", otherwise an atomic file that appears only on Commit.
type output struct {
	io.Writer
	file *atomicfile.File // nil for standard output
}

// createOutput opens path for writing a result.
func createOutput(s streams, path string) (*output, error) {
	if path == "-" {
		return &output{Writer: s.out}, nil
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	return &output{Writer: f, file: f}, nil
}

// Commit publishes the file.
func (o *output) Commit() error {
	if o.file == nil {
		return nil
	}
	return o.file.Commit()
}

// Abort discards the file unless it was committed.
func (o *output) Abort() {
	if o.file != nil {
		o.file.Abort()
	}
}
