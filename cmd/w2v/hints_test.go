package main

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"dim", "dim", 0},
		{"dimm", "dim", 1},
		{"dim", "dimm", 1},
		{"trian", "train", 2}, // a swap is two edits
		{"epoch", "epochs", 1},
		{"", "hs", 2},
		{"window", "widow", 1},
		{"size", "dim", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFlagKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"min_count", "min-count"},
		{"minCount", "mincount"},
		{"vector_size", "vector-size"},
		{"dim", "dim"},
	}
	for _, tt := range tests {
		if got := flagKey(tt.in); got != tt.want {
			t.Errorf("flagKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
