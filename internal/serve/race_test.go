//go:build race

package serve

// raceEnabled: the race detector slows requests tenfold; the load test
// sends fewer.
const raceEnabled = true
