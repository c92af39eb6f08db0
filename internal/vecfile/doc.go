// Package vecfile reads and writes word vectors on disk: word2vec's text and
// binary formats (which gensim, fastText's .vec and the C tools share). It is
// the only code that parses untrusted model files.
package vecfile
