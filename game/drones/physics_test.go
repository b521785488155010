package drones

import (
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
)

// speed returns d's speed in world units per second.
func speed(d *drone) int64 { return fixed.Isqrt(d.body.v.dot(d.body.v)) / velScale }

func TestTopSpeeds(t *testing.T) {
	for _, hz := range []int{20, 60, 128} {
		g := newTestGame(t, game.Config{TickHz: hz, Seed: 1}, endless, 1)
		place(t, g, 1, 100, 200, 300, 0) // a clear run east
		d := droneOf(t, g, 1)
		input(g, 1, Input{Thrust: AxisMax})
		peak := int64(0)
		for range 2 * hz {
			g.Step(0)
			peak = max(peak, speed(d))
		}
		if s := speed(d); s < 290 || peak > 300 {
			t.Errorf("%d Hz: cruising at %d units/s (peak %d), want 290..300", hz, s, peak)
		}
		input(g, 1, Input{Thrust: AxisMax, Buttons: ButtonBoost})
		g.Step(0)
		if !d.boosting {
			t.Fatalf("%d Hz: not boosting with a full tank", hz)
		}
		for range hz {
			g.Step(0)
			peak = max(peak, speed(d))
		}
		if s := speed(d); s < 580 || peak > 600 {
			t.Errorf("%d Hz: boosting at %d units/s (peak %d), want 580..600", hz, s, peak)
		}
	}
}

func TestCoastsToAStop(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
	place(t, g, 1, 200, 1000, 300, 0)
	d := droneOf(t, g, 1)
	input(g, 1, Input{Thrust: AxisMax, Lift: 60, Strafe: -40})
	run(g, 60)
	input(g, 1, Input{})
	run(g, 10*60)
	if d.body.v != (vec{}) {
		t.Fatalf("velocity %v after 10 s without thrust, want 0", d.body.v)
	}
	at := d.body.p
	run(g, 60)
	if d.body.p != at {
		t.Errorf("drifted from %v to %v at rest", at, d.body.p)
	}
}

func TestThrustNeverExceedsAcceleration(t *testing.T) {
	const accel = 1 << 20
	for _, th := range []int32{-AxisMax, 0, AxisMax} {
		for _, st := range []int32{-AxisMax, 0, AxisMax} {
			for _, li := range []int32{-AxisMax, 0, AxisMax} {
				for _, pitch := range []int32{-PitchLimit, 0, PitchLimit} {
					for yaw := int32(0); yaw < AngleSteps; yaw += 177 {
						a := thrustVector(Input{Thrust: th, Strafe: st, Lift: li}, yaw, pitch, accel)
						if a.dot(a) > accel*accel {
							t.Fatalf("thrust %d strafe %d lift %d yaw %d pitch %d: |a| = %d > %d",
								th, st, li, yaw, pitch, fixed.Isqrt(a.dot(a)), accel)
						}
					}
				}
			}
		}
	}
	// One axis at full gives (almost) full acceleration, in its direction.
	a := thrustVector(Input{Thrust: AxisMax}, 0, 0, accel)
	if a.x < accel-2 || a.y != 0 || a.z != 0 {
		t.Errorf("full thrust east = %v, want (%d, 0, 0)", a, accel)
	}
	a = thrustVector(Input{Strafe: AxisMax}, 0, 0, accel)
	if a.y > -accel+2 || a.x != 0 {
		t.Errorf("full strafe facing east = %v, want (0, -%d, 0): right of east is south", a, accel)
	}
	a = thrustVector(Input{Thrust: AxisMax}, 0, PitchLimit, accel)
	if a.z <= 5*a.x {
		t.Errorf("thrust pitched up 80° = %v, want mostly up", a)
	}
}

func TestStaysInTheBox(t *testing.T) {
	tests := []struct {
		name       string
		in         Input
		yaw, pitch int32
		check      func(w *world, p vec) bool
	}{
		{"floor", Input{Lift: -AxisMax}, 0, 0, func(w *world, p vec) bool { return p.z == w.droneR }},
		{"ceiling", Input{Lift: AxisMax}, 0, 0, func(w *world, p vec) bool { return p.z == w.size.z-w.droneR }},
		{"west wall", Input{Thrust: AxisMax}, AngleSteps / 2, 0, func(w *world, p vec) bool { return p.x == w.droneR }},
		{"south wall", Input{Thrust: AxisMax}, 3 * AngleSteps / 4, 0, func(w *world, p vec) bool { return p.y == w.droneR }},
		{"dive into a corner", Input{Thrust: AxisMax, Strafe: AxisMax, Buttons: ButtonBoost}, AngleSteps / 2, AngleSteps - PitchLimit,
			func(w *world, p vec) bool { return p.z == w.droneR && p.x == w.droneR }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
			place(t, g, 1, 150, 150, 300, tt.yaw)
			d := droneOf(t, g, 1)
			tt.in.Yaw, tt.in.Pitch = tt.yaw, tt.pitch
			input(g, 1, tt.in)
			for range 8 * 60 {
				g.Step(0)
				p := d.body.p
				if p.x < g.w.droneR || p.y < g.w.droneR || p.z < g.w.droneR ||
					p.x > g.w.size.x-g.w.droneR || p.y > g.w.size.y-g.w.droneR || p.z > g.w.size.z-g.w.droneR {
					t.Fatalf("left the box: %v", p)
				}
			}
			if !tt.check(&g.w, d.body.p) {
				t.Errorf("ended at %v", d.body.p)
			}
		})
	}
}

func TestPillarsAreSolid(t *testing.T) {
	for _, hz := range []int{10, 60} {
		// Boost east at the central tower (x 900..1100) from the west,
		// slightly off its axis, then keep pushing against it.
		g := newTestGame(t, game.Config{TickHz: hz, Seed: 1}, Options{MatchDuration: time.Hour, CoreLimit: 1 << 30, BoostSpeed: 3000}, 1)
		place(t, g, 1, 700, 1010, 300, 0)
		d := droneOf(t, g, 1)
		input(g, 1, Input{Thrust: AxisMax, Buttons: ButtonBoost})
		limit := 900*g.w.unit - g.w.droneR
		for range 3 * hz {
			g.Step(0)
			if d.body.p.x > limit && d.body.p.y < 1100*g.w.unit+g.w.droneR {
				t.Fatalf("%d Hz: drone at %v went into the tower", hz, d.body.p)
			}
		}
	}
}

func TestSlidesOverAStump(t *testing.T) {
	// The north-east stump ends at z 380: a drone flying east just above it
	// passes; one flying into its side slides along it instead of sticking.
	g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
	place(t, g, 1, 1300, 1480, 420, 0)
	d := droneOf(t, g, 1)
	input(g, 1, Input{Thrust: AxisMax})
	run(g, 3*60)
	if x := d.body.p.x / g.w.unit; x < 1700 {
		t.Errorf("flying over the stump: at x %d after 3 s, want past 1700", x)
	}
	place(t, g, 1, 1300, 1480, 300, AngleSteps/16) // into its west face, angled north
	input(g, 1, Input{Thrust: AxisMax, Yaw: AngleSteps / 16})
	run(g, 4*60)
	if y := d.body.p.y / g.w.unit; y < 1570 {
		t.Errorf("sliding along the stump: at y %d after 4 s, want past its north face 1570", y)
	}
}

func TestBoostEnergy(t *testing.T) {
	const hz = 60
	g := newTestGame(t, game.Config{TickHz: hz, Seed: 1}, endless, 1)
	place(t, g, 1, 100, 200, 300, 0)
	d := droneOf(t, g, 1)
	input(g, 1, Input{Buttons: ButtonBoost})
	boosted := 0
	for range 3 * hz {
		g.Step(0)
		if d.boosting {
			boosted++
		}
	}
	if boosted != 2*hz {
		t.Errorf("a full tank boosted %d ticks, want %d (BoostTime 2 s)", boosted, 2*hz)
	}
	// Held on an empty tank, the boost waits for a quarter tank (1.5 s of
	// refill), then burns it.
	boosted = 0
	for range 2 * hz {
		g.Step(0)
		if d.boosting {
			boosted++
		}
	}
	if boosted == 0 || boosted > hz/2 {
		t.Errorf("an empty tank held 2 s boosted %d ticks, want 1..%d", boosted, hz/2)
	}
	rows := viewOf(g, 1)
	i, _ := rows.Find(d.ent)
	if e := rows.Field(i, DroneEnergy); e < 0 || e > EnergyMax {
		t.Errorf("energy %d on the wire, want 0..%d", e, EnergyMax)
	}
}

func TestInputsAtTheLimits(t *testing.T) {
	// Every corner of the input space, unclamped values included, keeps
	// the drone in the box, under the boost speed and within the pitch
	// limit.
	g := newTestGame(t, game.Config{Seed: 2}, endless, 1)
	place(t, g, 1, 1000, 500, 300, 0)
	d := droneOf(t, g, 1)
	axes := []int32{-1 << 31, -AxisMax, 0, AxisMax, 1<<31 - 1}
	angles := []int32{-1 << 31, -1, 0, PitchLimit, AngleSteps / 4, AngleSteps / 2, AngleSteps - 1, 1<<31 - 1}
	n := 0
	for _, th := range axes {
		for _, li := range axes {
			for _, pi := range angles {
				for _, b := range []int32{0, -1} {
					var gi game.Input
					copy(gi.Values[:], []int32{th, axes[n%len(axes)], li, angles[n%len(angles)], pi, b})
					n++
					g.ApplyInput(1, gi)
					g.Step(0)
					if s := speed(d); s > 600 {
						t.Fatalf("speed %d over the boost speed", s)
					}
					if d.pitch < -PitchLimit || d.pitch > PitchLimit || d.yaw < 0 || d.yaw >= AngleSteps {
						t.Fatalf("facing yaw %d pitch %d", d.yaw, d.pitch)
					}
					p := d.body.p
					if p.x < g.w.droneR || p.z < g.w.droneR || p.z > g.w.size.z-g.w.droneR {
						t.Fatalf("left the box: %v", p)
					}
				}
			}
		}
	}
	// Pitch beyond the limit either way stops at the limit.
	for _, tt := range []struct{ in, want int32 }{
		{AngleSteps / 4, PitchLimit}, {AngleSteps - AngleSteps/4, -PitchLimit},
		{AngleSteps / 2, -PitchLimit}, {AngleSteps/2 - 1, PitchLimit}, {100, 100}, {AngleSteps - 100, -100},
	} {
		input(g, 1, Input{Pitch: tt.in})
		g.Step(0)
		if d.pitch != tt.want {
			t.Errorf("pitch input %d gave pitch %d, want %d", tt.in, d.pitch, tt.want)
		}
	}
}

func TestSegmentHitsBox(t *testing.T) {
	b := box{min: vec{10, 10, 10}, max: vec{20, 20, 20}}
	tests := []struct {
		name string
		a, c vec
		want bool
	}{
		{"through the middle", vec{0, 15, 15}, vec{30, 15, 15}, true},
		{"diagonal through", vec{0, 0, 0}, vec{30, 30, 30}, true},
		{"stops short", vec{0, 15, 15}, vec{10, 15, 15}, false},
		{"ends inside", vec{0, 15, 15}, vec{11, 15, 15}, true},
		{"passes above", vec{0, 15, 21}, vec{30, 15, 21}, false},
		{"grazes a face", vec{0, 15, 20}, vec{30, 15, 20}, false},
		{"grazes an edge", vec{0, 20, 0}, vec{20, 40, 0}, false},
		{"misses a corner", vec{0, 19, 15}, vec{19, 0, 15}, false},
		{"touches a corner", vec{0, 20, 15}, vec{20, 0, 15}, false},
		{"clips a corner", vec{0, 21, 15}, vec{21, 0, 15}, true},
		{"a point", vec{15, 15, 15}, vec{15, 15, 15}, true},
		{"beside", vec{0, 0, 15}, vec{30, 5, 15}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := segmentHitsBox(tt.a, tt.c, &b); got != tt.want {
				t.Errorf("a→b = %v, want %v", got, tt.want)
			}
			if got := segmentHitsBox(tt.c, tt.a, &b); got != tt.want {
				t.Errorf("b→a = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMapRefugesClear(t *testing.T) {
	w := newWorld(game.DefaultTickHz)
	for i, r := range refuges {
		p := vec{int64(r.X) * w.unit, int64(r.Y) * w.unit, int64(r.Z) * w.unit}
		if w.hitsPillar(p, 2*(w.droneR+w.coreR)) {
			t.Errorf("refuge %d %v near a pillar", i, r)
		}
	}
	for i, p := range Pillars {
		if p.MinX >= p.MaxX || p.MinY >= p.MaxY || p.MinZ >= p.MaxZ || p.MinZ < 0 || p.MaxZ > WorldZ {
			t.Errorf("pillar %d %v is not a box inside the world", i, p)
		}
	}
}
