package arena

import (
	"cmp"
	"slices"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
)

// match is the match clock and outcome.
type match struct {
	elapsed int64 // Steps taken
	ended   bool
	results []game.PlayerResult
}

// spawn places p, alive and at full health, at a spawn point: a random one
// from the seeded RNG, or the next free one after it when it is taken.
func (g *Game) spawn(p *player) {
	start := g.rng.IntN(len(SpawnPoints))
	pick := start
	for k := range SpawnPoints {
		i := (start + k) % len(SpawnPoints)
		if g.spawnFree(SpawnPoints[i], p) {
			pick = i
			break
		}
	}
	sp := SpawnPoints[pick]
	p.body = body{x: int64(sp.X) * g.w.unit, y: int64(sp.Y) * g.w.unit}
	p.alive = true
	p.health = g.opts.MaxHealth
}

// spawnFree reports whether no other living player stands within two
// diameters of pt.
func (g *Game) spawnFree(pt Point, self *player) bool {
	x, y := int64(pt.X)*g.w.unit, int64(pt.Y)*g.w.unit
	near := 4 * g.w.playerR
	for _, q := range g.players {
		if q == self || !q.alive {
			continue
		}
		if fixed.Abs(q.body.x-x) < near && fixed.Abs(q.body.y-y) < near {
			return false
		}
	}
	return true
}

// respawnDue brings back every dead player whose delay is over.
func (g *Game) respawnDue(now int64) {
	for _, p := range g.players {
		if p.alive || now < p.respawnAt {
			continue
		}
		g.spawn(p)
		p.nextFire = now
		g.emit(EventRespawn, 0, p.ent, 0)
	}
}

// checkEnd ends the match on the timer or when someone reaches the score
// limit, freezing the results at that moment.
func (g *Game) checkEnd() {
	ended := g.match.elapsed >= g.durationTicks
	for _, p := range g.players {
		if p.score >= g.opts.ScoreLimit {
			ended = true
		}
	}
	if !ended {
		return
	}
	g.match.ended = true
	g.match.results = g.standings()
}

// standings returns every seated player's line, best first: score desc,
// kills desc, deaths asc, player id asc.
func (g *Game) standings() []game.PlayerResult {
	rs := make([]game.PlayerResult, 0, len(g.players))
	for _, p := range g.players {
		rs = append(rs, game.PlayerResult{
			Player: p.id, Name: p.name, EntityID: p.ent,
			Score: p.score, Values: []int32{ResultKills: int32(p.kills), ResultDeaths: int32(p.deaths)},
		})
	}
	slices.SortFunc(rs, func(a, b game.PlayerResult) int {
		switch {
		case a.Score != b.Score:
			return cmp.Compare(b.Score, a.Score)
		case a.Values[ResultKills] != b.Values[ResultKills]:
			return cmp.Compare(b.Values[ResultKills], a.Values[ResultKills])
		case a.Values[ResultDeaths] != b.Values[ResultDeaths]:
			return cmp.Compare(a.Values[ResultDeaths], b.Values[ResultDeaths])
		default:
			return cmp.Compare(a.Player, b.Player)
		}
	})
	return rs
}

// Results reports whether the match has ended and, once it has, the
// standings frozen at the end (a copy the caller may keep and change:
// each line's Values are copied too).
func (g *Game) Results() ([]game.PlayerResult, bool) {
	if !g.match.ended {
		return nil, false
	}
	return game.CloneResults(g.match.results), true
}

// Standings returns the current standings, best first, ended or not.
func (g *Game) Standings() []game.PlayerResult { return g.standings() }
