package client

import (
	"slices"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
)

// ent builds an entity of kind 1 at x, y facing angle.
func ent(id uint32, x, y, angle int32) wire.Entity {
	e := wire.Entity{ID: id}
	e.Set(wire.FieldKind, 1)
	e.Set(wire.FieldX, x)
	e.Set(wire.FieldY, y)
	e.Set(wire.FieldAngle, angle)
	return e
}

func TestLerpAngle(t *testing.T) {
	tests := []struct {
		name string
		a, b int32
		t    float64
		want int32
	}{
		{"plain", 100, 300, 0.5, 200},
		{"start", 100, 300, 0, 100},
		{"end", 100, 300, 1, 300},
		{"wraps forward across zero", 4000, 100, 0.5, 2},
		{"wraps backward across zero", 100, 4000, 0.5, 2},
		{"wraps backward, lands below zero", 100, 3700, 0.5, 3948},
		// 1000 → 3500: forward is 2500 steps, back 1596; midpoint 1000-798.
		{"short way back", 1000, 3500, 0.5, 202},
		{"half turn goes counter-clockwise", 0, 2048, 0.5, 1024},
		{"quarter", 4095, 1023, 0.5, 511},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LerpAngle(tt.a, tt.b, tt.t); got != tt.want {
				t.Errorf("LerpAngle(%d, %d, %v) = %d, want %d", tt.a, tt.b, tt.t, got, tt.want)
			}
		})
	}
}

func TestInterpolateEntities(t *testing.T) {
	kindChanged := ent(5, 1000, 1000, 0)
	kindChanged.Set(wire.FieldKind, 2)
	withHealth := ent(2, 100, 0, 0)
	withHealth.Set(wire.FieldHealth, 7)

	from := []wire.Entity{ent(1, 0, 0, 4000), ent(2, 0, 0, 0), ent(3, 50, 50, 0), ent(5, 0, 0, 0)}
	to := []wire.Entity{ent(1, 100, -100, 100), withHealth, ent(4, 9, 9, 9), kindChanged}

	want := []wire.Entity{ent(1, 50, -50, 2), withHealth, ent(4, 9, 9, 9), kindChanged}
	want[1].Set(wire.FieldX, 50) // lerped; health from the newer snapshot

	got := InterpolateEntities(nil, from, to, 0.5)
	if !slices.Equal(got, want) {
		t.Fatalf("InterpolateEntities at 0.5:\n got %v\nwant %v", got, want)
	}
	if got := InterpolateEntities(nil, from, to, 1); !slices.Equal(got, to) {
		t.Errorf("at t=1 got %v, want the newer snapshot %v", got, to)
	}
	if got := InterpolateEntities(nil, from, to, 7); !slices.Equal(got, to) {
		t.Errorf("t beyond 1 is clamped: got %v, want %v", got, to)
	}
}

func TestInterpolatorSample(t *testing.T) {
	var ip Interpolator
	a := []wire.Entity{ent(1, 0, 0, 0)}
	b := []wire.Entity{ent(1, 100, 0, 0)}
	c := []wire.Entity{ent(1, 100, 200, 0)}
	ip.Push(1000, a)
	ip.Push(2000, b)
	ip.Push(3000, c)
	if ip.Push(3000, a) || ip.Push(500, a) {
		t.Fatal("Push accepted a snapshot not newer than the newest")
	}
	tests := []struct {
		name   string
		render int64
		want   []wire.Entity
	}{
		{"before oldest holds oldest", 0, a},
		{"at oldest", 1000, a},
		{"quarter into first pair", 1250, []wire.Entity{ent(1, 25, 0, 0)}},
		{"at a snapshot", 2000, b},
		{"half into second pair", 2500, []wire.Entity{ent(1, 100, 100, 0)}},
		{"after newest holds newest, no extrapolation", 9000, c},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []wire.Entity{ent(99, 1, 1, 1)}
			got := ip.Sample(prefix, tt.render)
			if !slices.Equal(got[1:], tt.want) || got[0] != prefix[0] {
				t.Errorf("Sample(%d) = %v, want prefix then %v", tt.render, got, tt.want)
			}
		})
	}

	var empty Interpolator
	if got := empty.Sample(nil, 5); len(got) != 0 {
		t.Errorf("empty Sample = %v, want nothing", got)
	}
}

func TestInterpolatorKeepsNewest(t *testing.T) {
	var ip Interpolator
	for i := range interpFrames + 5 {
		ip.Push(int64(i+1)*1000, []wire.Entity{ent(1, int32(i), 0, 0)})
	}
	if ip.Len() != interpFrames {
		t.Fatalf("Len() = %d, want %d", ip.Len(), interpFrames)
	}
	// The oldest held is push number 6 (x = 5); anything earlier clamps to it.
	if got := ip.Sample(nil, 0); got[0].Get(wire.FieldX) != 5 {
		t.Errorf("oldest held x = %d, want 5", got[0].Get(wire.FieldX))
	}
	if got := ip.Sample(nil, 1<<40); got[0].Get(wire.FieldX) != interpFrames+4 {
		t.Errorf("newest x = %d, want %d", got[0].Get(wire.FieldX), interpFrames+4)
	}
	ip.Reset()
	if ip.Len() != 0 {
		t.Errorf("Len() after Reset = %d", ip.Len())
	}
}

// BenchmarkInterpolatorSample measures rendering a 64-entity room between
// two snapshots into a reused buffer.
func BenchmarkInterpolatorSample(b *testing.B) {
	var ip Interpolator
	from, to := make([]wire.Entity, 64), make([]wire.Entity, 64)
	for i := range from {
		from[i] = ent(uint32(i+1), int32(i), 0, 4000)
		to[i] = ent(uint32(i+1), int32(i)+5, 3, 90)
	}
	ip.Push(1000, from)
	ip.Push(51_000, to)
	dst := make([]wire.Entity, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		dst = ip.Sample(dst[:0], 26_000)
	}
}
