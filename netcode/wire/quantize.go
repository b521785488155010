package wire

import "math"

// PositionScale is the number of grid units per world unit: positions travel
// as int32 multiples of 1/8 unit, which keeps a player moving 100 units/s at
// 20 snapshots/s inside one varint byte per axis.
const PositionScale = 8

// AngleSteps is the number of angle steps per full turn (12 bits).
const AngleSteps = 4096

// MoveAxisMax is the largest magnitude of a quantized move axis in Input.
const MoveAxisMax = 127

// QuantizePosition maps a world coordinate to grid units, rounding to nearest.
func QuantizePosition(v float64) int32 {
	return int32(math.Round(v * PositionScale))
}

// DequantizePosition maps grid units back to world units.
func DequantizePosition(q int32) float64 { return float64(q) / PositionScale }

// QuantizeAngle maps radians (any value) to 0..AngleSteps-1.
func QuantizeAngle(rad float64) int32 {
	turns := rad / (2 * math.Pi)
	turns -= math.Floor(turns)
	q := int32(math.Round(turns * AngleSteps))
	return q % AngleSteps
}

// DequantizeAngle maps angle steps to radians in [0, 2π).
func DequantizeAngle(q int32) float64 {
	q %= AngleSteps
	if q < 0 {
		q += AngleSteps
	}
	return float64(q) * 2 * math.Pi / AngleSteps
}

// QuantizeMove maps a move axis in [-1, 1] to -MoveAxisMax..MoveAxisMax.
func QuantizeMove(v float64) int32 {
	v = math.Max(-1, math.Min(1, v))
	return int32(math.Round(v * MoveAxisMax))
}

// DequantizeMove maps a quantized move axis back to [-1, 1], clamping
// out-of-range values a client may send.
func DequantizeMove(q int32) float64 {
	if q > MoveAxisMax {
		q = MoveAxisMax
	} else if q < -MoveAxisMax {
		q = -MoveAxisMax
	}
	return float64(q) / MoveAxisMax
}
