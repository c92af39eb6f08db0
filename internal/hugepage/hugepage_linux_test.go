package hugepage

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestFloatsGetsHugePages writes a slice from Floats and checks in
// /proc/self/smaps that Linux backed it with huge pages, whenever the
// kernel's transparent huge pages are on for memory that asks for them.
func TestFloatsGetsHugePages(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		t.Skipf("no transparent huge pages here: %v", err)
	}
	if strings.Contains(string(mode), "[never]") {
		t.Skipf("transparent huge pages are off here (%s)", strings.TrimSpace(string(mode)))
	}
	s := Floats(8 * size / 4) // 16 MiB: at least 7 whole huge pages
	for i := range s {
		s[i] = float32(i)
	}
	addr := uintptr(unsafe.Pointer(&s[len(s)/2]))
	kib, err := anonHugeKiB(addr)
	if err != nil {
		t.Fatal(err)
	}
	if kib < 2048 {
		t.Errorf("the mapping holding the slice has %d KiB in huge pages, want at least one (2048 KiB); THP mode %s",
			kib, strings.TrimSpace(string(mode)))
	}
	for i, v := range s {
		if v != float32(i) {
			t.Fatalf("s[%d] = %v after writing %d", i, v, i)
		}
	}
}

func TestFloatsIsZeroedAndSized(t *testing.T) {
	for _, n := range []int{0, 1, 1000, size, 3*size + 7} {
		s := Floats(n)
		if len(s) != n {
			t.Fatalf("len(Floats(%d)) = %d", n, len(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("Floats(%d)[%d] = %v, want 0", n, i, v)
			}
		}
	}
}

// anonHugeKiB returns the AnonHugePages of the mapping in /proc/self/smaps
// that holds addr.
func anonHugeKiB(addr uintptr) (int, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = uint64(addr) >= a && uint64(addr) < b
				continue
			}
		}
		if in && fields[0] == "AnonHugePages:" && len(fields) >= 2 {
			return strconv.Atoi(fields[1])
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no mapping in /proc/self/smaps holds %#x", addr)
}
