package settings

import (
	"testing"

	"github.com/spf13/cobra"
)

// commands builds a root with train and nearest commands, a few of w2v's
// flags each, and the root's --config, which no file or variable may set.
func commands() *cobra.Command {
	root := &cobra.Command{Use: "w2v"}
	root.PersistentFlags().String("config", "", "")
	train := &cobra.Command{Use: "train", Run: func(*cobra.Command, []string) {}}
	train.Flags().Int("dim", 100, "")
	train.Flags().Int64("min-count", 5, "")
	nearest := &cobra.Command{Use: "nearest", Run: func(*cobra.Command, []string) {}}
	nearest.Flags().Int("top", 10, "")
	version := &cobra.Command{Use: "version", Run: func(*cobra.Command, []string) {}}
	root.AddCommand(train, nearest, version)
	return root
}

func TestCheckFile(t *testing.T) {
	root := commands()
	tests := []struct {
		name     string
		settings map[string]any
		want     string // "" for no error
	}{
		{"good", map[string]any{"train": map[string]any{"dim": 300, "min-count": 2}, "nearest": map[string]any{"top": 3}}, ""},
		{"empty section", map[string]any{"train": nil}, ""},
		{"unknown setting", map[string]any{"train": map[string]any{"dims": 3, "top": 1}},
			`config file f.yaml: section "train" has unknown setting dims, top (see 'w2v train --help')`},
		{"config in a section", map[string]any{"train": map[string]any{"config": "x"}},
			`config file f.yaml: section "train" has unknown setting config (see 'w2v train --help')`},
		{"section as value", map[string]any{"train": 3},
			`config file f.yaml: "train" must be a section of settings for 'w2v train', not a value`},
		{"misspelt section", map[string]any{"trian": map[string]any{"dim": 3}},
			`config file f.yaml: unknown section "trian" (sections are named after commands: nearest, train); did you mean "train"?`},
		{"command without settings", map[string]any{"version": map[string]any{}},
			`config file f.yaml: unknown section "version" (sections are named after commands: nearest, train)`},
		{"setting outside", map[string]any{"dim": 3},
			`config file f.yaml: setting "dim" is outside any section (put it in the section of its command: train:)`},
		{"unknown outside", map[string]any{"bogus": 3},
			`config file f.yaml: setting "bogus" is outside any section (sections are named after commands: nearest, train)`},
	}
	for _, tt := range tests {
		err := CheckFile(tt.settings, "f.yaml", root)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: CheckFile = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCheckEnv(t *testing.T) {
	root := commands()
	tests := []struct {
		env  []string
		want string
	}{
		{[]string{"PATH=/bin", "W2V_TRAIN_DIM=3", "W2V_TRAIN_MIN_COUNT=1", "W2V_NEAREST_TOP=2", "W2V_EVAL_DIR=/x"}, ""},
		{[]string{"W2V_TRIAN_DIM=3"}, "environment variable W2V_TRIAN_DIM names no command (did you mean W2V_TRAIN_DIM?)"},
		{[]string{"W2V_BOGUS=3"}, "environment variable W2V_BOGUS names no command (W2V_<COMMAND>_<FLAG>, for the commands nearest, train)"},
		{[]string{"W2V_TRAIN=3"}, "environment variable W2V_TRAIN names no flag (W2V_<COMMAND>_<FLAG>)"},
		{[]string{"W2V_TRAIN_DIMS=3"}, "environment variable W2V_TRAIN_DIMS: train has no flag --dims (did you mean W2V_TRAIN_DIM?)"},
		{[]string{"W2V_TRAIN_DIMS=3", "W2V_NEAREST_TOPP=1"},
			"environment variable W2V_NEAREST_TOPP: nearest has no flag --topp (did you mean W2V_NEAREST_TOP?); W2V_TRAIN_DIMS: train has no flag --dims (did you mean W2V_TRAIN_DIM?)"},
	}
	for _, tt := range tests {
		err := CheckEnv(root, tt.env)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("CheckEnv(%q) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestEnvName(t *testing.T) {
	if got := EnvName("train", "min-count"); got != "W2V_TRAIN_MIN_COUNT" {
		t.Errorf("EnvName(train, min-count) = %q", got)
	}
}
