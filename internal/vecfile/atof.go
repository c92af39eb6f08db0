package vecfile

import (
	"math"
	"strconv"
	"unsafe"
)

// pow10f32 holds the powers of ten that float32 represents exactly.
var pow10f32 = [...]float32{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10}

// parseFloat32 parses s as strconv.ParseFloat(s, 32) does, with the same
// result to the bit. Values in vector files ("-0.0123", "0.5179862",
// "-0.30396837", "1.25e-05") have at most 9 significant digits and a small
// exponent: then the digits make an integer exact in float32 or float64, as
// is 10^|exp|, so one multiplication or division rounds correctly
// (Clinger's fast path) and strconv's general machinery is skipped.
func parseFloat32(s []byte) (float64, error) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var mant uint64
	exp, sig, digits := 0, 0, 0
	for ; i < len(s) && s[i]-'0' < 10; i++ {
		mant = mant*10 + uint64(s[i]-'0')
		digits++
		if mant != 0 {
			sig++
		}
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i]-'0' < 10; i++ {
			mant = mant*10 + uint64(s[i]-'0')
			digits++
			exp--
			if mant != 0 {
				sig++
			}
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') && digits > 0 {
		i++
		eneg := false
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			eneg = s[i] == '-'
			i++
		}
		e, edigits := 0, 0
		for ; i < len(s) && s[i]-'0' < 10 && e < 1000; i++ {
			e = e*10 + int(s[i]-'0')
			edigits++
		}
		if edigits == 0 {
			return slowFloat32(s)
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(s) || digits == 0 || sig > 19 {
		return slowFloat32(s)
	}
	var f float32
	switch {
	case mant <= 1<<24 && exp >= -10 && exp <= 10:
		f = float32(mant)
		if exp < 0 {
			f /= pow10f32[-exp]
		} else {
			f *= pow10f32[exp]
		}
	case mant < 1<<53 && exp >= -22 && exp <= 22:
		// The same in float64 is correctly rounded to float64; rounding
		// that to float32 again gives the correctly rounded float32 unless
		// the float64 lies on or next to a float32 halfway point, where
		// double rounding could err. (Outside float32's normal range the
		// bits dropped are not the low 29: leave that to strconv.)
		r := float64(mant)
		if exp < 0 {
			r /= pow10f64[-exp]
		} else {
			r *= pow10f64[exp]
		}
		low := int64(math.Float64bits(r) & (1<<29 - 1))
		if r < 0x1p-126 || r > math.MaxFloat32 || low >= 1<<28-1 && low <= 1<<28+1 {
			return slowFloat32(s)
		}
		f = float32(r)
	default:
		return slowFloat32(s)
	}
	if neg {
		f = -f
	}
	return float64(f), nil
}

// pow10f64 holds the powers of ten that float64 represents exactly.
var pow10f64 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// slowFloat32 is strconv.ParseFloat(s, 32), returning only the cause of
// an error (strconv.ErrSyntax or ErrRange).
func slowFloat32(s []byte) (float64, error) {
	// The string shares s's bytes, so it must not outlive the call: the
	// *NumError that would hold it is dropped.
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(s), len(s)), 32)
	if ne, ok := err.(*strconv.NumError); ok {
		err = ne.Err
	}
	return f, err
}
