//go:build !purego && (amd64 || arm64)

package simd

//go:noescape
func prefetch(x []float32)
