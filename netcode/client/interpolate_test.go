package client

import (
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
)

func TestLerpAngle(t *testing.T) {
	tests := []struct {
		name  string
		a, b  int32
		steps int32
		t     float64
		want  int32
	}{
		{"plain", 100, 300, 4096, 0.5, 200},
		{"start", 100, 300, 4096, 0, 100},
		{"end", 100, 300, 4096, 1, 300},
		{"wraps forward across zero", 4000, 100, 4096, 0.5, 2},
		{"wraps backward across zero", 100, 4000, 4096, 0.5, 2},
		{"wraps backward, lands below zero", 100, 3700, 4096, 0.5, 3948},
		// 1000 → 3500: forward is 2500 steps, back 1596; midpoint 1000-798.
		{"short way back", 1000, 3500, 4096, 0.5, 202},
		{"half turn goes forward", 0, 2048, 4096, 0.5, 1024},
		{"quarter", 4095, 1023, 4096, 0.5, 511},
		// The same raw values mean other angles with other steps: 350 → 10
		// is 20 steps forward in 360, but 340 back in 4096.
		{"degrees wrap forward", 350, 10, 360, 0.5, 0},
		{"degrees wrap backward", 10, 350, 360, 0.25, 5},
		{"same values in 4096 steps", 350, 10, 4096, 0.5, 180},
		{"odd steps, back is shorter", 0, 3, 5, 0.5, 4},
		{"odd steps, forward is shorter", 0, 2, 5, 0.5, 1},
		{"no steps takes the newer", 7, 9, 0, 0.5, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LerpAngle(tt.a, tt.b, tt.steps, tt.t); got != tt.want {
				t.Errorf("LerpAngle(%d, %d, %d, %v) = %d, want %d", tt.a, tt.b, tt.steps, tt.t, got, tt.want)
			}
		})
	}
}

func TestInterpolateRows(t *testing.T) {
	from := rowsOf(
		ent(1, 0, 0, 4000).with(fHealth, 10).with(fOwner, 1),
		ent(2, 0, 0, 0).with(fHealth, 5),
		ent(3, 50, 50, 0), // removed in to
		crate(5, 0, 0, 350),
		ent(6, 0, 0, 0), // id reused by a crate in to
		crate(7, 3, 3, 3),
	)
	to := rowsOf(
		ent(1, 100, -100, 100).with(fHealth, 3).with(fOwner, 4),
		ent(2, 100, 0, 0).with(fHealth, 7),
		ent(4, 9, 9, 9), // new in to
		crate(5, 10, 0, 10),
		crate(6, 1000, 1000, 0),
		crate(7, 3, 3, 3),
	)
	// A schema-less layout holds a kind (9) the schema does not declare.
	wide := wire.NewWidthLayout(testLayout.Width())
	unknownFrom := layoutRows(wide, tent{1, []int32{9, 0, 0, 0, 0, 0}}, ent(2, 0, 0, 0))
	unknownTo := layoutRows(wide, tent{1, []int32{9, 100, 100, 100, 100, 100}}, ent(2, 100, 0, 0))

	tests := []struct {
		name     string
		schema   *wire.Schema
		from, to *wire.Rows
		t        float64
		want     *wire.Rows
	}{
		{"halfway", testSchema, from, to, 0.5, rowsOf(
			// x, y linear; the angle the short way across 0; health and
			// owner (no hint) the newer values.
			ent(1, 50, -50, 2).with(fHealth, 3).with(fOwner, 4),
			ent(2, 50, 0, 0).with(fHealth, 7),
			ent(4, 9, 9, 9),
			crate(5, 5, 0, 0), // spin in the crate's 360 steps: 350 → 10 through 0
			crate(6, 1000, 1000, 0),
			crate(7, 3, 3, 3),
		)},
		{"at the start hinted fields are the older, others the newer", testSchema, from, to, 0, rowsOf(
			ent(1, 0, 0, 4000).with(fHealth, 3).with(fOwner, 4),
			ent(2, 0, 0, 0).with(fHealth, 7),
			ent(4, 9, 9, 9),
			crate(5, 0, 0, 350),
			crate(6, 1000, 1000, 0),
			crate(7, 3, 3, 3),
		)},
		{"before the start is the start", testSchema, from, to, -3, rowsOf(
			ent(1, 0, 0, 4000).with(fHealth, 3).with(fOwner, 4),
			ent(2, 0, 0, 0).with(fHealth, 7),
			ent(4, 9, 9, 9),
			crate(5, 0, 0, 350),
			crate(6, 1000, 1000, 0),
			crate(7, 3, 3, 3),
		)},
		{"at the end", testSchema, from, to, 1, to},
		{"beyond the end is clamped", testSchema, from, to, 7, to},
		{"a quarter", testSchema, from, to, 0.25, rowsOf(
			ent(1, 25, -25, 4049).with(fHealth, 3).with(fOwner, 4),
			ent(2, 25, 0, 0).with(fHealth, 7),
			ent(4, 9, 9, 9),
			crate(5, 3, 0, 355), // 2.5 rounds away from zero
			crate(6, 1000, 1000, 0),
			crate(7, 3, 3, 3),
		)},
		{"unknown kinds pass through", testSchema, unknownFrom, unknownTo, 0.5,
			layoutRows(wide, tent{1, []int32{9, 100, 100, 100, 100, 100}}, ent(2, 50, 0, 0))},
		{"no schema: everything as in the newer", nil, from, to, 0.5, to},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := rowsOf(ent(99, 1, 1, 1)) // overwritten, not appended to
			InterpolateRows(dst, tt.from, tt.to, tt.t, tt.schema)
			if !dst.Equal(tt.want) {
				t.Errorf("InterpolateRows at %v:\n got %s\nwant %s", tt.t, dump(dst), dump(tt.want))
			}
		})
	}
	if !from.Equal(rowsOf(ent(1, 0, 0, 4000).with(fHealth, 10).with(fOwner, 1), ent(2, 0, 0, 0).with(fHealth, 5),
		ent(3, 50, 50, 0), crate(5, 0, 0, 350), ent(6, 0, 0, 0), crate(7, 3, 3, 3))) {
		t.Errorf("InterpolateRows changed its input: %s", dump(from))
	}
}

func TestInterpolatorSample(t *testing.T) {
	var ip Interpolator
	ip.Reset(testSchema)
	a := rowsOf(ent(1, 0, 0, 0))
	b := rowsOf(ent(1, 100, 0, 0))
	c := rowsOf(ent(1, 100, 200, 0))
	ip.Push(1000, a)
	ip.Push(2000, b)
	ip.Push(3000, c)
	if ip.Push(3000, a) || ip.Push(500, a) {
		t.Fatal("Push accepted a snapshot not newer than the newest")
	}
	tests := []struct {
		name   string
		render int64
		want   *wire.Rows
	}{
		{"before oldest holds oldest", 0, a},
		{"at oldest", 1000, a},
		{"quarter into first pair", 1250, rowsOf(ent(1, 25, 0, 0))},
		{"at a snapshot", 2000, b},
		{"half into second pair", 2500, rowsOf(ent(1, 100, 100, 0))},
		{"after newest holds newest, no extrapolation", 9000, c},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := rowsOf(ent(99, 1, 1, 1))
			ip.Sample(dst, tt.render)
			if !dst.Equal(tt.want) {
				t.Errorf("Sample(%d) = %s, want %s in place of what dst held", tt.render, dump(dst), dump(tt.want))
			}
		})
	}

	var empty Interpolator
	dst := rowsOf(ent(99, 1, 1, 1))
	if empty.Sample(dst, 5); dst.Len() != 0 {
		t.Errorf("empty Sample = %s, want nothing", dump(dst))
	}
}

func TestInterpolatorKeepsNewest(t *testing.T) {
	var ip Interpolator
	ip.Reset(testSchema)
	for i := range interpFrames + 5 {
		ip.Push(int64(i+1)*1000, rowsOf(ent(1, int32(i), 0, 0)))
	}
	if ip.Len() != interpFrames {
		t.Fatalf("Len() = %d, want %d", ip.Len(), interpFrames)
	}
	// The oldest held is push number 6 (x = 5); anything earlier clamps to it.
	got := wire.NewRows(testLayout, 1)
	if ip.Sample(got, 0); got.Field(0, fX) != 5 {
		t.Errorf("oldest held x = %d, want 5", got.Field(0, fX))
	}
	if ip.Sample(got, 1<<40); got.Field(0, fX) != interpFrames+4 {
		t.Errorf("newest x = %d, want %d", got.Field(0, fX), interpFrames+4)
	}
	ip.Reset(testSchema)
	if ip.Len() != 0 {
		t.Errorf("Len() after Reset = %d", ip.Len())
	}
}

// BenchmarkInterpolatorSample measures rendering a 64-entity room between
// two snapshots into a reused buffer.
func BenchmarkInterpolatorSample(b *testing.B) {
	var ip Interpolator
	ip.Reset(testSchema)
	from, to := wire.NewRows(testLayout, 64), wire.NewRows(testLayout, 64)
	for i := range 64 {
		f := from.Append(uint32(i+1), kindPlayer)
		f[fX], f[fAngle] = int32(i), 4000
		f = to.Append(uint32(i+1), kindPlayer)
		f[fX], f[fY], f[fAngle] = int32(i)+5, 3, 90
	}
	ip.Push(1000, from)
	ip.Push(51_000, to)
	dst := wire.NewRows(testLayout, 64)
	b.ReportAllocs()
	for b.Loop() {
		ip.Sample(dst, 26_000)
	}
}
