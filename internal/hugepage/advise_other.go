//go:build !linux

package hugepage

// advise does nothing where huge pages are not asked for by madvise.
func advise(b []byte) error { return nil }
