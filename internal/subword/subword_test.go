package subword

import (
	"fmt"
	"slices"
	"testing"
)

func TestHash(t *testing.T) {
	// Textbook 32-bit FNV-1a values for ASCII (the sign extension changes
	// nothing below 0x80), worked out from the definition.
	tests := []struct {
		in   string
		want uint32
	}{
		{"", 2166136261},
		{"a", 0xe40c292c},
		{"foobar", 0xbf9cf968},
	}
	for _, tt := range tests {
		if got := Hash(tt.in); got != tt.want {
			t.Errorf("Hash(%q) = %#x, want %#x", tt.in, got, tt.want)
		}
	}
	// A byte ≥ 0x80 is sign-extended: é is C3 A9.
	h := uint32(offset32)
	for _, b := range []byte{0xC3, 0xA9} {
		h ^= 0xFFFFFF00 | uint32(b)
		h *= prime32
	}
	if got := Hash("é"); got != h {
		t.Errorf("Hash(é) = %#x, want %#x (sign-extended bytes)", got, h)
	}
}

func TestNGrams(t *testing.T) {
	tests := []struct {
		cfg  Config
		word string
		want []string
	}{
		{Config{MinN: 3, MaxN: 4, Buckets: 10}, "cat", []string{"<ca", "<cat", "cat", "cat>", "at>"}},
		{Config{MinN: 1, MaxN: 2, Buckets: 10}, "ab", []string{"<a", "a", "ab", "b", "b>"}},
		{Config{MinN: 3, MaxN: 3, Buckets: 10}, "né", []string{"<né", "né>"}},
		{Config{MinN: 3, MaxN: 6, Buckets: 10}, "a", []string{"<a>"}},
		{Config{MinN: 0, MaxN: 0, Buckets: 10}, "cat", nil},
		{Config{MinN: 3, MaxN: 6, Buckets: 0}, "cat", nil},
	}
	for _, tt := range tests {
		if got := tt.cfg.NGrams(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("%+v NGrams(%q) = %q, want %q", tt.cfg, tt.word, got, tt.want)
		}
	}
}

func TestAppendBucketsHashesEachNGram(t *testing.T) {
	cfg := Config{MinN: 2, MaxN: 5, Buckets: 1000003}
	for _, word := range []string{"where", "über", "日本語", "x"} {
		grams := cfg.NGrams(word)
		got := cfg.AppendBuckets(nil, word)
		if len(got) != len(grams) {
			t.Fatalf("%q: %d buckets for %d n-grams", word, len(got), len(grams))
		}
		for i, g := range grams {
			if want := int32(Hash(g) % uint32(cfg.Buckets)); got[i] != want {
				t.Errorf("%q n-gram %q: bucket %d, want %d", word, g, got[i], want)
			}
		}
	}
}

func TestAppendBucketsDoesNotAllocate(t *testing.T) {
	cfg := Default()
	buf := make([]int32, 0, 64)
	allocs := testing.AllocsPerRun(100, func() { buf = cfg.AppendBuckets(buf[:0], "accommodation") })
	if allocs != 0 {
		t.Errorf("AppendBuckets allocated %v times per call", allocs)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		cfg Config
		ok  bool
	}{
		{Default(), true},
		{Config{}, true},
		{Config{MinN: 0, MaxN: 3, Buckets: 10}, false},
		{Config{MinN: 4, MaxN: 3, Buckets: 10}, false},
		{Config{MinN: 3, MaxN: 6, Buckets: -1}, false},
	}
	for _, tt := range tests {
		if err := tt.cfg.Validate(); (err == nil) != tt.ok {
			t.Errorf("%+v Validate() = %v, want ok=%v", tt.cfg, err, tt.ok)
		}
	}
}

func ExampleConfig_NGrams() {
	cfg := Config{MinN: 3, MaxN: 4, Buckets: 2000000}
	fmt.Println(cfg.NGrams("where"))
	// Output: [<wh <whe whe wher her here ere ere> re>]
}
