package arena

import (
	"math"
	"testing"

	"github.com/tickwire/tickwire/game"
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
	if cosA(0) != trigOne || sinA(1024) != trigOne || cosA(-1024) != 0 {
		t.Errorf("exact points: cos0=%d sin90=%d cos-90=%d", cosA(0), sinA(1024), cosA(-1024))
	}
}

func TestIntegerMath(t *testing.T) {
	tests := []struct {
		name      string
		got, want int64
	}{
		{"isqrt 0", isqrt(0), 0},
		{"isqrt 15", isqrt(15), 3},
		{"isqrt 16", isqrt(16), 4},
		{"isqrt big", isqrt(1<<62 - 1), 1<<31 - 1},
		{"ceilSqrt 15", ceilSqrt(15), 4},
		{"ceilSqrt 16", ceilSqrt(16), 4},
		{"floorDiv -7/2", floorDiv(-7, 2), -4},
		{"floorDiv 7/2", floorDiv(7, 2), 3},
		{"roundDiv 5/2", roundDiv(5, 2), 3},
		{"roundDiv -5/2", roundDiv(-5, 2), -2},
		{"roundDiv -6/4", roundDiv(-6, 4), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
}

func TestMapSpawnPointsClear(t *testing.T) {
	w := newWorld(game.DefaultTickHz)
	for i, sp := range SpawnPoints {
		x, y := int64(sp.X)*w.unit, int64(sp.Y)*w.unit
		if w.overlapsWall(x, y, w.playerR+w.unit) {
			t.Errorf("spawn point %d %v touches a wall", i, sp)
		}
	}
	if len(SpawnPoints) < game.DefaultMaxPlayers {
		t.Errorf("%d spawn points for %d players", len(SpawnPoints), game.DefaultMaxPlayers)
	}
}
