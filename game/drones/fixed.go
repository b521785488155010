package drones

import "math/bits"

// velScale is the number of velocity units per world unit per second.
// Positions use unit = velScale·TickHz sub-units per world unit, so a
// velocity in velScale units is also exactly the sub-units moved per tick,
// with no rounding drift at any tick rate. 256 (not more) keeps every
// squared distance across the box, at maxTickHz, far inside int64.
const velScale = 256

// maxTickHz bounds the tick rate so every product in the physics fits int64.
const maxTickHz = 1000

// unitFor returns the sub-units per world unit at tickHz.
func unitFor(tickHz int) int64 { return velScale * int64(tickHz) }

// q16 is the fixed-point 1.0 of per-tick fractions such as drag.
const q16 = 1 << 16

// isqrt returns floor(sqrt(v)) for v >= 0, by Newton's method from above
// in integers only.
func isqrt(v int64) int64 {
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

// atan2 returns the angle of (x, y) in 1/AngleSteps turns, 0..AngleSteps-1,
// counter-clockwise from +x, to the nearest step; 0 for the origin. It
// binary searches the sine table over the first octant, so it is exact
// integer math like the rest.
func atan2(y, x int64) int32 {
	if x == 0 && y == 0 {
		return 0
	}
	ax, ay := abs64(x), abs64(y)
	lo, hi := min(ax, ay), max(ax, ay)
	// The largest a in [0, 45°] with tan(a) <= lo/hi, as sin(a)·hi <= cos(a)·lo.
	const octant = AngleSteps / 8
	a, b := int32(0), int32(octant)
	for a < b {
		m := (a + b + 1) / 2
		if sinA(m)*hi <= cosA(m)*lo {
			a = m
		} else {
			b = m - 1
		}
	}
	// sin(a)·hi - cos(a)·lo is |(x, y)|·sin(a - the angle), so the smaller
	// residual is the nearer step.
	if a < octant && abs64(sinA(a+1)*hi-cosA(a+1)*lo) < abs64(sinA(a)*hi-cosA(a)*lo) {
		a++
	}
	if ay > ax {
		a = AngleSteps/4 - a
	}
	if x < 0 {
		a = AngleSteps/2 - a
	}
	if y < 0 {
		a = -a
	}
	return a & (AngleSteps - 1)
}

// signedAngle returns a (any value) as -AngleSteps/2..AngleSteps/2-1.
func signedAngle(a int32) int32 {
	a &= AngleSteps - 1
	if a >= AngleSteps/2 {
		a -= AngleSteps
	}
	return a
}

// wireAngle returns a (any value) as 0..AngleSteps-1, as the wire carries it.
func wireAngle(a int32) int32 { return a & (AngleSteps - 1) }
