// Package corpus turns the bytes of training text into words and sentences.
//
// Words are runs of bytes between ASCII whitespace (space, tab, newline,
// vertical tab, form feed, carriage return) or NUL bytes; a newline ends a
// sentence. The tokenizer streams: its memory is bounded by its buffer and the
// longest word it keeps, never by the size of the input, so a 400 MB file with
// no newline, or a gigabyte "word" with no whitespace, is read in constant
// memory. Every word it returns is valid UTF-8.
//
// For parallel training the input is split into shards: byte ranges whose
// ends fall just after whitespace, so each word belongs to exactly one shard.
//
// The package knows nothing of vocabularies or word ids.
package corpus
