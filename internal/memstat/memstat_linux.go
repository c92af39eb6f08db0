package memstat

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

func peakRSS() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Maxrss * 1024, true // Linux reports KiB
}

func available() (int64, bool) {
	sys, sysOK := memAvailable()
	limit, usage, cgOK := cgroupLimit()
	if !cgOK {
		return sys, sysOK
	}
	room := max(limit-usage, 0)
	if sysOK && sys < room {
		return sys, true
	}
	return room, true
}

// memAvailable reads MemAvailable from /proc/meminfo.
func memAvailable() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}

// cgroupLimit returns the memory limit and current usage of the process's
// cgroup (v2, then v1); ok is false when no limit is set.
func cgroupLimit() (limit, usage int64, ok bool) {
	if l, ok := readInt("/sys/fs/cgroup/memory.max"); ok {
		u, _ := readInt("/sys/fs/cgroup/memory.current")
		return l, u, true
	}
	if l, ok := readInt("/sys/fs/cgroup/memory/memory.limit_in_bytes"); ok && l < 1<<60 {
		u, _ := readInt("/sys/fs/cgroup/memory/memory.usage_in_bytes")
		return l, u, true
	}
	return 0, 0, false
}

// readInt parses a one-number file; "max" (no limit) reports false.
func readInt(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	return n, err == nil
}
