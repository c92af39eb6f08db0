//go:build !linux

package vecfile

// allocMatrix returns n zeroed float32s; the Go heap frees them.
func allocMatrix(n int) ([]float32, func() error) { return make([]float32, n), nil }
