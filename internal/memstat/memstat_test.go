package memstat

import (
	"runtime"
	"testing"
)

func TestPeakRSSGrowsWithAllocation(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("checked on Linux only")
	}
	before, ok := PeakRSS()
	if !ok || before <= 0 {
		t.Fatalf("PeakRSS = %d, %v", before, ok)
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = 1
	}
	after, _ := PeakRSS()
	if after < before+32<<20 {
		t.Fatalf("peak RSS went from %d to %d after touching 64 MiB", before, after)
	}
	runtime.KeepAlive(buf)
}

func TestAvailableIsPositive(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("checked on Linux only")
	}
	n, ok := Available()
	if !ok || n <= 0 {
		t.Fatalf("Available = %d, %v", n, ok)
	}
}
