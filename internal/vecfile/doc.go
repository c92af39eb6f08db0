// Package vecfile reads and writes word vectors on disk: word2vec's text and
// binary formats (which gensim, fastText's .vec and the C tools share),
// gzip-compressed or not, fastText's .bin models (FastText; Open reads
// their words' full vectors and keeps the n-gram rows for unseen words, see
// Subwords), and w2v's native format, which is memory-mapped
// so that a model of any size opens in milliseconds, with an optional
// nearest-neighbour graph stored after the vectors (Graph).
//
// It is the only code that parses untrusted model files. Every claim a file
// makes is checked before it is acted on: counts against the file's size,
// values for NaN and infinities (in a fastText .bin, the words' vectors;
// an unseen word's n-gram rows only when it is asked for), words for
// length and control characters,
// and a malformed file is reported as a *FormatError naming the file and
// the line or byte offset.
package vecfile
