package drones

import (
	"errors"
	"testing"

	"github.com/tickwire/tickwire/game"
)

func TestJoinAndLeave(t *testing.T) {
	g := NewWithOptions(game.Config{MaxPlayers: 2, Seed: 1}, Options{})
	e1, err := g.Join(1, "a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Join(1, "again"); !errors.Is(err, ErrAlreadyJoined) {
		t.Errorf("second join of 1: %v, want ErrAlreadyJoined", err)
	}
	e2, err := g.Join(2, "b")
	if err != nil || e2 <= e1 {
		t.Fatalf("join 2: entity %d, %v; want above %d", e2, err, e1)
	}
	if _, err := g.Join(3, "c"); !errors.Is(err, ErrFull) {
		t.Errorf("join past MaxPlayers: %v, want ErrFull", err)
	}
	evs := g.DrainEvents(nil)
	if n := countEvents(evs, EventDroneSpawn); n != 2 {
		t.Errorf("%d drone spawns, want 2", n)
	}
	// Joined drones start apart, outside every pillar, at rest, full tank.
	a, b := droneOf(t, g, 1), droneOf(t, g, 2)
	for _, d := range []*drone{a, b} {
		if g.w.hitsPillar(d.body.p, g.w.droneR) || d.body.v != (vec{}) || d.energy != g.fullEnergy {
			t.Errorf("drone %d launched at %v moving %v with energy %d", d.ent, d.body.p, d.body.v, d.energy)
		}
	}
	if within(a.body.p, b.body.p, 4*g.w.droneR) {
		t.Errorf("drones launched on top of each other: %v and %v", a.body.p, b.body.p)
	}
	g.Leave(1)
	g.Leave(1) // twice is fine
	if has(viewOf(g, game.Observer), e1) {
		t.Error("left drone still in the world")
	}
	if _, err := g.Join(3, "c"); err != nil {
		t.Errorf("join after a leave: %v", err)
	}
	g.ApplyInput(42, Input{Thrust: 1}.GameInput(1)) // unknown: ignored
}

func TestStartMatchResets(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, Options{}, 3)
	rngs := pilotRNGs(1, 3)
	rows := viewOf(g, game.Observer)
	for range 600 {
		pilotStep(g, 3, rngs, rows)
	}
	oldCores := map[uint32]bool{}
	for _, c := range g.cores {
		oldCores[c.id] = true
	}
	g.DrainEvents(nil)
	g.StartMatch(601)
	for p := game.PlayerID(1); p <= 3; p++ {
		d := droneOf(t, g, p)
		if d.cores != 0 || d.tags != 0 || d.tagged != 0 || d.pickups != 0 || d.stunned() || d.energy != g.fullEnergy {
			t.Errorf("player %d not reset: %+v", p, d)
		}
	}
	if g.match.elapsed != 0 || len(g.cores) != g.opts.CoreCount {
		t.Errorf("elapsed %d, %d cores; want 0 and %d", g.match.elapsed, len(g.cores), g.opts.CoreCount)
	}
	for _, c := range g.cores {
		if oldCores[c.id] {
			t.Errorf("core %d of the warm-up survived", c.id)
		}
	}
	evs := g.DrainEvents(nil)
	if countEvents(evs, EventDroneSpawn) != 3 || countEvents(evs, EventCoreSpawn) != g.opts.CoreCount {
		t.Errorf("events %+v, want 3 drone spawns and %d core spawns", evs, g.opts.CoreCount)
	}
}

func TestDisconnectedDroneStops(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
	parkCores(g)
	place(t, g, 1, 200, 200, 300, 0)
	d := droneOf(t, g, 1)
	input(g, 1, Input{Thrust: AxisMax, Yaw: 300, Pitch: 50, Buttons: ButtonBoost})
	run(g, 30)
	g.Disconnected(1)
	run(g, 5*60)
	if d.body.v != (vec{}) || d.boosting {
		t.Errorf("disconnected drone still moving %v or boosting %v", d.body.v, d.boosting)
	}
	if d.yaw != 300 || d.pitch != 50 {
		t.Errorf("disconnected drone turned to yaw %d pitch %d, want 300 and 50", d.yaw, d.pitch)
	}
	g.Disconnected(9) // unknown: ignored
	g.Reconnected(1)
	input(g, 1, Input{Thrust: AxisMax})
	g.Step(0)
	if d.body.v == (vec{}) {
		t.Error("reconnected drone does not fly")
	}
}

func TestOptionsDefaults(t *testing.T) {
	g := NewWithOptions(game.Config{TickHz: 5000}, Options{
		CoreCount: 10000, MaxSpeed: 1 << 30, BoostSpeed: 10, ViewRadius: -7})
	o := g.Options()
	if g.Config().TickHz != maxTickHz || g.Config().MaxPlayers != game.DefaultMaxPlayers {
		t.Errorf("config %+v", g.Config())
	}
	if o.CoreCount != MaxCoreCount || o.MaxSpeed != maxMaxSpeed || o.BoostSpeed != maxMaxSpeed || o.ViewRadius != -1 {
		t.Errorf("options %+v: want clamped", o)
	}
	if d := DefaultOptions(); NewWithOptions(game.Config{}, Options{}).Options() != d {
		t.Errorf("zero options do not take the defaults %+v", d)
	}
	if g, err := New(game.Config{}); g == nil || err != nil {
		t.Fatal("New returned nil")
	}
}
