package memstat

import (
	"errors"
	"fmt"
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
	// The peak before may already exceed the current RSS (memory freed by
	// earlier work), so the check is against the size touched, not the
	// difference: a peak below it means wrong units or a stale figure.
	const touched = 128 << 20
	buf := make([]byte, touched)
	for i := range buf {
		buf[i] = 1
	}
	after, _ := PeakRSS()
	if after < touched || after < before {
		t.Fatalf("peak RSS went from %d to %d after touching %d bytes", before, after, touched)
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

func TestCheck(t *testing.T) {
	tests := []struct {
		need, avail int64
		known       bool
		want        string
	}{
		{need: 1 << 30, avail: 2 << 30, known: true},
		{need: 2 << 30, avail: 2 << 30, known: true},
		{need: 3 << 30, avail: 2 << 30, known: true, want: "a model needs 3.00 GiB of memory but only 2.00 GiB is available"},
		{need: 1 << 40, known: false},
	}
	for _, tt := range tests {
		err := check(tt.need, "a model", tt.avail, tt.known)
		if got := fmt.Sprint(err); tt.want == "" && err != nil || tt.want != "" && got != tt.want {
			t.Errorf("check(%d, avail %d, %v) = %v, want %q", tt.need, tt.avail, tt.known, err, tt.want)
		}
		var tb *TooBigError
		if tt.want != "" && (!errors.As(err, &tb) || tb.Need != tt.need) {
			t.Errorf("check(%d) = %#v, want a *TooBigError", tt.need, err)
		}
	}
	if runtime.GOOS == "linux" {
		if err := Check(1<<62, "everything"); err == nil {
			t.Error("Check accepted 4 EiB")
		}
	}
}
