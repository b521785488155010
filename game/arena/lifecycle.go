package arena

import "github.com/tickwire/tickwire/game"

// The arena implements the optional lifecycle hooks of a room: the warm-up
// before the match does not count, and a disconnected player stands still.
var (
	_ game.MatchStarter     = (*Game)(nil)
	_ game.PlayerConnection = (*Game)(nil)
)

// StartMatch resets the arena for the match that begins at tick: scores,
// kills, deaths and health are reset, shots in flight vanish, every player
// respawns at a spawn point (in entity ID order, from the seeded RNG, so the
// result is deterministic) and the match timer restarts. The arena's timer
// counts Steps, so the match lasts MatchDuration from the Step of tick.
func (g *Game) StartMatch(tick uint32) {
	g.match = match{}
	g.projectiles = g.projectiles[:0]
	// Everyone dead first, so spawn spreads players over the free points
	// instead of avoiding where they stood in the warm-up.
	for _, p := range g.players {
		p.alive = false
	}
	for _, p := range g.players {
		p.score, p.kills, p.deaths = 0, 0, 0
		p.respawnAt, p.nextFire = 0, 0
		p.fireLatch, p.fired = false, false
		g.spawn(p)
		g.emit(EventRespawn, 0, p.ent, 0)
	}
}

// Disconnected clears p's controls, so its avatar stops moving and firing;
// it stays in the world, can be hit, and keeps its score.
func (g *Game) Disconnected(p game.PlayerID) {
	pl, ok := g.byPlayer[p]
	if !ok {
		return
	}
	pl.in = Input{}
	pl.fireLatch = false
}

// Reconnected does nothing: p's next input takes over its avatar again.
func (g *Game) Reconnected(game.PlayerID) {}
