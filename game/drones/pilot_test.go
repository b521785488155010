package drones

import (
	"math/rand/v2"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
	"github.com/tickwire/tickwire/netcode/wire"
)

// pilotOne gives player p the Pilot's input for its own view.
func pilotOne(g *Game, p game.PlayerID, rng *rand.Rand) Input {
	rows := viewOf(g, p)
	in := Pilot(g.byPlayer[p].ent, rows, rng)
	input(g, p, in)
	return in
}

func TestPilotCollectsACore(t *testing.T) {
	tests := []struct {
		name        string
		from, core  [3]int64
		withinTicks int
	}{
		{"straight ahead", [3]int64{200, 200, 300}, [3]int64{600, 300, 100}, 3 * 60},
		{"behind", [3]int64{600, 200, 300}, [3]int64{200, 250, 500}, 3 * 60},
		{"over a stump", [3]int64{1535, 1200, 250}, [3]int64{1535, 1700, 250}, 6 * 60},
		{"around the tower", [3]int64{1000, 750, 300}, [3]int64{1000, 1250, 300}, 8 * 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGame(t, game.Config{Seed: 1}, Options{ViewRadius: -1}, 1)
			parkCores(g)
			place(t, g, 1, tt.from[0], tt.from[1], tt.from[2], 0)
			c := putCore(g, 0, tt.core[0], tt.core[1], tt.core[2])
			id := c.id
			rng := rand.New(rand.NewPCG(1, 2))
			for tick := range tt.withinTicks {
				if tick%2 == 0 { // a bot's 30 Hz input
					pilotOne(g, 1, rng)
				}
				g.Step(0)
				for _, e := range g.DrainEvents(nil) {
					if e.Kind == EventPickup && e.Target == id {
						return
					}
				}
			}
			t.Errorf("no pickup of core %d within %d ticks; drone at %v", id, tt.withinTicks, g.byPlayer[1].body.p.scale(1, g.w.unit))
		})
	}
}

func TestPilotHunts(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 2)
	parkCores(g)
	place(t, g, 1, 200, 200, 300, 0)
	place(t, g, 2, 400, 260, 320, 0)
	a, b := droneOf(t, g, 1), droneOf(t, g, 2)
	in := pilotOne(g, 1, nil)
	if in.Buttons&ButtonBoost != 0 {
		t.Fatalf("boosts at a drone with no cores: %+v", in)
	}
	b.cores = 2
	in = pilotOne(g, 1, nil)
	if in.Buttons&ButtonBoost == 0 || in.Thrust != AxisMax {
		t.Fatalf("does not boost at a drone with cores 200 units away: %+v", in)
	}
	if want := fixed.Atan2(60, 200); in.Yaw != want {
		t.Errorf("yaw %d, want %d (at the prey)", in.Yaw, want)
	}
	for range 60 {
		pilotOne(g, 1, nil)
		g.Step(0)
	}
	if a.tags != 1 || a.cores != 1 {
		t.Errorf("after a second of hunting: %d tags, %d cores, want 1 and 1", a.tags, a.cores)
	}
	a.energy = 0
	a.boosting = false
	if in := pilotOne(g, 1, nil); in.Buttons&ButtonBoost != 0 {
		t.Errorf("starts a hunt on an empty tank: %+v", in)
	}
}

func TestPilotEdgeCases(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
	d := droneOf(t, g, 1)
	if in := Pilot(d.ent+100, viewOf(g, 1), nil); in != (Input{}) {
		t.Errorf("a pilot not in its view gives %+v, want nothing", in)
	}
	if in := Pilot(d.ent, wire.NewRows(Layout(), 0), nil); in != (Input{}) {
		t.Errorf("a pilot with an empty view gives %+v, want nothing", in)
	}
	d.stunLeft = 10
	d.yaw, d.pitch = 100, -50
	if in := Pilot(d.ent, viewOf(g, 1), nil); in != (Input{Yaw: 100, Pitch: wireAngle(-50)}) {
		t.Errorf("a stunned pilot gives %+v, want its facing only", in)
	}
	// Nothing in sight: it flies on, and turns before a wall.
	g2 := newTestGame(t, game.Config{Seed: 1}, Options{ViewRadius: 1}, 1)
	place(t, g2, 1, 1000, 300, 300, AngleSteps/4) // facing north, open space
	if in := pilotOne(g2, 1, nil); in.Yaw != AngleSteps/4 || in.Thrust != AxisMax {
		t.Errorf("wandering in the open: %+v, want on at yaw %d", in, AngleSteps/4)
	}
	place(t, g2, 1, 1000, 100, 300, 3*AngleSteps/4) // facing the south wall
	if in := pilotOne(g2, 1, nil); in.Yaw != AngleSteps/4 {
		t.Errorf("wandering at a wall: yaw %d, want turned round to %d", in.Yaw, AngleSteps/4)
	}
}

func TestPilotsPlayAMatch(t *testing.T) {
	// Eight pilots play a full default match at 60 Hz: it ends, on the core
	// limit or the timer, with pickups and tags along the way.
	g := newTestGame(t, game.Config{Seed: 11}, Options{}, 8)
	rngs := pilotRNGs(11, 8)
	rows := wire.NewRows(Layout(), 64)
	var evs []wire.Event
	for tick := 0; ; tick++ {
		if _, ended := g.Results(); ended {
			break
		}
		if tick > int(g.durationTicks) {
			t.Fatal("match did not end on the timer")
		}
		pilotStep(g, 8, rngs, rows)
		evs = g.DrainEvents(evs)
	}
	res, _ := g.Results()
	if countEvents(evs, EventPickup) == 0 || countEvents(evs, EventTag) == 0 {
		t.Errorf("%d pickups, %d tags, want some of each", countEvents(evs, EventPickup), countEvents(evs, EventTag))
	}
	if res[0].Score < g.opts.CoreLimit && g.match.elapsed < g.durationTicks {
		t.Errorf("ended at tick %d with a best score of %d", g.match.elapsed, res[0].Score)
	}
	t.Logf("ended after %d ticks; winner %+v; %d pickups, %d tags", g.match.elapsed, res[0],
		countEvents(evs, EventPickup), countEvents(evs, EventTag))
}
