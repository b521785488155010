package wire

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestQuantizePosition(t *testing.T) {
	tests := []struct {
		in   float64
		want int32
	}{
		{0, 0}, {1, 8}, {-1, -8}, {5, 40}, {0.0624, 0}, {0.0625, 1}, {-0.0625, -1}, {123.456, 988},
	}
	for _, tt := range tests {
		if got := QuantizePosition(tt.in); got != tt.want {
			t.Errorf("QuantizePosition(%v) = %d, want %d", tt.in, got, tt.want)
		}
		if got, want := DequantizePosition(tt.want), float64(tt.want)/8; got != want {
			t.Errorf("DequantizePosition(%d) = %v, want %v", tt.want, got, want)
		}
	}
}

func TestQuantizePositionRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		v := (r.Float64() - 0.5) * 1e6
		if err := math.Abs(DequantizePosition(QuantizePosition(v)) - v); err > 0.5/PositionScale {
			t.Fatalf("position %v round-trips with error %v", v, err)
		}
	}
}

func TestQuantizeAngle(t *testing.T) {
	tests := []struct {
		rad  float64
		want int32
	}{
		{0, 0},
		{math.Pi / 2, 1024},
		{math.Pi, 2048},
		{-math.Pi / 2, 3072},
		{2 * math.Pi, 0},
		{2*math.Pi - 1e-9, 0}, // rounds up to a full turn, which is 0
		{5 * math.Pi, 2048},
		{2 * math.Pi / AngleSteps, 1},
	}
	for _, tt := range tests {
		if got := QuantizeAngle(tt.rad); got != tt.want {
			t.Errorf("QuantizeAngle(%v) = %d, want %d", tt.rad, got, tt.want)
		}
	}
}

func TestDequantizeAngle(t *testing.T) {
	tests := []struct {
		q    int32
		want float64
	}{
		{0, 0}, {1024, math.Pi / 2}, {2048, math.Pi}, {-1024, 3 * math.Pi / 2}, {4096, 0}, {4096 + 2048, math.Pi},
	}
	for _, tt := range tests {
		if got := DequantizeAngle(tt.q); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("DequantizeAngle(%d) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestQuantizeMove(t *testing.T) {
	tests := []struct {
		in   float64
		want int32
	}{
		{0, 0}, {1, 127}, {-1, -127}, {2, 127}, {-5, -127}, {0.5, 64}, {-0.5, -64},
	}
	for _, tt := range tests {
		if got := QuantizeMove(tt.in); got != tt.want {
			t.Errorf("QuantizeMove(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestDequantizeMove(t *testing.T) {
	tests := []struct {
		q    int32
		want float64
	}{
		{0, 0}, {127, 1}, {-127, -1}, {128, 1}, {math.MinInt32, -1}, {math.MaxInt32, 1}, {-127 / 2, -63.0 / 127},
	}
	for _, tt := range tests {
		if got := DequantizeMove(tt.q); got != tt.want {
			t.Errorf("DequantizeMove(%d) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
