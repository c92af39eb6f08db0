//go:build purego || !(amd64 || arm64)

package simd

func archKernels() (supported []kernels, missing []string) { return nil, nil }
