package arena

import (
	"math"
)

// velScale is the number of velocity units per world unit per second.
// Positions use unit = velScale·TickHz sub-units per world unit, so a
// velocity in velScale units is also exactly the sub-units moved per tick:
// 100 units/s is 102400 sub-units per tick at any tick rate, with no
// rounding drift.
const velScale = 1024

// maxTickHz bounds the tick rate so every product in the physics fits int64.
const maxTickHz = 1000

// unitFor returns the sub-units per world unit at tickHz.
func unitFor(tickHz int) int64 { return velScale * int64(tickHz) }

// isqrt returns floor(sqrt(v)) for v >= 0. The float square root is
// correctly rounded by IEEE 754 on every platform, and the integer fix-up
// makes the result exact regardless.
func isqrt(v int64) int64 {
	if v <= 0 {
		return 0
	}
	r := int64(math.Sqrt(float64(v)))
	for r*r > v {
		r--
	}
	for (r+1)*(r+1) <= v {
		r++
	}
	return r
}

// ceilSqrt returns ceil(sqrt(v)) for v >= 0.
func ceilSqrt(v int64) int64 {
	r := isqrt(v)
	if r*r < v {
		r++
	}
	return r
}

// floorDiv divides rounding toward negative infinity (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// roundDiv divides rounding to nearest, halves up (b > 0).
func roundDiv(a, b int64) int64 { return floorDiv(2*a+b, 2*b) }

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func clamp64(v, lo, hi int64) int64 {
	return max(lo, min(hi, v))
}

// trigOne is the fixed-point 1.0 of the sine table.
const trigOne = 1 << 16

// sinTab holds sin(k·2π/AngleSteps)·trigOne. It is built from an integer
// Taylor series, not math.Sin, so it is identical on every architecture.
var sinTab = buildSinTable()

func buildSinTable() (tab [AngleSteps]int32) {
	const (
		q       = 30
		piQ30   = 3373259426 // π·2^30, rounded
		quarter = AngleSteps / 4
	)
	var qt [quarter + 1]int32
	for k := int64(0); k <= quarter; k++ {
		x := k * piQ30 / (2 * quarter) // radians in Q30, 0..π/2
		x2 := x * x >> q
		term, sum := x, x
		for n := int64(1); n < 12; n++ {
			term = -(term * x2 >> q) / ((2 * n) * (2*n + 1))
			sum += term
		}
		qt[k] = int32((sum*trigOne + 1<<(q-1)) >> q)
	}
	for k := range tab {
		switch {
		case k < quarter:
			tab[k] = qt[k]
		case k < 2*quarter:
			tab[k] = qt[2*quarter-k]
		case k < 3*quarter:
			tab[k] = -qt[k-2*quarter]
		default:
			tab[k] = -qt[4*quarter-k]
		}
	}
	return tab
}

// sinA and cosA return the fixed-point sine and cosine of an angle in
// 1/AngleSteps turns (any value; it wraps).
func sinA(a int32) int64 { return int64(sinTab[a&(AngleSteps-1)]) }
func cosA(a int32) int64 { return int64(sinTab[(a+AngleSteps/4)&(AngleSteps-1)]) }
