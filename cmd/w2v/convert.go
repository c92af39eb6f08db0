package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// convertOptions are the convert command's settings.
type convertOptions struct {
	output string
	format string
}

func newConvertCmd(s streams) *cobra.Command {
	o := convertOptions{}
	cmd := &cobra.Command{
		Use:   "convert [flags] MODEL -o OUTPUT",
		Short: "Convert a vector file, by default to w2v's native format that opens instantly",
		Long: `Convert a vector file between formats. The input may be in any format the
query commands read (word2vec text or binary, fastText .vec or .bin,
gzipped, or native); the output is in the format --format names, else the
one its name implies (.w2v native, .txt or .vec text, .bin word2vec binary;
.gz compresses text or binary), else native.

A fastText .bin model holds each word's rows and the rows of 2 million
hashed character n-grams, which give any word a vector. Converted to native,
the n-gram rows are kept (memory-mapped like the vectors), so the query
commands still give unseen words their subword vectors; converted to text or
binary, each word gets its full vector (the mean of its rows), as fastText's
own .vec file holds it. --format fasttext writes a .bin again, and needs a
.bin to convert.

The native format holds the vectors normalised, their lengths, and a hash
index of the words, laid out to be memory-mapped: the query commands open a
native model of any size in a fraction of a second and share its pages with
other processes using it. Converting back to text or binary restores the
vectors to within float rounding.`,
		Example: `  # Make a model quick to open:
  w2v convert GoogleNews-vectors-negative300.bin.gz -o google.w2v
  w2v nearest -m google.w2v king

  # Binary to text:
  w2v convert vectors.bin --format text -o vectors.txt

  # A fastText model that opens at once, unseen words included:
  w2v convert cc.en.300.bin -o cc.en.300.w2v
  w2v nearest -m cc.en.300.w2v accomodation`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return failure.Usagef("convert: want one input file, got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				o.format = ""
			}
			return runConvert(s, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write the converted vectors to this file (required)")
	f.StringVarP(&o.format, "format", "f", "native", "output format: native, text, binary or fasttext (default: from the output's name, .w2v/.txt/.vec/.bin, else native)")
	return cmd
}

func runConvert(s streams, o convertOptions, input string) error {
	var format vecfile.Format
	switch strings.ToLower(o.format) {
	case "":
	case "native":
		format = vecfile.Native
	case "text":
		format = vecfile.Text
	case "binary":
		format = vecfile.Binary
	case "fasttext":
		format = vecfile.FastTextBin
	default:
		return failure.Usagef("--format must be native, text, binary or fasttext, got %q", o.format)
	}
	return job.Convert(s.job(), input, o.output, format)
}
