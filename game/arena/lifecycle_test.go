package arena

import (
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// warmUpThenStart plays a 16-player scripted warm-up of warmTicks, starts
// the match, and plays matchTicks more; it returns the game, the view's
// checksum right after StartMatch and after every match tick.
func warmUpThenStart(t *testing.T, seed int64, warmTicks, matchTicks int) (*Game, uint32, []uint32) {
	t.Helper()
	g := newTestGame(t, game.Config{TickHz: 60, MaxPlayers: 16, Seed: seed}, Options{}, 16)
	log := scriptedInputs(7, 16, warmTicks+matchTicks)
	play := func(tick int) {
		for p, in := range log[tick] {
			g.ApplyInput(game.PlayerID(p+1), in)
		}
		g.Step(uint32(tick + 1))
		g.DrainEvents(nil)
	}
	for tick := range warmTicks {
		play(tick)
	}
	g.StartMatch(uint32(warmTicks + 1))
	atStart := wire.Checksum(worldView(g))
	sums := make([]uint32, 0, matchTicks)
	for tick := warmTicks; tick < warmTicks+matchTicks; tick++ {
		play(tick)
		sums = append(sums, wire.Checksum(worldView(g)))
	}
	return g, atStart, sums
}

func TestStartMatchResets(t *testing.T) {
	const warm = 20 * 60 // long enough for hits, deaths and scores
	g, _, _ := warmUpThenStart(t, 3, warm, 0)
	if len(g.Standings()) != 16 {
		t.Fatalf("%d players after StartMatch, want 16", len(g.Standings()))
	}
	if _, ended := g.Results(); ended {
		t.Error("match ended right after StartMatch")
	}
	if len(g.projectiles) != 0 {
		t.Errorf("%d projectiles after StartMatch, want none", len(g.projectiles))
	}
	if g.match.elapsed != 0 {
		t.Errorf("match timer at %d steps after StartMatch, want 0", g.match.elapsed)
	}
	spawns := make(map[Point]bool)
	for _, sp := range SpawnPoints {
		spawns[sp] = true
	}
	for _, p := range g.players {
		if p.score != 0 || p.kills != 0 || p.deaths != 0 {
			t.Errorf("player %d: score %d kills %d deaths %d, want all 0", p.id, p.score, p.kills, p.deaths)
		}
		if !p.alive || p.health != g.opts.MaxHealth {
			t.Errorf("player %d: alive %v health %d, want alive at %d", p.id, p.alive, p.health, g.opts.MaxHealth)
		}
		at := Point{X: int32(p.body.x / g.w.unit), Y: int32(p.body.y / g.w.unit)}
		if !spawns[at] || p.body.x%g.w.unit != 0 || p.body.y%g.w.unit != 0 || p.body.vx != 0 || p.body.vy != 0 {
			t.Errorf("player %d at %+v moving (%d, %d), want at rest on a spawn point", p.id, p.body, p.body.vx, p.body.vy)
		}
	}
	if n := countEvents(g.DrainEvents(nil), EventRespawn); n != 16 {
		t.Errorf("%d respawn events at StartMatch, want 16", n)
	}
}

func TestStartMatchDeterministic(t *testing.T) {
	const warm, match = 10 * 60, 5 * 60
	_, start, sums := warmUpThenStart(t, 11, warm, match)
	tests := []struct {
		name     string
		seed     int64
		warm     int
		wantSame bool
	}{
		{"same seed and inputs", 11, warm, true},
		{"different seed", 12, warm, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, gotStart, got := warmUpThenStart(t, tt.seed, tt.warm, match)
			diff := firstDifference(sums, got)
			if tt.wantSame && (gotStart != start || diff >= 0) {
				t.Fatalf("start checksum %08x vs %08x, first differing match tick %d", gotStart, start, diff)
			}
			if !tt.wantSame && gotStart == start && diff < 0 {
				t.Fatal("identical checksums with a different seed")
			}
		})
	}
}

func TestStartMatchRestartsTimer(t *testing.T) {
	// A one-second match that already ended in the warm-up.
	g := newTestGame(t, game.Config{TickHz: 60, MaxPlayers: 4, Seed: 1}, Options{MatchDuration: time.Second}, 2)
	for tick := uint32(1); tick <= 70; tick++ {
		g.Step(tick)
	}
	if _, ended := g.Results(); !ended {
		t.Fatal("warm-up longer than the match did not end it")
	}
	g.StartMatch(71)
	for tick := uint32(71); tick < 71+59; tick++ {
		g.Step(tick)
		if _, ended := g.Results(); ended {
			t.Fatalf("match ended at tick %d, %d steps after StartMatch; want 60", tick, tick-70)
		}
	}
	g.Step(71 + 59)
	if _, ended := g.Results(); !ended {
		t.Fatal("match not ended 60 steps after StartMatch")
	}
}

func TestDisconnectedPlayerStops(t *testing.T) {
	g := newTestGame(t, game.Config{TickHz: 60, MaxPlayers: 4, Seed: 1}, Options{}, 2)
	place(t, g, 1, 200, 100) // open floor to the right
	place(t, g, 2, 200, 900)
	fire := right()
	fire.Buttons = ButtonFire
	g.ApplyInput(1, gameInput(fire))
	g.ApplyInput(2, gameInput(right()))
	tick := uint32(0)
	steps := func(n int) {
		for range n {
			tick++
			g.Step(tick)
		}
	}
	steps(30)
	if len(g.projectiles) == 0 {
		t.Fatal("player 1 never fired before the disconnect")
	}
	g.Disconnected(1)
	nextFire := g.byPlayer[1].nextFire
	steps(60) // time enough to decelerate (full speed in 1/8 s)
	b1, b2 := fieldsOf(t, g, 1), fieldsOf(t, g, 2)
	steps(30)
	a1, a2 := fieldsOf(t, g, 1), fieldsOf(t, g, 2)
	if b1[PlayerX] != a1[PlayerX] || b1[PlayerY] != a1[PlayerY] {
		t.Errorf("disconnected player moved from %v to %v", b1, a1)
	}
	if a1[PlayerFlags]&FlagAlive == 0 {
		t.Error("disconnected player is not alive in the world")
	}
	if g.byPlayer[1].nextFire != nextFire {
		t.Errorf("disconnected player fired: next fire step %d, was %d", g.byPlayer[1].nextFire, nextFire)
	}
	if a2[PlayerX] <= b2[PlayerX] {
		t.Errorf("connected player stopped too: x %d then %d", b2[PlayerX], a2[PlayerX])
	}
	g.Reconnected(1)
	g.ApplyInput(1, gameInput(right()))
	steps(10)
	if x := fieldsOf(t, g, 1)[PlayerX]; x <= a1[PlayerX] {
		t.Errorf("reconnected player does not move: x %d then %d", a1[PlayerX], x)
	}
}
