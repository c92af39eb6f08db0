// Package simd provides the float32 vector kernels that the trainer and the
// query engine spend their time in.
//
// Each kernel is documented by the plain Go loop it computes. On amd64 and
// arm64 the kernels are implemented in assembly and chosen at run time from
// the CPU's features; elsewhere, and under the build tag purego, the pure-Go
// reference implementations are used.
package simd

//go:generate sh -c "cd asm && go run . -out ../simd_amd64.s -stubs ../simd_amd64_stubs.go -pkg simd"
