package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/w2vtool/w2v/internal/flaghint"
)

// defaultConfigFile is read when present and no --config is given.
const defaultConfigFile = "w2v.yaml"

// envPrefix starts the environment variables that set flags:
// W2V_<COMMAND>_<FLAG>.
const envPrefix = "W2V_"

// evalDirEnv is the one W2V_ variable that is not a setting: the tests and
// benchmarks read it, so w2v must not reject it.
const evalDirEnv = "W2V_EVAL_DIR"

// applyConfig fills the flags of cmd that were not given on the command line
// from the environment (W2V_<COMMAND>_<FLAG>) or, failing that, from the
// config file's section for cmd; flags left unset keep their defaults. This
// is the one place flags meet viper, so every command gets the same
// precedence: flag > environment > file > default. The settings it applies
// are listed on stderr, unless the command is --quiet, so a value that
// comes from neither the command line nor the default is never a surprise.
func applyConfig(cmd *cobra.Command, path string, stderr io.Writer) error {
	if err := checkEnv(cmd.Root(), os.Environ()); err != nil {
		return err
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
				return usagef("config file %s not found", path)
			}
			return usagef("config file %s: %v", path, err)
		}
		if err := checkConfig(v.AllSettings(), path, cmd.Root()); err != nil {
			return err
		}
	}
	section := cmd.Name()
	var applied []string // "name=value (source)"
	var firstErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || !settable(f) || firstErr != nil {
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
		env := envName(section, f.Name)
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
			firstErr = usagef("invalid value %q for %s (from %s): %v", fmt.Sprint(val), f.Name, source, err)
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

// settable reports whether f may be set from the environment or a config
// file: every flag but --help and --config itself.
func settable(f *pflag.Flag) bool {
	return f.Name != "help" && f.Name != "config"
}

// hasSettings reports whether cmd has flags of its own that a config file
// or the environment could set.
func hasSettings(cmd *cobra.Command) bool {
	found := false
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) { found = found || settable(f) })
	return found
}

// envName is the environment variable that sets a command's flag.
func envName(command, flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(command+"_"+flag, "-", "_"))
}

// configCommands returns the commands that settings can be given for, by
// name.
func configCommands(root *cobra.Command) map[string]*cobra.Command {
	cmds := make(map[string]*cobra.Command)
	for _, c := range root.Commands() {
		if hasSettings(c) {
			cmds[c.Name()] = c
		}
	}
	return cmds
}

// commandNames lists the commands in cmds, sorted.
func commandNames(cmds map[string]*cobra.Command) []string {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// checkConfig rejects what a config file holds that no command reads: a
// section not named after a command, a setting outside any section, or a
// setting in a section that names no flag of its command. A typo anywhere
// in the file is reported, whichever command runs.
func checkConfig(settings map[string]any, path string, root *cobra.Command) error {
	cmds := configCommands(root)
	names := commandNames(cmds)
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c, isCommand := cmds[k]
		section, isMap := settings[k].(map[string]any)
		switch {
		case isCommand && (isMap || settings[k] == nil):
			var unknown []string
			for name := range section {
				if f := flaghint.Lookup(c, name); f == nil || !settable(f) {
					unknown = append(unknown, name)
				}
			}
			if len(unknown) > 0 {
				sort.Strings(unknown)
				return usagef("config file %s: section %q has unknown setting %s (see 'w2v %s --help')",
					path, k, strings.Join(unknown, ", "), k)
			}
		case isCommand:
			return usagef("config file %s: %q must be a section of settings for 'w2v %s', not a value", path, k, k)
		case isMap:
			hint := ""
			if n := flaghint.ClosestName(k, names); n != "" {
				hint = fmt.Sprintf("; did you mean %q?", n)
			}
			return usagef("config file %s: unknown section %q (sections are named after commands: %s)%s",
				path, k, strings.Join(names, ", "), hint)
		default:
			var owners []string
			for _, n := range names {
				if f := flaghint.Lookup(cmds[n], k); f != nil && settable(f) {
					owners = append(owners, n+":")
				}
			}
			hint := "sections are named after commands: " + strings.Join(names, ", ")
			if len(owners) > 0 {
				hint = "put it in the section of its command: " + strings.Join(owners, " or ")
			}
			return usagef("config file %s: setting %q is outside any section (%s)", path, k, hint)
		}
	}
	return nil
}

// checkEnv rejects W2V_ variables in env that set nothing: a misspelled
// command or flag would otherwise be silently ignored.
func checkEnv(root *cobra.Command, env []string) error {
	cmds := configCommands(root)
	names := commandNames(cmds)
	var bad []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) || name == evalDirEnv {
			continue
		}
		command, flag, _ := strings.Cut(strings.ToLower(name[len(envPrefix):]), "_")
		flag = strings.ReplaceAll(flag, "_", "-")
		c, ok := cmds[command]
		switch {
		case !ok:
			hint := "W2V_<COMMAND>_<FLAG>, for the commands " + strings.Join(names, ", ")
			if n := flaghint.ClosestName(command, names); n != "" && flag != "" {
				hint = "did you mean " + envName(n, flag) + "?"
			}
			bad = append(bad, fmt.Sprintf("%s names no command (%s)", name, hint))
		case flag == "":
			bad = append(bad, fmt.Sprintf("%s names no flag (W2V_<COMMAND>_<FLAG>)", name))
		default:
			if f := flaghint.Lookup(c, flag); f != nil && settable(f) {
				continue
			}
			hint := "see 'w2v " + command + " --help'"
			if n := flaghint.Closest(c, flag); n != "" {
				hint = "did you mean " + envName(command, n) + "?"
			}
			bad = append(bad, fmt.Sprintf("%s: %s has no flag --%s (%s)", name, command, flag, hint))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return usagef("environment variable %s", strings.Join(bad, "; "))
	}
	return nil
}
