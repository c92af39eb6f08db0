//go:build !unix

package vecfile

import (
	"io"
	"os"
)

// mapFile reads the first size bytes of f into memory, where memory
// mapping is not available.
func mapFile(f *os.File, size int) ([]byte, func() error, error) {
	mem := make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, int64(size)), mem); err != nil {
		return nil, nil, err
	}
	return mem, func() error { return nil }, nil
}
