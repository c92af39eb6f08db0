// Package memstat reports the process's peak memory use and the memory it may
// still take, so commands can print honest summaries and refuse jobs that
// cannot fit before allocating for them.
package memstat

import "fmt"

// PeakRSS returns the largest resident set size the process has reached, in
// bytes, and false where the platform does not report it.
func PeakRSS() (int64, bool) { return peakRSS() }

// Available returns how many more bytes the process can reasonably allocate:
// the room left under its cgroup memory limit when one is set, otherwise the
// system's available memory. It returns false where neither is known.
func Available() (int64, bool) { return available() }

// TooBigError reports work that needs more memory than is available.
type TooBigError struct {
	What        string // what needs the memory, e.g. "the vectors"
	Need, Avail int64  // bytes
}

func (e *TooBigError) Error() string {
	return fmt.Sprintf("%s needs %s of memory but only %s is available", e.What, gib(e.Need), gib(e.Avail))
}

func gib(n int64) string { return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30)) }

// Check returns a *TooBigError when what needs more than the need bytes
// Available reports, so a job too big for the machine gets a clear error
// before it allocates, rather than the out-of-memory killer. Where the
// available memory is unknown it returns nil.
func Check(need int64, what string) error {
	avail, ok := Available()
	return check(need, what, avail, ok)
}

func check(need int64, what string, avail int64, known bool) error {
	if !known || need <= avail {
		return nil
	}
	return &TooBigError{What: what, Need: need, Avail: avail}
}
