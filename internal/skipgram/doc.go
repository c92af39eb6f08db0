// Package skipgram trains word vectors: the model's two matrices, the
// training loop, and the learning-rate schedule.
//
// # Hogwild
//
// Workers update the shared matrices without locks, as word2vec, fastText and
// gensim do (Recht et al., "Hogwild!", 2011). Two workers may read and write
// the same row at once; a lost or torn float32 update is noise that SGD
// absorbs, and rows are touched sparsely enough that it is rare. This is the
// one deliberate data race in w2v, and it lives in this package alone: the
// matrices are written by the worker's update methods (update.go) and by
// hotRows.push (hotrows.go). The latter serves the top of the
// hierarchical-softmax tree: every path starts at the root, so when several
// workers train with --hs each trains its own copy of the nodes nearest the
// root and adds its changes to the shared rows every syncWords words, under
// a lock, so that no worker's exchange overwrites another's.
// Tests that train with several workers are excluded from the race detector
// by a build tag; the race detector checks everything else, including this
// package's single-worker tests.
//
// # Training modes
//
// One loop (worker.run) reads sentences, subsamples them and walks each
// word's dynamic window; what happens at each window position is a small
// strategy chosen once per run. Skip-gram trains each context word's input
// vector to predict the centre word; negative sampling scores the true
// output against Negative words drawn from the unigram^0.75 distribution.
// Shared negatives (pWord2Vec, Ji et al. 2016) draw one set of negatives per
// centre word and train the whole window against it as a small matrix
// product, which moves far fewer rows through the cache. The softmax loss
// (Config.Loss) trains the same window against the same negatives with the
// sampled-softmax (InfoNCE) objective instead of independent sigmoids; see
// softmaxGradients.
//
// # Loss
//
// Every worker sums the loss of the units it trains in float64 and publishes
// it per epoch with its word count (Trainer.Losses, Progress.Loss), so the
// tally is exact however long the run, and State carries it across a resume.
package skipgram
