package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSinTableMatchesMath(t *testing.T) {
	for k := int32(0); k < AngleSteps; k++ {
		rad := float64(k) * 2 * math.Pi / AngleSteps
		if d := math.Abs(float64(Sin(k)) - math.Sin(rad)*One); d > 1 {
			t.Fatalf("Sin(%d) = %d, want %.2f", k, Sin(k), math.Sin(rad)*One)
		}
		if d := math.Abs(float64(Cos(k)) - math.Cos(rad)*One); d > 1 {
			t.Fatalf("Cos(%d) = %d, want %.2f", k, Cos(k), math.Cos(rad)*One)
		}
	}
	if Sin(-1) != Sin(AngleSteps-1) || Cos(AngleSteps+5) != Cos(5) {
		t.Errorf("angles do not wrap")
	}
	if Cos(0) != One || Sin(1024) != One || Cos(-1024) != 0 {
		t.Errorf("exact points: cos0=%d sin90=%d cos-90=%d", Cos(0), Sin(1024), Cos(-1024))
	}
}

func TestIntegerMath(t *testing.T) {
	tests := []struct {
		name      string
		got, want int64
	}{
		{"Isqrt -4", Isqrt(-4), 0},
		{"Isqrt 0", Isqrt(0), 0},
		{"Isqrt 1", Isqrt(1), 1},
		{"Isqrt 15", Isqrt(15), 3},
		{"Isqrt 16", Isqrt(16), 4},
		{"Isqrt big", Isqrt(1<<62 - 1), 1<<31 - 1},
		{"Isqrt max", Isqrt(math.MaxInt64), 3037000499},
		{"CeilSqrt 15", CeilSqrt(15), 4},
		{"CeilSqrt 16", CeilSqrt(16), 4},
		{"FloorDiv 7/2", FloorDiv(7, 2), 3},
		{"FloorDiv -7/2", FloorDiv(-7, 2), -4},
		{"FloorDiv -8/2", FloorDiv(-8, 2), -4},
		{"RoundDiv 5/2", RoundDiv(5, 2), 3},
		{"RoundDiv -5/2", RoundDiv(-5, 2), -2},
		{"RoundDiv 4/3", RoundDiv(4, 3), 1},
		{"Abs -3", Abs(-3), 3},
		{"Clamp below", Clamp(-5, 0, 10), 0},
		{"Clamp above", Clamp(15, 0, 10), 10},
		{"Clamp within", Clamp(7, 0, 10), 7},
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
		s := Isqrt(v)
		if s*s > v || (s+1)*(s+1) <= v {
			t.Fatalf("Isqrt(%d) = %d", v, s)
		}
	}
}

func TestAtan2(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(y, x int64) {
		t.Helper()
		want := math.Atan2(float64(y), float64(x)) / (2 * math.Pi) * AngleSteps
		got := float64(Atan2(y, x))
		d := math.Mod(got-want+2*AngleSteps, AngleSteps)
		if d > AngleSteps/2 {
			d -= AngleSteps
		}
		if math.Abs(d) > 0.51 {
			t.Fatalf("Atan2(%d, %d) = %v, want %.2f", y, x, got, want)
		}
	}
	for _, p := range [][2]int64{{0, 1}, {1, 0}, {0, -1}, {-1, 0}, {1, 1}, {-1, -1}, {1, -1}, {-1, 1}, {3, 1000000}} {
		check(p[0], p[1])
	}
	for range 20000 {
		check(r.Int64N(1<<31)-1<<30, r.Int64N(1<<31)-1<<30)
	}
	if a := Atan2(0, 0); a != 0 {
		t.Errorf("Atan2(0, 0) = %d, want 0", a)
	}
}
