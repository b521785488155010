package drones

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSinTableMatchesMath(t *testing.T) {
	for k := int32(0); k < AngleSteps; k++ {
		rad := float64(k) * 2 * math.Pi / AngleSteps
		if d := math.Abs(float64(sinA(k)) - math.Sin(rad)*trigOne); d > 1 {
			t.Fatalf("sin(%d) = %d, want %.2f", k, sinA(k), math.Sin(rad)*trigOne)
		}
		if d := math.Abs(float64(cosA(k)) - math.Cos(rad)*trigOne); d > 1 {
			t.Fatalf("cos(%d) = %d, want %.2f", k, cosA(k), math.Cos(rad)*trigOne)
		}
	}
}

func TestIntegerMath(t *testing.T) {
	tests := []struct {
		name      string
		got, want int64
	}{
		{"isqrt 0", isqrt(0), 0},
		{"isqrt 1", isqrt(1), 1},
		{"isqrt 15", isqrt(15), 3},
		{"isqrt 16", isqrt(16), 4},
		{"isqrt big", isqrt(1<<62 - 1), 1<<31 - 1},
		{"isqrt max", isqrt(math.MaxInt64), 3037000499},
		{"ceilSqrt 15", ceilSqrt(15), 4},
		{"ceilSqrt 16", ceilSqrt(16), 4},
		{"roundDiv 5/2", roundDiv(5, 2), 3},
		{"roundDiv -5/2", roundDiv(-5, 2), -2},
		{"dragged stops", dragged(1, q16/100), 0},
		{"dragged -1 stops", dragged(-1, q16/100), 0},
		{"signedAngle 2048", int64(signedAngle(2048)), -2048},
		{"signedAngle -1", int64(signedAngle(-1)), -1},
		{"clampPitch straight down", int64(clampPitch(3 * AngleSteps / 4)), -PitchLimit},
		{"clampPitch up", int64(clampPitch(AngleSteps / 4)), PitchLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		v := r.Int64N(1 << 62)
		s := isqrt(v)
		if s*s > v || (s+1)*(s+1) <= v {
			t.Fatalf("isqrt(%d) = %d", v, s)
		}
	}
}

func TestAtan2(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(y, x int64) {
		t.Helper()
		want := math.Atan2(float64(y), float64(x)) / (2 * math.Pi) * AngleSteps
		got := float64(atan2(y, x))
		d := math.Mod(got-want+2*AngleSteps, AngleSteps)
		if d > AngleSteps/2 {
			d -= AngleSteps
		}
		if math.Abs(d) > 0.51 {
			t.Fatalf("atan2(%d, %d) = %v, want %.2f", y, x, got, want)
		}
	}
	for _, p := range [][2]int64{{0, 1}, {1, 0}, {0, -1}, {-1, 0}, {1, 1}, {-1, -1}, {1, -1}, {-1, 1}, {3, 1000000}} {
		check(p[0], p[1])
	}
	for range 20000 {
		check(r.Int64N(1<<31)-1<<30, r.Int64N(1<<31)-1<<30)
	}
	if a := atan2(0, 0); a != 0 {
		t.Errorf("atan2(0, 0) = %d, want 0", a)
	}
}
