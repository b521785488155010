package fixed

import "math/bits"

// Isqrt returns floor(sqrt(v)) for v >= 0, and 0 for v < 0, by Newton's
// method from above in integers only.
func Isqrt(v int64) int64 {
	if v <= 0 {
		return 0
	}
	x := int64(1) << ((bits.Len64(uint64(v)) + 1) / 2) // >= sqrt(v)
	for {
		y := (x + v/x) / 2
		if y >= x {
			return x
		}
		x = y
	}
}

// CeilSqrt returns ceil(sqrt(v)) for v >= 0.
func CeilSqrt(v int64) int64 {
	r := Isqrt(v)
	if r*r < v {
		r++
	}
	return r
}

// FloorDiv divides rounding toward negative infinity (b > 0).
func FloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// RoundDiv divides rounding to nearest, halves up (b > 0).
func RoundDiv(a, b int64) int64 { return FloorDiv(2*a+b, 2*b) }

// Abs returns |v| (v > math.MinInt64).
func Abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// Clamp returns v limited to lo..hi.
func Clamp(v, lo, hi int64) int64 {
	return max(lo, min(hi, v))
}
