package flaghint

import (
	"testing"

	"github.com/spf13/cobra"
)

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"dim", "dim", 0},
		{"dimm", "dim", 1},
		{"dim", "dimm", 1},
		{"trian", "train", 2}, // a swap is two edits
		{"epoch", "epochs", 1},
		{"", "hs", 2},
		{"window", "widow", 1},
		{"size", "dim", 3},
	}
	for _, tt := range tests {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFlagKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"min_count", "min-count"},
		{"minCount", "mincount"},
		{"vector_size", "vector-size"},
		{"dim", "dim"},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// commands builds a root with a train command that takes files and a
// nearest command that does not, with a few of w2v's flags.
func commands() (root, train, nearest *cobra.Command) {
	root = &cobra.Command{Use: "w2v"}
	train = &cobra.Command{Use: "train [flags] CORPUS...", Run: func(*cobra.Command, []string) {}}
	train.Flags().Int("dim", 100, "")
	train.Flags().Int("window", 5, "")
	train.Flags().Bool("binary", false, "")
	train.Flags().Bool("hs", false, "")
	train.Flags().Int("buckets", 2000000, "")
	train.Flags().String("model", "skipgram", "")
	train.Flags().StringP("output", "o", "", "")
	train.Flags().BoolP("quiet", "q", false, "")
	nearest = &cobra.Command{Use: "nearest", Run: func(*cobra.Command, []string) {}}
	nearest.Flags().StringP("model", "m", "", "")
	nearest.Flags().IntP("top", "k", 10, "")
	root.AddCommand(train, nearest)
	root.SuggestionsMinimumDistance = 2
	return root, train, nearest
}

func TestCheck(t *testing.T) {
	root, train, nearest := commands()
	tests := []struct {
		cmd  *cobra.Command
		args []string
		want string // "" for no error
	}{
		{train, []string{"--dim", "5", "corpus.txt"}, ""},
		{train, []string{"-qo", "v.txt", "corpus.txt"}, ""},
		{train, []string{"-window", "3", "corpus.txt"}, "unknown flag: -window; did you mean --window?"},
		{train, []string{"-size", "300"}, "unknown flag: -size (word2vec's); did you mean --dim?"},
		{train, []string{"-cbow", "0"}, "unknown flag: -cbow (word2vec's); did you mean --model skipgram?"},
		{train, []string{"--vector_size", "300"}, "unknown flag: --vector_size (gensim's); did you mean --dim?"},
		{train, []string{"-train", "c.txt"}, "unknown flag: -train (word2vec's); did you mean w2v train CORPUS (the corpus is an argument, not a flag)?"},
		{train, []string{"-bucket", "1000"}, "unknown flag: -bucket (fastText's); did you mean --buckets?"},
		{train, []string{"--binary", "false", "c.txt"}, "--binary takes no value; leave --binary out (or write --binary=false): it is off by default"},
		{train, []string{"-hs", "1"}, "unknown flag: -hs; did you mean --hs? (--hs=true works too)"},
		{train, []string{"--dimm", "5"}, "unknown flag: --dimm; did you mean --dim?"},
		{train, []string{"--wndw", "5"}, ""}, // two edits from --window: too far for a short name; pflag reports it
		{train, []string{"--", "-size"}, ""},
		{nearest, []string{"-train", "x"}, ""}, // nearest reads no corpus
		{nearest, []string{"--topp", "3"}, "unknown flag: --topp; did you mean --top?"},
		{root, []string{"word2vec"}, `unknown command "word2vec"; did you mean w2v train (word2vec's word2vec)?`},
		{root, []string{"trian"}, `unknown command "trian"; did you mean train?`},
	}
	for _, tt := range tests {
		err := Check(tt.cmd, tt.args)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Check(%s, %q) = %q, want %q", tt.cmd.Name(), tt.args, got, tt.want)
		}
	}
}

func TestClosestName(t *testing.T) {
	names := []string{"analogy", "nearest", "train"}
	tests := []struct{ in, want string }{
		{"trian", "train"},
		{"nearst", "nearest"},
		{"similarity", ""},
		{"train", "train"},
	}
	for _, tt := range tests {
		if got := ClosestName(tt.in, names); got != tt.want {
			t.Errorf("ClosestName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
