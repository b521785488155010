package wire

import (
	"math"
	"strconv"
	"strings"
)

// Quantize returns the raw value of v for the field, made valid by Clamp:
// for TypeFixed round(v * Scale); for TypeAngle, v in radians (any value,
// counter-clockwise) as the nearest of Scale steps per turn, modulo Scale;
// for the other types round(v). Rounding is half away from zero; values
// beyond int32 saturate and NaN gives 0. The field must be valid
// (Schema.Validate).
func (f *Field) Quantize(v float64) int32 {
	switch f.Type {
	case TypeFixed:
		v *= float64(f.Scale)
	case TypeAngle:
		turns := v / (2 * math.Pi)
		turns -= math.Floor(turns)
		// A turn rounds up to Scale steps, which Clamp takes modulo Scale.
		v = turns * float64(f.Scale)
	}
	return f.Clamp(roundInt32(v))
}

// roundInt32 rounds v half away from zero into int32, saturating, with
// NaN as 0 (Go leaves out-of-range float conversions undefined).
func roundInt32(v float64) int32 {
	v = math.Round(v)
	switch {
	case v != v:
		return 0
	case v >= math.MaxInt32:
		return math.MaxInt32
	case v <= math.MinInt32:
		return math.MinInt32
	}
	return int32(v)
}

// Dequantize returns what the raw value means: for TypeFixed raw / Scale;
// for TypeAngle radians in [0, 2π) (raw taken modulo Scale); for the other
// types raw itself. The field must be valid (Schema.Validate).
func (f *Field) Dequantize(raw int32) float64 {
	switch f.Type {
	case TypeFixed:
		return float64(raw) / float64(f.Scale)
	case TypeAngle:
		steps := raw % f.Scale
		if steps < 0 {
			steps += f.Scale
		}
		return float64(steps) * 2 * math.Pi / float64(f.Scale)
	}
	return float64(raw)
}

// Text returns the name of the raw value, for tools that print values: an
// ENUM's name, the names of a FLAGS value's set bits joined by "|" (bits
// without a name, or with an empty one, as one hexadecimal number after
// them), "true" or "false"
// for a BOOL. It returns "" when there is no name to show, the number
// itself being the best text: for the numeric types, a FLAGS value of 0,
// an ENUM or BOOL value outside its range.
func (f *Field) Text(raw int32) string {
	switch f.Type {
	case TypeBool:
		switch raw {
		case 0:
			return "false"
		case 1:
			return "true"
		}
	case TypeEnum:
		if raw >= 0 && int(raw) < len(f.Names) {
			return f.Names[raw]
		}
	case TypeFlags:
		return f.flagsText(uint32(raw))
	}
	return ""
}

// flagsText joins the names of the set bits of v.
func (f *Field) flagsText(v uint32) string {
	var b strings.Builder
	for i, name := range f.Names {
		if v&(1<<i) == 0 || name == "" {
			continue
		}
		v &^= 1 << i
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString(name)
	}
	if v != 0 {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString("0x")
		b.WriteString(strconv.FormatUint(uint64(v), 16))
	}
	return b.String()
}
