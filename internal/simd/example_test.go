package simd_test

import (
	"fmt"

	"github.com/w2vtool/w2v/internal/simd"
)

func ExampleDot() {
	x := []float32{1, 2, 3}
	y := []float32{4, 5, 6}
	fmt.Println(simd.Dot(x, y))
	// Output: 32
}

func ExampleAxpy() {
	x := []float32{1, 2, 3}
	y := []float32{10, 20, 30}
	simd.Axpy(0.5, x, y) // y += 0.5·x
	fmt.Println(y)
	// Output: [10.5 21 31.5]
}
