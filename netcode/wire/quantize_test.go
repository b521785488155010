package wire

import (
	"math"
	"math/rand/v2"
	"testing"
)

var (
	position = Field{Name: "x", Type: TypeFixed, Scale: 8}
	angle    = Field{Name: "angle", Type: TypeAngle, Scale: 4096}
	degrees  = Field{Name: "heading", Type: TypeAngle, Scale: 360}
	moveAxis = Field{Name: "move_x", Type: TypeInt, Min: -127, Max: 127}
	weapon   = Field{Name: "weapon", Type: TypeEnum, Names: []string{"none", "blaster", "rocket"}}
	status   = Field{Name: "flags", Type: TypeFlags, Names: []string{"alive", "", "shielded"}}
)

func TestQuantize(t *testing.T) {
	tests := []struct {
		name string
		f    Field
		in   float64
		want int32
	}{
		{"fixed 0", position, 0, 0},
		{"fixed 1", position, 1, 8},
		{"fixed -1", position, -1, -8},
		{"fixed 5", position, 5, 40},
		{"fixed below half", position, 0.0624, 0},
		{"fixed half rounds away", position, 0.0625, 1},
		{"fixed negative half rounds away", position, -0.0625, -1},
		{"fixed 123.456", position, 123.456, 988},
		{"fixed saturates up", position, 1e300, math.MaxInt32},
		{"fixed saturates down", position, -1e300, math.MinInt32},
		{"fixed +Inf", position, math.Inf(1), math.MaxInt32},
		{"fixed NaN", position, math.NaN(), 0},
		{"fixed clamped to its range", Field{Type: TypeFixed, Scale: 100, Min: -50, Max: 50}, 0.7, 50},
		{"angle 0", angle, 0, 0},
		{"angle quarter", angle, math.Pi / 2, 1024},
		{"angle half", angle, math.Pi, 2048},
		{"angle negative quarter", angle, -math.Pi / 2, 3072},
		{"angle full turn", angle, 2 * math.Pi, 0},
		{"angle just below a turn rounds to 0", angle, 2*math.Pi - 1e-9, 0},
		{"angle two and a half turns", angle, 5 * math.Pi, 2048},
		{"angle one step", angle, 2 * math.Pi / 4096, 1},
		{"angle in degrees", degrees, math.Pi / 4, 45},
		{"angle NaN", angle, math.NaN(), 0},
		{"int rounds half away", Field{Type: TypeInt}, 2.5, 3},
		{"int rounds negative half away", Field{Type: TypeInt}, -2.5, -3},
		{"move axis full", moveAxis, 127, 127},
		{"move axis clamped", moveAxis, -1000, -127},
		{"uint clamps negatives", Field{Type: TypeUint}, -3, 0},
		{"bool below half", Field{Type: TypeBool}, 0.4, 0},
		{"bool above half", Field{Type: TypeBool}, 0.6, 1},
		{"bool negative", Field{Type: TypeBool}, -1, 1},
		{"enum clamped to its names", weapon, 5, 2},
		{"enum negative", weapon, -1, 0},
		{"flags lose unnamed bits", status, 15, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Quantize(tt.in); got != tt.want {
				t.Fatalf("Quantize(%v) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestQuantizeFixedRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, scale := range []int32{1, 8, 100, 4096} {
		f := Field{Type: TypeFixed, Scale: scale}
		for range 10000 {
			v := (r.Float64() - 0.5) * 1e5
			if err := math.Abs(f.Dequantize(f.Quantize(v)) - v); err > 0.5/float64(scale) {
				t.Fatalf("scale %d: %v round-trips with error %v", scale, v, err)
			}
		}
	}
}

func TestQuantizeAngleRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		v := r.Float64() * 2 * math.Pi
		got := angle.Dequantize(angle.Quantize(v))
		// The distance the short way round is at most half a step.
		d := math.Abs(math.Remainder(got-v, 2*math.Pi))
		if d > math.Pi/4096+1e-12 {
			t.Fatalf("%v round-trips to %v", v, got)
		}
	}
}

func TestDequantize(t *testing.T) {
	tests := []struct {
		name string
		f    Field
		raw  int32
		want float64
	}{
		{"fixed", position, 988, 123.5},
		{"fixed negative", position, -4, -0.5},
		{"angle 0", angle, 0, 0},
		{"angle quarter", angle, 1024, math.Pi / 2},
		{"angle half", angle, 2048, math.Pi},
		{"angle negative", angle, -1024, 3 * math.Pi / 2},
		{"angle one turn", angle, 4096, 0},
		{"angle past a turn", angle, 4096 + 2048, math.Pi},
		{"angle MinInt32", degrees, math.MinInt32, float64((math.MinInt32%360+360)%360) * math.Pi / 180},
		{"degrees", degrees, 90, math.Pi / 2},
		{"int", Field{Type: TypeInt}, -7, -7},
		{"uint", Field{Type: TypeUint}, math.MaxInt32, math.MaxInt32},
		{"enum", weapon, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Dequantize(tt.raw); math.Abs(got-tt.want) > 1e-12 {
				t.Fatalf("Dequantize(%d) = %v, want %v", tt.raw, got, tt.want)
			}
		})
	}
}

func TestFieldText(t *testing.T) {
	tests := []struct {
		name string
		f    Field
		raw  int32
		want string
	}{
		{"bool false", Field{Type: TypeBool}, 0, "false"},
		{"bool true", Field{Type: TypeBool}, 1, "true"},
		{"bool out of range", Field{Type: TypeBool}, 2, ""},
		{"enum", weapon, 1, "blaster"},
		{"enum last", weapon, 2, "rocket"},
		{"enum past the names", weapon, 3, ""},
		{"enum negative", weapon, -1, ""},
		{"flags none", status, 0, ""},
		{"flags one", status, 1, "alive"},
		{"flags two", status, 5, "alive|shielded"},
		{"flags bit with an empty name", status, 2, "0x2"},
		{"flags unnamed bits", status, 4 | 8 | math.MinInt32, "shielded|0x80000008"},
		{"int", Field{Type: TypeInt}, 5, ""},
		{"fixed", position, 8, ""},
		{"angle", angle, 1024, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Text(tt.raw); got != tt.want {
				t.Fatalf("Text(%d) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}
