package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// defaultConfigFile is read when present and no --config is given.
const defaultConfigFile = "w2v.yaml"

// applyConfig fills the flags of cmd that were not given on the command line
// from the environment (W2V_<COMMAND>_<FLAG>) or, failing that, from the
// config file's section for cmd; flags left unset keep their defaults. This
// is the one place flags meet viper, so every command gets the same
// precedence: flag > environment > file > default.
func applyConfig(cmd *cobra.Command, path string) error {
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
	}
	section := cmd.Name()
	if path != "" {
		if err := checkSection(v, path, section, cmd.Flags()); err != nil {
			return err
		}
	}
	var firstErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == "help" || f.Name == "config" || firstErr != nil {
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
			env := "W2V_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
			firstErr = usagef("invalid value %q for %s (from %s or %s): %v", fmt.Sprint(val), f.Name, env, configName(path), err)
		}
	})
	return firstErr
}

func configName(path string) string {
	if path == "" {
		return "config file"
	}
	return path
}

// checkSection rejects settings in the command's section that name no flag,
// so a typo in the config file is reported instead of silently ignored.
func checkSection(v *viper.Viper, path, section string, flags *pflag.FlagSet) error {
	sub := v.GetStringMap(section)
	var unknown []string
	for k := range sub {
		if flags.Lookup(k) == nil {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return usagef("config file %s: section %q has unknown setting %s (see 'w2v %s --help')",
			path, section, strings.Join(unknown, ", "), section)
	}
	return nil
}
