package drones

import (
	"slices"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// putCore moves core i to world position (x, y, z) and makes it worth 1.
func putCore(g *Game, i int, x, y, z int64) *core {
	u := g.w.unit
	g.cores[i].p = vec{x * u, y * u, z * u}
	g.cores[i].value = 1
	return &g.cores[i]
}

func TestPickup(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
	parkCores(g)
	place(t, g, 1, 200, 200, 300, 0)
	d := droneOf(t, g, 1)
	c := putCore(g, 0, 300, 200, 300)
	c.value = brightValue
	id := c.id
	g.DrainEvents(nil)
	input(g, 1, Input{Thrust: AxisMax})
	evs := run(g, 60)
	if countEvents(evs, EventPickup) != 1 || evs[0].Kind != EventPickup {
		t.Fatalf("events %+v, want one pickup first", evs)
	}
	want := wire.Event{Kind: EventPickup, Actor: d.ent, Target: id, Values: [4]int32{brightValue, brightValue}}
	if evs[0] != want {
		t.Errorf("pickup %+v, want %+v", evs[0], want)
	}
	if d.cores != brightValue || d.pickups != 1 {
		t.Errorf("drone holds %d cores after %d pickups, want %d after 1", d.cores, d.pickups, brightValue)
	}
	// A replacement spawned at once, so CoreCount stay free.
	if n := countEvents(evs, EventCoreSpawn); n != 1 || g.freeCores() != g.opts.CoreCount {
		t.Errorf("%d core spawns, %d free cores, want 1 and %d", n, g.freeCores(), g.opts.CoreCount)
	}
	if has(viewOf(g, game.Observer), id) {
		t.Errorf("taken core still there after 1 s, linger is %v", coreLinger)
	}
}

func TestTakenCoreLingers(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
	parkCores(g)
	place(t, g, 1, 200, 200, 300, 0)
	d := droneOf(t, g, 1)
	id := putCore(g, 0, 230, 200, 300).id
	g.Step(0)
	for tick := int64(1); tick <= g.lingerTicks+1; tick++ {
		obs := viewOf(g, game.Observer)
		i, ok := obs.Find(id)
		if tick <= g.lingerTicks {
			if !ok || obs.Field(i, CoreTakenBy) != int32(d.ent) {
				t.Fatalf("%d ticks after the pickup: core present %v, taken_by %d, want present and %d", tick, ok, obs.Field(i, CoreTakenBy), d.ent)
			}
		} else if ok {
			t.Fatalf("core still present %d ticks after the pickup", tick)
		}
		g.Step(0)
	}
	if d.cores != 1 {
		t.Errorf("drone holds %d cores, want 1: a lingering core is not collected twice", d.cores)
	}
}

// rammers returns a game where drone 1 (the tagger) sits 60 units west of
// drone 2 (the victim, holding 2 cores) at rest, both facing east; cores
// are parked away.
func rammers(t *testing.T, opts Options) (*Game, *drone, *drone) {
	t.Helper()
	g := newTestGame(t, game.Config{Seed: 1}, opts, 2)
	parkCores(g)
	place(t, g, 1, 200, 200, 300, 0)
	place(t, g, 2, 260, 200, 300, 0)
	a, b := droneOf(t, g, 1), droneOf(t, g, 2)
	b.cores = 2
	g.DrainEvents(nil)
	return g, a, b
}

func TestTagStealsAndStuns(t *testing.T) {
	g, a, b := rammers(t, endless)
	input(g, 1, Input{Buttons: ButtonBoost})
	input(g, 2, Input{Thrust: -AxisMax}) // backs into the tagger; no boost
	evs := run(g, 30)
	tags := countEvents(evs, EventTag)
	if tags != 1 {
		t.Fatalf("%d tags, want 1 (events %+v)", tags, evs)
	}
	k := slices.IndexFunc(evs, func(e wire.Event) bool { return e.Kind == EventTag })
	if want := (wire.Event{Kind: EventTag, Actor: a.ent, Target: b.ent, Values: [4]int32{1}}); evs[k] != want {
		t.Errorf("tag %+v, want %+v", evs[k], want)
	}
	if a.cores != 1 || b.cores != 1 || a.tags != 1 || b.tagged != 1 {
		t.Errorf("after the tag: tagger %d cores %d tags, victim %d cores %d tagged; want 1 1 1 1", a.cores, a.tags, b.cores, b.tagged)
	}
	if !b.stunned() || b.boosting {
		t.Fatalf("victim stunned %v boosting %v, want stunned", b.stunned(), b.boosting)
	}
	rows := viewOf(g, game.Observer)
	i, _ := rows.Find(b.ent)
	if rows.Field(i, DroneFlags)&FlagStunned == 0 {
		t.Error("the victim's row lacks the stunned flag")
	}
	// Stunned: the victim's input does nothing, not even its facing or a
	// boost.
	input(g, 2, Input{Thrust: AxisMax, Yaw: AngleSteps / 2, Buttons: ButtonBoost})
	place(t, g, 1, 1800, 1800, 300, 0)
	stunned := 0
	for range 3 * 60 {
		g.Step(0)
		if !b.stunned() {
			break
		}
		stunned++
		if b.yaw != 0 || b.boosting {
			t.Fatalf("stunned drone turned to %d or boosts %v", b.yaw, b.boosting)
		}
	}
	// 30 ticks ran before, the tag was in one of them.
	if want := int(g.stunTicks); stunned > want || stunned < want-30 {
		t.Errorf("stunned for %d more ticks, want at most %d", stunned, want)
	}
	g.Step(0)
	if b.yaw != AngleSteps/2 {
		t.Errorf("after the stun the drone faces %d, want its input's %d", b.yaw, AngleSteps/2)
	}
}

func TestTagRules(t *testing.T) {
	tests := []struct {
		name   string
		in1    Input
		in2    Input
		stun1  bool
		stun2  bool
		tags   int
		tagger int // 1 or 2 when tags == 1
	}{
		{"boosting rams a drifting drone", Input{Buttons: ButtonBoost}, Input{}, false, false, 1, 1},
		{"the rammed one boosts away", Input{Buttons: ButtonBoost}, Input{Buttons: ButtonBoost}, false, false, 0, 0},
		{"head-on clash is a draw", Input{Buttons: ButtonBoost}, Input{Yaw: AngleSteps / 2, Buttons: ButtonBoost}, false, false, 0, 0},
		{"a slower ram is no tag", Input{Thrust: AxisMax}, Input{}, false, false, 0, 0},
		{"the victim turns and boosts", Input{Thrust: AxisMax}, Input{Yaw: AngleSteps / 2, Buttons: ButtonBoost}, false, false, 1, 2},
		{"a stunned drone cannot tag", Input{Buttons: ButtonBoost}, Input{}, true, false, 0, 0},
		{"a stunned drone cannot be tagged", Input{Buttons: ButtonBoost}, Input{}, false, true, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, a, b := rammers(t, endless)
			if tt.stun1 {
				a.stunLeft = 1 << 20
			}
			if tt.stun2 {
				b.stunLeft = 1 << 20
			}
			input(g, 1, tt.in1)
			input(g, 2, tt.in2)
			evs := run(g, 40)
			if n := countEvents(evs, EventTag); n != tt.tags {
				t.Fatalf("%d tags, want %d", n, tt.tags)
			}
			if tt.tags == 0 {
				return
			}
			want := [3]uint32{0, a.ent, b.ent}[tt.tagger]
			for _, e := range evs {
				if e.Kind == EventTag && e.Actor != want {
					t.Errorf("tag by %d, want by %d", e.Actor, want)
				}
			}
		})
	}
}

func TestStunnedDroneCollectsNothing(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 1)
	parkCores(g)
	place(t, g, 1, 200, 200, 300, 0)
	d := droneOf(t, g, 1)
	d.stunLeft = 10
	putCore(g, 0, 230, 200, 300)
	run(g, 5)
	if d.cores != 0 {
		t.Fatalf("stunned drone collected %d cores", d.cores)
	}
	run(g, 10)
	if d.cores != 1 {
		t.Errorf("after the stun the drone holds %d cores, want 1", d.cores)
	}
}

func TestMatchEndsOnCoreLimit(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, Options{CoreLimit: 3}, 3)
	parkCores(g)
	place(t, g, 1, 200, 200, 300, 0)
	place(t, g, 2, 200, 600, 300, 0)
	place(t, g, 3, 200, 1800, 300, 0)
	droneOf(t, g, 2).cores = 2
	droneOf(t, g, 3).tags = 1
	putCore(g, 0, 230, 600, 300) // drone 2's third
	g.Step(0)
	res, ended := g.Results()
	if !ended {
		t.Fatal("match not ended at the core limit")
	}
	got := make([]game.PlayerID, len(res))
	for i, r := range res {
		got[i] = r.Player
	}
	if want := []game.PlayerID{2, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if r := res[0]; r.Score != 3 || !slices.Equal(r.Values, []int32{3, 0, 0, 1}) || r.EntityID != droneOf(t, g, 2).ent {
		t.Errorf("winner %+v, want score 3 values [3 0 0 1]", r)
	}
	// Frozen: further steps and inputs change nothing.
	before := viewOf(g, game.Observer)
	input(g, 1, Input{Thrust: AxisMax})
	run(g, 10)
	if !viewOf(g, game.Observer).Equal(before) {
		t.Error("world changed after the match ended")
	}
	// Results are a copy.
	res[0].Values[0] = 99
	if again, _ := g.Results(); again[0].Values[0] != 3 {
		t.Error("Results shares its values with the caller")
	}
}

func TestMatchEndsOnTimer(t *testing.T) {
	tests := []struct {
		hz    int
		dur   time.Duration
		ticks int
	}{
		{60, time.Second, 60},
		{20, 1500 * time.Millisecond, 30},
		{30, 3 * time.Minute, 5400},
	}
	for _, tt := range tests {
		t.Run(tt.dur.String(), func(t *testing.T) {
			g := newTestGame(t, game.Config{TickHz: tt.hz, Seed: 1}, Options{MatchDuration: tt.dur}, 2)
			parkCores(g)
			run(g, tt.ticks-1)
			if _, ended := g.Results(); ended {
				t.Fatalf("ended after %d of %d ticks", tt.ticks-1, tt.ticks)
			}
			g.Step(0)
			if res, ended := g.Results(); !ended || len(res) != 2 {
				t.Errorf("after %d ticks: ended=%v results %+v, want ended with 2 players", tt.ticks, ended, res)
			}
		})
	}
}

func TestStandingsOrder(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, endless, 5)
	set := func(p game.PlayerID, cores, tags, tagged int32) {
		d := droneOf(t, g, p)
		d.cores, d.tags, d.tagged = cores, tags, tagged
	}
	set(1, 3, 3, 5) // same cores and tags as 4, tagged more
	set(2, 5, 0, 9) // most cores
	set(3, 3, 4, 9) // same cores as 1, more tags
	set(4, 3, 3, 1)
	set(5, 3, 3, 1) // ties 4 entirely: lower id first
	var got []game.PlayerID
	for _, r := range g.Standings() {
		got = append(got, r.Player)
	}
	if want := []game.PlayerID{2, 3, 4, 5, 1}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}
