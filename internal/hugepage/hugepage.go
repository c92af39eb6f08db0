package hugepage

import "unsafe"

// size is the huge page size this package aligns its advice to: 2 MiB, the
// size of x86-64's and (with 4 KiB base pages) arm64's transparent huge
// pages.
const size = 2 << 20

// Floats returns a zeroed slice of n float32 values from Go's heap, like
// make([]float32, n), and advises the operating system to back the part of
// it that covers whole huge pages with huge pages. The advice only changes
// how memory is mapped, never its contents; where the system does not
// support it, or n is small, Floats is make.
func Floats(n int) []float32 {
	s := make([]float32, n)
	if n*4 < 2*size {
		return s
	}
	base := unsafe.Pointer(unsafe.SliceData(s))
	start := uintptr(base)
	lo := (start + size - 1) &^ (size - 1)
	hi := (start + uintptr(n)*4) &^ (size - 1)
	if hi > lo {
		// The advice is a hint: on failure the memory is still there,
		// with small pages, so the error changes nothing for the caller.
		_ = advise(unsafe.Slice((*byte)(unsafe.Add(base, lo-start)), hi-lo))
	}
	return s
}
