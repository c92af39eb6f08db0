package vecfile

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// checkParse fails unless parseFloat32(s) is strconv.ParseFloat(s, 32) to
// the bit, errors included.
func checkParse(t *testing.T, s string) {
	t.Helper()
	got, gerr := parseFloat32([]byte(s))
	want, werr := strconv.ParseFloat(s, 32)
	if (gerr == nil) != (werr == nil) || (werr != nil && !errors.Is(werr, gerr)) {
		t.Fatalf("parseFloat32(%q): error %v, strconv %v", s, gerr, werr)
	}
	if math.Float32bits(float32(got)) != math.Float32bits(float32(want)) && !(math.IsNaN(got) && math.IsNaN(want)) {
		t.Fatalf("parseFloat32(%q) = %v, strconv %v", s, got, want)
	}
}

func TestParseFloat32(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "+0", "1", "-1", "0.5", ".5", "5.", "-0.0123", "0.5179862", "1.25e-05", "1E5", "3e+2",
		"16777216", "16777217", "0.16777217", "1e10", "1e11", "1e-10", "1e-11", "123456789e-8",
		"0.000000000000000000000000000001", "100000000000000000000000", "1234567890123456789012",
		"3.4028235e38", "3.5e38", "1e-46", "1e-45", "nan", "NaN", "inf", "-Infinity", "0x1p-2", "1_0",
		"", "-", ".", "e5", "1e", "1e+", "1.2.3", "--1", "1e99999999999", "00000000000000000000001.5",
	} {
		checkParse(t, s)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		f := float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-6)))
		for _, s := range []string{
			strconv.FormatFloat(float64(f), 'g', -1, 32),
			strconv.FormatFloat(float64(f), 'f', 4, 32),
			strconv.FormatFloat(float64(f), 'e', 6, 32),
			strconv.FormatFloat(float64(f), 'g', 9, 64),
		} {
			checkParse(t, s)
		}
	}
}

// FuzzParseFloat32 checks the fast path against strconv.
func FuzzParseFloat32(f *testing.F) {
	for _, s := range []string{"0.5179862", "-1.25e-05", "16777217", "1e10", "nan"} {
		f.Add(s)
	}
	f.Fuzz(checkParse)
}
