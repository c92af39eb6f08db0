// Package sampling holds the randomness of training: a small fast random
// number generator, the subsampling of frequent words, and the unigram^0.75
// distribution that negative samples are drawn from.
package sampling
