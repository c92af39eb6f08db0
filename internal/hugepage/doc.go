// Package hugepage allocates the large float32 matrices that training reads
// at random rows, asking the operating system to back them with huge pages.
//
// Training touches a few rows of each matrix per update, anywhere in
// matrices of tens or hundreds of megabytes. With 4 KiB pages nearly every
// row access misses the TLB as well as the cache, and the page walk adds
// to the wait for memory; one 2 MiB page covers what 512 small ones do.
// Linux gives huge pages to memory that asks for them (madvise) when
// transparent huge pages are in "madvise" mode, the default of many
// distributions, and Go's heap does not ask. numpy does, for its large
// arrays, so gensim's matrices get them.
package hugepage
