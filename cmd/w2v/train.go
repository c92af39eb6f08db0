package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/vocab"
)

func newTrainCmd(s streams) *cobra.Command {
	def := skipgram.DefaultConfig()
	o := job.TrainOptions{}
	cmd := &cobra.Command{
		Use:   "train [flags] CORPUS...",
		Short: "Train word vectors on text corpora",
		Long: `Train word vectors with word2vec's skip-gram or CBOW model, with negative
sampling and/or hierarchical softmax, on one or more text files. Defaults are
word2vec's: skip-gram, negative sampling, dim 100, window 5, 5 epochs. One
difference: skip-gram with negative sampling trains each window against one
set of negatives (--shared-negatives), 2-3 times as fast at the accuracy of
word2vec's per-pair updates, which --shared-negatives=false brings back.

Words are separated by whitespace and a newline ends a sentence; lines longer
than --max-sentence words are cut. Words occurring fewer than --min-count
times are dropped. CORPUS may be "-" for standard input, and gzip files are
read directly. Vectors are written in word2vec's text format, or binary with
--binary or an output named .bin (.gz compresses either); the output file
appears only once it is complete. With --classes K the output holds K word
classes instead, as word2vec's -classes writes them (see w2v classes).

With --subwords (or any of --minn, --maxn, --buckets) w2v trains fastText's
subword model: a word's vector is the mean of its own row and the rows of
its character n-grams (--minn to --maxn characters of "<word>", hashed into
--buckets rows as fastText hashes them), so that words never seen get
vectors too. Its defaults are fastText's (n-grams of 3 to 6 characters,
2,000,000 buckets, and a starting learning rate of 0.05); the output holds
each word's full vector.

Interrupting (Ctrl-C, SIGTERM) stops within a second and saves a checkpoint
(--checkpoint, default OUTPUT.ckpt) that --resume continues from; with one
thread and a fixed seed the resumed run gives byte-identical vectors.

--save-model FILE also keeps what continuing needs: both weight matrices,
the vocabulary with its counts and the settings. --continue FILE trains that
model on new text: its words keep their rows, words of the new text that
reach --min-count there join it with fresh rows, counts are summed, and the
learning rate starts again; a subword model keeps its n-gram rows. Settings
come from the model; --epochs, --alpha, --window, --sample, --seed,
--min-count and the like may be changed, --model, --dim, --hs, --subwords,
--minn, --maxn and --buckets may not. A word2vec or fastText vector file
cannot be continued: it lacks the output weights and counts.`,
		Example: `  # Train 100-dimensional vectors on a corpus:
  w2v train corpus.txt -o vectors.txt

  # Bigger vectors, more epochs, 8 threads, binary output:
  w2v train --dim 300 --epochs 10 --threads 8 --binary -o wiki.bin wiki.txt

  # CBOW with hierarchical softmax only, from a compressed corpus:
  w2v train --model cbow --hs --negative 0 corpus.txt.gz -o vectors.txt

  # fastText's subword model: vectors for misspelt and unseen words too,
  # as a fastText .bin model (fasttext print-word-vectors reads it):
  w2v train --subwords --sample 1e-4 --format fasttext corpus.txt -o model.bin
  # The sampled-softmax (InfoNCE) objective, and a JSON summary with the loss:
  w2v train --loss softmax --temperature 0.5 --json corpus.txt -o vectors.txt

  # Checkpoint every 10 minutes; after an interruption, carry on:
  w2v train --checkpoint-every 10m big.txt -o big.bin --binary
  w2v train --resume big.bin.ckpt

  # Keep the model, then train it further on new text:
  w2v train --save-model 2015.w2vm wiki-2015.txt -o 2015.bin
  w2v train --continue 2015.w2vm --save-model 2016.w2vm wiki-2016.txt -o 2016.bin`,
		Args: func(cmd *cobra.Command, args []string) error {
			// Cobra checks arguments before the root's hook fills flags from
			// the config file and environment: only here do the changed
			// flags tell what the command line typed.
			o.Typed = changedFlags(cmd)
			if o.Resume != "" && o.Continue != "" {
				return failure.Usagef("train: --resume and --continue do not go together: --resume carries on an interrupted run (a continued one too), --continue starts training a finished model on new text")
			}
			if len(args) == 0 && o.Continue != "" {
				return failure.Usagef("train: --continue %s: missing NEW text file to train the model on", o.Continue)
			}
			if len(args) == 0 && o.Resume == "" {
				return failure.Usagef("train: missing CORPUS file to train on")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			changed := cmd.Flags().Changed
			if !changed("output") && o.Binary {
				o.Output = "vectors.bin"
			}
			if o.Classes < 0 {
				return failure.Usagef("--classes must be 0 (write the vectors) or more, got %d", o.Classes)
			}
			if o.JSON && o.Output == "-" {
				return failure.Usagef("--json writes the summary to standard output; write the vectors to a file (-o)")
			}
			if o.Classes > 0 && o.Binary {
				return failure.Usagef("--classes writes word classes as text; --binary does not apply")
			}
			if o.SaveModel != "" && o.SaveModel == o.Output {
				return failure.Usagef("--save-model %s is also the vectors' output (-o): give it a name of its own", o.SaveModel)
			}
			o.OutputGiven = changed("output") || changed("binary")
			o.BinaryGiven = changed("binary")
			o.CheckpointGiven = changed("checkpoint")
			o.SharedNegativesGiven = changed("shared-negatives")
			arch, err := skipgram.ParseArch(o.Model)
			if err != nil {
				return failure.Usagef("--model: %v", err)
			}
			if !changed("alpha") {
				o.Alpha = skipgram.DefaultAlpha(arch)
			}
			if err := o.ResolveSubwords(changed); err != nil {
				return err
			}
			var cfg skipgram.Config
			if o.Resume == "" { // a resumed run takes the checkpoint's; a continued one, the typed flags of these
				if cfg, err = o.Config(); err != nil {
					return err
				}
			}
			return job.Train(cmd.Context(), s.job(), o, cfg, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Output, "output", "o", "vectors.txt", "write the vectors to this file (\"-\" for standard output)")
	f.BoolVar(&o.Binary, "binary", false, "write word2vec's binary format instead of text (and name the output vectors.bin unless -o is given)")
	f.StringVar(&o.Model, "model", "skipgram", "architecture: skipgram or cbow")
	f.BoolVar(&o.HS, "hs", false, "train with hierarchical softmax (with --negative 0: instead of negative sampling)")
	f.IntVar(&o.Dim, "dim", def.Dim, "dimensions of the word vectors")
	f.IntVar(&o.Window, "window", def.Window, "largest distance between a word and its context words")
	f.IntVar(&o.Negative, "negative", def.Negative, "negative samples per context word (0 = no negative sampling; needs --hs)")
	f.IntVar(&o.Epochs, "epochs", def.Epochs, "passes over the corpus")
	// No default here: it depends on --model (see RunE), and pflag would
	// print a second, wrong one.
	f.Float64Var(&o.Alpha, "alpha", 0, "starting learning rate, decaying linearly to alpha×0.1; with --subwords fastText's 0.05, decaying to 0 for skipgram (default 0.025 for skipgram, 0.05 for cbow)")
	f.Float64Var(&o.Sample, "sample", def.Sample, "subsample words more frequent than this fraction of the corpus (0 = off)")
	f.Int64Var(&o.MinCount, "min-count", 5, "drop words occurring fewer times than this")
	f.IntVar(&o.MaxVocab, "max-vocab", 0, "keep only this many most frequent words (0 = no limit)")
	f.IntVar(&o.Threads, "threads", 0, "worker threads (0 = number of CPUs)")
	f.Uint64Var(&o.Seed, "seed", def.Seed, "random seed; with --threads 1 the output is reproducible")
	f.IntVar(&o.MaxSentence, "max-sentence", corpus.DefaultMaxSentence, "cut lines longer than this many words into several sentences")
	f.IntVar(&o.MaxWordBytes, "max-word-bytes", corpus.DefaultMaxWordBytes, "truncate longer words to this many bytes (at a UTF-8 boundary)")
	f.StringVar(&o.SaveVocab, "save-vocab", "", "also write the vocabulary (\"word count\" lines) to this file")
	f.StringVar(&o.ReadVocab, "read-vocab", "", "use this vocabulary file instead of counting the corpus")
	f.IntVar(&o.MaxDistinct, "max-distinct", vocab.DefaultMaxDistinct, "count at most this many distinct words at once, up to about 100 bytes each\n(up to twice that while threads count); past it the rarest are pruned,\nas in word2vec; below it the vocabulary does not depend on --threads")
	f.BoolVar(&o.SharedNegatives, "shared-negatives", false, "skipgram: train each window against one set of negatives, as small matrix products;\non by default for skipgram with negative sampling only (no --hs, no --subwords);\n--shared-negatives=false gives word2vec's per-pair updates (see README)")
	f.StringVar(&o.Loss, "loss", def.Loss.String(), "skipgram with negative sampling: logistic (word2vec's K+1 sigmoids) or softmax\n(sampled softmax / InfoNCE over the window's shared negatives; see README)")
	f.Float64Var(&o.Temperature, "temperature", def.Temperature, "--loss softmax: divide the scores by this")
	f.BoolVar(&o.JSON, "json", false, "also write a summary (words/s, peak RSS, loss per epoch) as one JSON object to standard output")
	f.StringVar(&o.Checkpoint, "checkpoint", "", "where to save checkpoints (default OUTPUT.ckpt)")
	f.DurationVar(&o.CheckpointEvery, "checkpoint-every", 0, "also save a checkpoint this often, e.g. 10m (0 = only when interrupted)")
	f.StringVar(&o.Resume, "resume", "", "continue the run saved in this checkpoint")
	f.StringVar(&o.SaveModel, "save-model", "", "also write the model file (both matrices, counts, settings) that --continue trains further")
	f.StringVar(&o.Continue, "continue", "", "train the model in this file (written by --save-model) further on the new CORPUS")
	f.IntVar(&o.Classes, "classes", 0, "write this many word classes (k-means, as w2v classes) instead of the vectors, as word2vec's -classes")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print no progress or summary")
	addSubwordFlags(f, &o)
	return cmd
}

func changedFlags(cmd *cobra.Command) []string {
	var names []string
	cmd.Flags().Visit(func(f *pflag.Flag) { names = append(names, f.Name) })
	return names
}

// addSubwordFlags adds fastText's subword flags, with fastText's defaults.
func addSubwordFlags(f *pflag.FlagSet, o *job.TrainOptions) {
	o.Subwords = job.DefaultSubwordOptions()
	f.BoolVar(&o.Subwords.On, "subwords", false, "train fastText's subword model: words' vectors include their character n-grams, and unseen words get vectors")
	f.IntVar(&o.Subwords.MinN, "minn", o.Subwords.MinN, "subwords: shortest character n-gram (implies --subwords)")
	f.IntVar(&o.Subwords.MaxN, "maxn", o.Subwords.MaxN, "subwords: longest character n-gram (implies --subwords)")
	f.IntVar(&o.Subwords.Buckets, "buckets", o.Subwords.Buckets, "subwords: rows the n-grams are hashed into (implies --subwords)")
	f.StringVar(&o.Subwords.Format, "format", "", "output format: text, binary or fasttext (fastText's .bin model, with the n-grams;\nneeds --subwords) (default: from the output's name: .bin binary, else text)")
}
