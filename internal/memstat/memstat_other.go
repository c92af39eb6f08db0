//go:build !linux && !darwin

package memstat

func peakRSS() (int64, bool)   { return 0, false }
func available() (int64, bool) { return 0, false }
