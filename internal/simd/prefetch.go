package simd

// Prefetch asks the CPU to start loading x into its caches, so that a later
// access finds it there instead of waiting on memory. It changes no values;
// it pays off when issued a few hundred nanoseconds before the access, for
// rows whose addresses are known early (the trainer's negative samples).
func Prefetch(x []float32) {
	if len(x) > 0 {
		prefetch(x)
	}
}
