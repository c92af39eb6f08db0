// Package phrases finds phrases — pairs of adjacent words that occur together
// far more often than chance — and joins each into one token, as word2vec's
// word2phrase tool does: "new york" becomes "new_york". Run it again on its
// own output to find longer phrases ("new_york times" → "new_york_times").
//
// It works in two passes. Count reads the corpus once, counting every word
// and every pair of adjacent words on the same line; it bounds its memory by
// pruning the rarest entries whenever the table passes a limit (word2vec's
// ReduceVocab). Model then scores each pair a b as
//
//	(count(a b) − minCount) / (count(a) · count(b)) · totalWords
//
// and keeps the pairs that score above a threshold and whose words both occur
// at least minCount times. Model.Apply reads the corpus a second time and
// writes it back with the kept pairs joined by "_", left to right: a joined
// pair uses up both its words, so in "a b c" with both pairs kept the output
// is "a_b c". Pairs are never joined across a line break or across files.
//
// Words are runs of bytes between ASCII whitespace or NUL bytes, cleaned as
// package corpus cleans them for training: invalid UTF-8 is replaced and
// overlong words are truncated. Apply keeps the input's line structure
// exactly — one output line per input line, blank lines included — and
// separates the words of a line by single spaces.
package phrases
