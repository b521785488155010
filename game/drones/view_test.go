package drones

import (
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
)

func TestViewRadius(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 2)
	parkCores(g)
	a, b := droneOf(t, g, 1), droneOf(t, g, 2)
	// 1000 units apart along y, nothing between them.
	place(t, g, 1, 200, 200, 300, 0)
	place(t, g, 2, 200, 1200, 300, 0)
	g.Step(0)
	va, vb, obs := viewOf(g, 1), viewOf(g, 2), viewOf(g, game.Observer)
	switch {
	case !has(va, a.ent) || !has(vb, b.ent):
		t.Fatal("a drone does not see itself")
	case has(va, b.ent) || has(vb, a.ent):
		t.Fatal("drones 1000 units apart see each other")
	case !has(obs, a.ent) || !has(obs, b.ent):
		t.Fatal("the observer misses a drone")
	case obs.Len() != 2+len(g.cores):
		t.Fatalf("the observer sees %d entities, want 2 drones and %d cores", obs.Len(), len(g.cores))
	}
	// Fly them toward each other until they meet.
	input(g, 1, Input{Thrust: AxisMax, Yaw: AngleSteps / 4})
	input(g, 2, Input{Thrust: AxisMax, Yaw: 3 * AngleSteps / 4})
	met := false
	for range 5 * 60 {
		g.Step(0)
		d := b.body.p.sub(a.body.p)
		r := int64(g.opts.ViewRadius) * g.w.unit
		seen1, seen2 := has(viewOf(g, 1), b.ent), has(viewOf(g, 2), a.ent)
		if want := d.dot(d) <= r*r; seen1 != want || seen2 != want {
			t.Fatalf("%d units apart: 1 sees 2 %v, 2 sees 1 %v, want %v", fixed.Isqrt(d.dot(d))/g.w.unit, seen1, seen2, want)
		}
		met = met || seen1
	}
	if !met {
		t.Fatal("the drones never came within sight of each other")
	}
}

func TestPillarsBlockSight(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		// positions of drones 1 and 2 in world units
		p1, p2  [3]int64
		seeEach bool
	}{
		{"tower between", endless, [3]int64{850, 1000, 300}, [3]int64{1150, 1000, 300}, false},
		{"tower between, see through", Options{MatchDuration: endless.MatchDuration, CoreLimit: endless.CoreLimit, SeeThroughPillars: true},
			[3]int64{850, 1000, 300}, [3]int64{1150, 1000, 300}, true},
		{"beside the tower", endless, [3]int64{850, 850, 300}, [3]int64{1150, 850, 300}, true},
		{"over the stump", endless, [3]int64{1400, 1480, 450}, [3]int64{1700, 1480, 450}, true},
		{"through the stump", endless, [3]int64{1400, 1480, 200}, [3]int64{1700, 1480, 200}, false},
		{"under the beam", endless, [3]int64{1000, 1650, 150}, [3]int64{1000, 1830, 150}, true},
		{"through the beam", endless, [3]int64{1000, 1650, 290}, [3]int64{1000, 1830, 290}, false},
		{"far but unlimited", Options{MatchDuration: endless.MatchDuration, CoreLimit: endless.CoreLimit, ViewRadius: -1},
			[3]int64{100, 1900, 100}, [3]int64{1900, 1900, 500}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGame(t, game.Config{Seed: 1}, tt.opts, 2)
			place(t, g, 1, tt.p1[0], tt.p1[1], tt.p1[2], 0)
			place(t, g, 2, tt.p2[0], tt.p2[1], tt.p2[2], 0)
			a, b := droneOf(t, g, 1), droneOf(t, g, 2)
			if got := has(viewOf(g, 1), b.ent); got != tt.seeEach {
				t.Errorf("1 sees 2: %v, want %v", got, tt.seeEach)
			}
			if got := has(viewOf(g, 2), a.ent); got != tt.seeEach {
				t.Errorf("2 sees 1: %v, want %v", got, tt.seeEach)
			}
			if obs := viewOf(g, game.Observer); !has(obs, a.ent) || !has(obs, b.ent) {
				t.Error("the observer misses a drone")
			}
		})
	}
}

func TestViewSeesCoresLikeDrones(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
	place(t, g, 1, 850, 1000, 300, 0)
	u := g.w.unit
	g.cores = g.cores[:0]
	for _, p := range []vec{{1150, 1000, 300}, {850, 1300, 300}, {850, 1000, 580}, {150, 1000, 300}} {
		g.cores = append(g.cores, core{id: g.newEntityID(), p: vec{p.x * u, p.y * u, p.z * u}, value: 1})
	}
	v := viewOf(g, 1)
	want := []bool{false, true, true, false} // behind the tower, near, above, too far
	for i, c := range g.cores {
		if got := has(v, c.id); got != want[i] {
			t.Errorf("core %d at %v: seen %v, want %v", i, c.p, got, want[i])
		}
	}
}

func TestViewGroups(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 3)
	if got := g.ViewGroup(game.Observer); got != 0 {
		t.Errorf("observer group %d, want 0", got)
	}
	seen := map[uint64]bool{0: true}
	for p := game.PlayerID(1); p <= 3; p++ {
		k := g.ViewGroup(p)
		if seen[k] {
			t.Errorf("player %d shares group %d", p, k)
		}
		seen[k] = true
	}
	open := newTestGame(t, game.Config{Seed: 1}, Options{ViewRadius: -1, SeeThroughPillars: true}, 3)
	for p := game.PlayerID(0); p <= 3; p++ {
		if k := open.ViewGroup(p); k != 0 {
			t.Errorf("nothing hidden: player %d in group %d, want 0", p, k)
		}
		if !viewOf(open, p).Equal(viewOf(open, game.Observer)) {
			t.Errorf("nothing hidden: player %d's view differs from the observer's", p)
		}
	}
	if k := open.ViewGroup(9); k != 9 {
		t.Errorf("a player without a drone in group %d, want its own", k)
	}
	if n := viewOf(g, 9).Len(); n != 0 {
		t.Errorf("a player without a drone sees %d entities, want none", n)
	}
}

func TestEventsNameVisibleEntities(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 2)
	parkCores(g)
	place(t, g, 1, 200, 200, 300, 0)
	place(t, g, 2, 1800, 1800, 300, 0)
	g.DrainEvents(nil)
	u := g.w.unit
	c := &g.cores[0]
	c.p = vec{240 * u, 200 * u, 300 * u}
	g.Step(0)
	evs := g.DrainEvents(nil)
	a := droneOf(t, g, 1)
	if len(evs) < 1 || evs[0].Kind != EventPickup || evs[0].Actor != a.ent || evs[0].Target != c.id {
		t.Fatalf("events %+v, want a pickup by %d of %d first", evs, a.ent, c.id)
	}
	// The collector's view holds both named entities, so the room delivers
	// the event to it; the far drone sees neither, so it does not.
	v1, v2 := viewOf(g, 1), viewOf(g, 2)
	if !has(v1, a.ent) || !has(v1, c.id) {
		t.Errorf("the collector's view misses an entity its pickup names")
	}
	if has(v2, a.ent) || has(v2, c.id) {
		t.Errorf("the far drone sees an entity of the pickup")
	}
}
