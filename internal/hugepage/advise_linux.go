package hugepage

import "golang.org/x/sys/unix"

// advise asks Linux to back b, which starts and ends on huge page
// boundaries, with transparent huge pages.
func advise(b []byte) error {
	return unix.Madvise(b, unix.MADV_HUGEPAGE)
}
