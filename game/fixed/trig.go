package fixed

// AngleSteps is the angle steps per full turn of Sin, Cos and Atan2 (12
// bits); angles grow counter-clockwise from +x.
const AngleSteps = 4096

// One is the fixed-point 1.0 of Sin and Cos.
const One = 1 << 16

// sinTab holds sin(k·2π/AngleSteps)·One. It is built from an integer
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
		qt[k] = int32((sum*One + 1<<(q-1)) >> q)
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

// Sin returns sin(a)·One for an angle in 1/AngleSteps turns (any value; it
// wraps).
func Sin(a int32) int64 { return int64(sinTab[a&(AngleSteps-1)]) }

// Cos returns cos(a)·One for an angle in 1/AngleSteps turns (any value; it
// wraps).
func Cos(a int32) int64 { return int64(sinTab[(a+AngleSteps/4)&(AngleSteps-1)]) }

// Atan2 returns the angle of (x, y) in 1/AngleSteps turns, 0..AngleSteps-1,
// counter-clockwise from +x, to the nearest step; 0 for the origin. It
// binary searches the sine table over the first octant, so it is exact
// integer math like the rest.
func Atan2(y, x int64) int32 {
	if x == 0 && y == 0 {
		return 0
	}
	ax, ay := Abs(x), Abs(y)
	lo, hi := min(ax, ay), max(ax, ay)
	// The largest a in [0, 45°] with tan(a) <= lo/hi, as sin(a)·hi <= cos(a)·lo.
	const octant = AngleSteps / 8
	a, b := int32(0), int32(octant)
	for a < b {
		m := (a + b + 1) / 2
		if Sin(m)*hi <= Cos(m)*lo {
			a = m
		} else {
			b = m - 1
		}
	}
	// sin(a)·hi - cos(a)·lo is |(x, y)|·sin(a - the angle), so the smaller
	// residual is the nearer step.
	if a < octant && Abs(Sin(a+1)*hi-Cos(a+1)*lo) < Abs(Sin(a)*hi-Cos(a)*lo) {
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
