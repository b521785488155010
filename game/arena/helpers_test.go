package arena

import (
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// newTestGame returns a game with n players (ids 1..n) joined.
func newTestGame(t testing.TB, cfg game.Config, opts Options, n int) *Game {
	t.Helper()
	g := NewWithOptions(cfg, opts)
	for i := 1; i <= n; i++ {
		if _, err := g.Join(game.PlayerID(i), "p"); err != nil {
			t.Fatalf("join %d: %v", i, err)
		}
	}
	return g
}

// place puts player p at world position (x, y), at rest.
func place(t testing.TB, g *Game, p game.PlayerID, x, y int64) {
	t.Helper()
	pl, ok := g.byPlayer[p]
	if !ok {
		t.Fatalf("place: no player %d", p)
	}
	pl.body = body{x: x * g.w.unit, y: y * g.w.unit}
}

// entityOf returns player p's entity from the game's view.
func entityOf(t testing.TB, g *Game, p game.PlayerID) wire.Entity {
	t.Helper()
	pl, ok := g.byPlayer[p]
	if !ok {
		t.Fatalf("entityOf: no player %d", p)
	}
	for _, e := range g.View(nil) {
		if e.ID == pl.ent {
			return e
		}
	}
	t.Fatalf("entityOf: player %d (entity %d) not in view", p, pl.ent)
	return wire.Entity{}
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

func right() game.Input { return game.Input{MoveX: wire.MoveAxisMax} }
