// Package settings checks what a config file and W2V_ environment variables
// give w2v's commands before any of it is applied: a section, setting or
// variable that names no command or flag is an error, with the nearest real
// name, rather than a setting silently ignored. Binding the values to the
// flags is the command line's job.
package settings

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/w2vtool/w2v/internal/flaghint"
)

// Prefix starts the environment variables that set flags:
// W2V_<COMMAND>_<FLAG>.
const Prefix = "W2V_"

// EvalDirEnv is the one W2V_ variable that is not a setting: the tests and
// benchmarks read it, so w2v must not reject it.
const EvalDirEnv = "W2V_EVAL_DIR"

// Settable reports whether f may be set from the environment or a config
// file: every flag but --help and --config itself.
func Settable(f *pflag.Flag) bool {
	return f.Name != "help" && f.Name != "config"
}

// HasSettings reports whether cmd has flags of its own that a config file
// or the environment could set.
func HasSettings(cmd *cobra.Command) bool {
	found := false
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) { found = found || Settable(f) })
	return found
}

// EnvName is the environment variable that sets a command's flag.
func EnvName(command, flag string) string {
	return Prefix + strings.ToUpper(strings.ReplaceAll(command+"_"+flag, "-", "_"))
}

// configCommands returns the commands that settings can be given for, by
// name.
func configCommands(root *cobra.Command) map[string]*cobra.Command {
	cmds := make(map[string]*cobra.Command)
	for _, c := range root.Commands() {
		if HasSettings(c) {
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

// CheckFile rejects what a config file holds that no command reads: a
// section not named after a command, a setting outside any section, or a
// setting in a section that names no flag of its command. A typo anywhere
// in the file is reported, whichever command runs.
func CheckFile(settings map[string]any, path string, root *cobra.Command) error {
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
				if f := flaghint.Lookup(c, name); f == nil || !Settable(f) {
					unknown = append(unknown, name)
				}
			}
			if len(unknown) > 0 {
				sort.Strings(unknown)
				return fmt.Errorf("config file %s: section %q has unknown setting %s (see 'w2v %s --help')",
					path, k, strings.Join(unknown, ", "), k)
			}
		case isCommand:
			return fmt.Errorf("config file %s: %q must be a section of settings for 'w2v %s', not a value", path, k, k)
		case isMap:
			hint := ""
			if n := flaghint.ClosestName(k, names); n != "" {
				hint = fmt.Sprintf("; did you mean %q?", n)
			}
			return fmt.Errorf("config file %s: unknown section %q (sections are named after commands: %s)%s",
				path, k, strings.Join(names, ", "), hint)
		default:
			var owners []string
			for _, n := range names {
				if f := flaghint.Lookup(cmds[n], k); f != nil && Settable(f) {
					owners = append(owners, n+":")
				}
			}
			hint := "sections are named after commands: " + strings.Join(names, ", ")
			if len(owners) > 0 {
				hint = "put it in the section of its command: " + strings.Join(owners, " or ")
			}
			return fmt.Errorf("config file %s: setting %q is outside any section (%s)", path, k, hint)
		}
	}
	return nil
}

// CheckEnv rejects W2V_ variables in env that set nothing: a misspelled
// command or flag would otherwise be silently ignored.
func CheckEnv(root *cobra.Command, env []string) error {
	cmds := configCommands(root)
	names := commandNames(cmds)
	var bad []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, Prefix) || name == EvalDirEnv {
			continue
		}
		command, flag, _ := strings.Cut(strings.ToLower(name[len(Prefix):]), "_")
		flag = strings.ReplaceAll(flag, "_", "-")
		c, ok := cmds[command]
		switch {
		case !ok:
			hint := "W2V_<COMMAND>_<FLAG>, for the commands " + strings.Join(names, ", ")
			if n := flaghint.ClosestName(command, names); n != "" && flag != "" {
				hint = "did you mean " + EnvName(n, flag) + "?"
			}
			bad = append(bad, fmt.Sprintf("%s names no command (%s)", name, hint))
		case flag == "":
			bad = append(bad, fmt.Sprintf("%s names no flag (W2V_<COMMAND>_<FLAG>)", name))
		default:
			if f := flaghint.Lookup(c, flag); f != nil && Settable(f) {
				continue
			}
			hint := "see 'w2v " + command + " --help'"
			if n := flaghint.Closest(c, flag); n != "" {
				hint = "did you mean " + EnvName(command, n) + "?"
			}
			bad = append(bad, fmt.Sprintf("%s: %s has no flag --%s (%s)", name, command, flag, hint))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("environment variable %s", strings.Join(bad, "; "))
	}
	return nil
}
