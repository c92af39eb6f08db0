module github.com/w2vtool/w2v/internal/simd/asm

go 1.26.0

require github.com/mmcloughlin/avo v0.6.0

// x/tools is newer than avo v0.6.0 asks for: the version it asks for does
// not build with current Go releases.
require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)
