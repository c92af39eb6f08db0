// Package memstat reports the process's peak memory use and the memory it may
// still take, so commands can print honest summaries and refuse jobs that
// cannot fit before allocating for them.
package memstat

// PeakRSS returns the largest resident set size the process has reached, in
// bytes, and false where the platform does not report it.
func PeakRSS() (int64, bool) { return peakRSS() }

// Available returns how many more bytes the process can reasonably allocate:
// the room left under its cgroup memory limit when one is set, otherwise the
// system's available memory. It returns false where neither is known.
func Available() (int64, bool) { return available() }
