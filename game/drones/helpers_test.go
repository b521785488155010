package drones

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// endless is a match that neither the timer nor the core limit ends.
var endless = Options{MatchDuration: 1000 * time.Hour, CoreLimit: 1 << 30}

// newTestGame returns a game with n players (ids 1..n) joined.
func newTestGame(t testing.TB, cfg game.Config, opts Options, n int) *Game {
	t.Helper()
	if cfg.MaxPlayers == 0 {
		cfg.MaxPlayers = max(n, game.DefaultMaxPlayers)
	}
	g := NewWithOptions(cfg, opts)
	for i := 1; i <= n; i++ {
		if _, err := g.Join(game.PlayerID(i), "p"); err != nil {
			t.Fatalf("join %d: %v", i, err)
		}
	}
	return g
}

// droneOf returns player p's drone.
func droneOf(t testing.TB, g *Game, p game.PlayerID) *drone {
	t.Helper()
	d, ok := g.byPlayer[p]
	if !ok {
		t.Fatalf("no player %d", p)
	}
	return d
}

// place puts player p's drone at world position (x, y, z), at rest and
// facing yaw, with its input cleared.
func place(t testing.TB, g *Game, p game.PlayerID, x, y, z int64, yaw int32) {
	t.Helper()
	d := droneOf(t, g, p)
	u := g.w.unit
	d.body = body{p: vec{x * u, y * u, z * u}}
	d.yaw, d.pitch = yaw, 0
	d.in = Input{Yaw: yaw}
}

// parkCores moves every core to the far corner (1900, 1900, 550), out of
// the way of drones elsewhere.
func parkCores(g *Game) {
	u := g.w.unit
	for i := range g.cores {
		g.cores[i].p = vec{1900 * u, 1900 * u, 550 * u}
	}
}

// viewOf returns player p's view.
func viewOf(g *Game, p game.PlayerID) *wire.Rows {
	rows := wire.NewRows(Layout(), 16)
	g.View(p, rows)
	return rows
}

// has reports whether rows hold entity id.
func has(rows *wire.Rows, id uint32) bool {
	_, ok := rows.Find(id)
	return ok
}

// input applies in as player p's input.
func input(g *Game, p game.PlayerID, in Input) {
	g.ApplyInput(p, in.GameInput(1))
}

// run steps g n times and returns the events of those steps.
func run(g *Game, n int) []wire.Event {
	var evs []wire.Event
	for range n {
		g.Step(0)
		evs = g.DrainEvents(evs)
	}
	return evs
}

func countEvents(evs []wire.Event, kind uint32) int {
	n := 0
	for _, e := range evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// pilotStep gives every seated player (ids 1..n) the Pilot's input for
// its own view, then steps g.
func pilotStep(g *Game, n int, rngs []*rand.Rand, rows *wire.Rows) {
	for p := 1; p <= n; p++ {
		d, ok := g.byPlayer[game.PlayerID(p)]
		if !ok {
			continue
		}
		rows.Reset()
		g.View(game.PlayerID(p), rows)
		input(g, game.PlayerID(p), Pilot(d.ent, rows, rngs[p-1]))
	}
	g.Step(0)
}

// pilotRNGs returns one seeded random source per pilot.
func pilotRNGs(seed uint64, n int) []*rand.Rand {
	rs := make([]*rand.Rand, n)
	for i := range rs {
		rs[i] = rand.New(rand.NewPCG(seed, uint64(i)))
	}
	return rs
}
