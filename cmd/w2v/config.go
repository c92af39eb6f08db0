package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/settings"
)

// defaultConfigFile is read when present and no --config is given.
const defaultConfigFile = "w2v.yaml"

// applyConfig fills the flags of cmd that were not given on the command line
// from the environment (W2V_<COMMAND>_<FLAG>) or, failing that, from the
// config file's section for cmd; flags left unset keep their defaults. This
// is the one place flags meet viper, so every command gets the same
// precedence: flag > environment > file > default. The settings it applies
// are listed on stderr, unless the command is --quiet, so a value that
// comes from neither the command line nor the default is never a surprise.
func applyConfig(cmd *cobra.Command, path string, stderr io.Writer) error {
	if err := settings.CheckEnv(cmd.Root(), os.Environ()); err != nil {
		return failure.UsageError{Err: err}
	}
	v := viper.New()
	v.SetConfigType("yaml")
	v.SetEnvPrefix("W2V")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	if path == "" {
		if _, err := os.Stat(defaultConfigFile); err == nil {
			path = defaultConfigFile
		}
	}
	if path != "" {
		v.SetConfigFile(path)
		if err := v.ReadInConfig(); err != nil {
			var nf viper.ConfigFileNotFoundError
			if errors.As(err, &nf) || errors.Is(err, os.ErrNotExist) {
				return failure.Usagef("config file %s not found", path)
			}
			return failure.Usagef("config file %s: %v", path, err)
		}
		if err := settings.CheckFile(v.AllSettings(), path, cmd.Root()); err != nil {
			return failure.UsageError{Err: err}
		}
	}
	section := cmd.Name()
	var applied []string // "name=value (source)"
	var firstErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || !settings.Settable(f) || firstErr != nil {
			return
		}
		key := section + "." + f.Name
		if err := v.BindEnv(key); err != nil {
			firstErr = err
			return
		}
		if !v.IsSet(key) {
			return
		}
		env := settings.EnvName(section, f.Name)
		source := path
		if os.Getenv(env) != "" { // viper ignores empty variables
			source = env
		}
		val := v.Get(key)
		if list, ok := val.([]any); ok {
			parts := make([]string, len(list))
			for i, x := range list {
				parts[i] = fmt.Sprint(x)
			}
			val = strings.Join(parts, ",")
		}
		// FlagSet.Set (unlike Value.Set) marks the flag changed, so commands
		// can tell a configured value from a default.
		if err := cmd.Flags().Set(f.Name, fmt.Sprint(val)); err != nil {
			firstErr = failure.Usagef("invalid value %q for %s (from %s): %v", fmt.Sprint(val), f.Name, source, err)
			return
		}
		applied = append(applied, fmt.Sprintf("%s=%v (%s)", f.Name, val, source))
	})
	if firstErr != nil {
		return firstErr
	}
	if quiet, err := cmd.Flags().GetBool("quiet"); len(applied) > 0 && (err != nil || !quiet) {
		fmt.Fprintf(stderr, "%s: settings: %s\n", section, strings.Join(applied, ", "))
	}
	return nil
}
