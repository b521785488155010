package drones

import (
	"cmp"
	"slices"

	"github.com/tickwire/tickwire/game"
)

// match is the match clock and outcome.
type match struct {
	elapsed int64 // Steps taken
	ended   bool
	results []game.PlayerResult
}

// checkEnd ends the match on the timer or when a drone holds CoreLimit
// cores, freezing the results at that moment.
func (g *Game) checkEnd() {
	ended := g.match.elapsed >= g.durationTicks
	for _, d := range g.drones {
		if d.cores >= g.opts.CoreLimit {
			ended = true
		}
	}
	if ended {
		g.end()
	}
}

// end ends the match now with the current standings.
func (g *Game) end() {
	g.match.ended = true
	g.match.results = g.standings()
}

// standings returns every seated player's line, best first: cores desc,
// tags desc, times tagged asc, player id asc.
func (g *Game) standings() []game.PlayerResult {
	rs := make([]game.PlayerResult, 0, len(g.drones))
	for _, d := range g.drones {
		rs = append(rs, game.PlayerResult{
			Player: d.id, Name: d.name, EntityID: d.ent, Score: d.cores,
			Values: []int32{
				ResultCores:   d.cores,
				ResultTags:    d.tags,
				ResultTagged:  d.tagged,
				ResultPickups: d.pickups,
			},
		})
	}
	slices.SortFunc(rs, func(a, b game.PlayerResult) int {
		switch {
		case a.Score != b.Score:
			return cmp.Compare(b.Score, a.Score)
		case a.Values[ResultTags] != b.Values[ResultTags]:
			return cmp.Compare(b.Values[ResultTags], a.Values[ResultTags])
		case a.Values[ResultTagged] != b.Values[ResultTagged]:
			return cmp.Compare(a.Values[ResultTagged], b.Values[ResultTagged])
		default:
			return cmp.Compare(a.Player, b.Player)
		}
	})
	return rs
}

// Results reports whether the match has ended and, once it has, the
// standings frozen at the end (a copy the caller may keep).
func (g *Game) Results() ([]game.PlayerResult, bool) {
	if !g.match.ended {
		return nil, false
	}
	return game.CloneResults(g.match.results), true
}

// Standings returns the current standings, best first, ended or not.
func (g *Game) Standings() []game.PlayerResult { return g.standings() }
