package drones

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
