package vecfile

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugeAllocMin is the size from which matrices are allocated outside the Go
// heap, in transparent huge pages where the kernel allows.
const hugeAllocMin = 64 << 20

// allocMatrix returns n zeroed float32s and a function that frees them.
// First touching memory costs a page fault per 4 KiB page, which on virtual
// machines can take longer than reading the file (measured: 2.6 to 10 s per
// GiB on a Firecracker VM, against 0.1 to 0.3 s populated in huge pages); a
// big matrix therefore comes from an anonymous mapping advised to use 2 MiB
// pages (a no-op where transparent huge pages are disabled) and populated
// at once. Freeing it is up to the
// caller (Vectors.Close); a process that exits frees it anyway.
func allocMatrix(n int) ([]float32, func() error) {
	size := 4 * n
	if size < hugeAllocMin {
		return make([]float32, n), nil
	}
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return make([]float32, n), nil
	}
	// Advice only: failures just mean small pages, faulted in one by one.
	unix.Madvise(mem, unix.MADV_HUGEPAGE)
	// Faulting the pages in with one call (Linux 5.14+) rather than one
	// trap per page is many times faster on virtual machines; the whole
	// matrix is about to be written anyway.
	unix.Madvise(mem, unix.MADV_POPULATE_WRITE)
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(mem))), n), func() error { return unix.Munmap(mem) }
}
