package drones

import "github.com/tickwire/tickwire/game"

// The drones implement the optional hooks of a room: the warm-up before
// the match does not count, a disconnected drone stops, and the standings
// are there when a room closes early.
var (
	_ game.MatchStarter      = (*Game)(nil)
	_ game.PlayerConnection  = (*Game)(nil)
	_ game.StandingsReporter = (*Game)(nil)
)

// StartMatch resets the game for the match that begins at tick: cores
// held, tags and pickups go back to 0, every drone is launched again (in
// entity id order, from the seeded RNG, so the result is deterministic),
// the cores of the warm-up vanish and CoreCount fresh ones spawn, and the
// match timer restarts. The timer counts Steps, so the match lasts
// MatchDuration from the Step of tick.
func (g *Game) StartMatch(uint32) {
	g.match = match{}
	g.cores = g.cores[:0]
	for i, d := range g.drones {
		d.cores, d.tags, d.tagged, d.pickups = 0, 0, 0, 0
		g.launch(d, g.drones[:i])
	}
	g.fillCores()
}

// Disconnected clears p's thrust and boost, keeping its facing, so its
// drone coasts to a stop; it stays in the box, can be tagged, and keeps
// its cores.
func (g *Game) Disconnected(p game.PlayerID) {
	d, ok := g.byPlayer[p]
	if !ok {
		return
	}
	d.in = Input{Yaw: d.yaw, Pitch: wireAngle(d.pitch)}
}

// Reconnected does nothing: p's next input takes over its drone again.
func (g *Game) Reconnected(game.PlayerID) {}
