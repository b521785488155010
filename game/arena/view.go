package arena

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// The arena's players see different entities only with fog.
var _ game.ViewGrouper = (*Game)(nil)

// fogReach caps the fog radius, in world units: no two points of the arena
// are farther apart, and its square in sub-units fits an int64 even at
// maxTickHz, where a larger radius could overflow and hide players in plain
// sight.
const fogReach = ArenaWidth + ArenaHeight

// View appends what player p sees, sorted by ID ascending: every player and
// projectile, or with a FogRadius only those within it of p's avatar (p's
// own avatar always). The observer, and a player not in the game, see
// everything.
func (g *Game) View(p game.PlayerID, dst *wire.Rows) {
	viewer, fog := g.fogViewer(p)
	i, j := 0, 0
	for i < len(g.players) || j < len(g.projectiles) {
		if j >= len(g.projectiles) || (i < len(g.players) && g.players[i].ent < g.projectiles[j].id) {
			pl := g.players[i]
			i++
			if fog && pl != viewer && !g.inFog(viewer, pl.body.x, pl.body.y) {
				continue
			}
			g.appendPlayer(dst, pl)
		} else {
			s := &g.projectiles[j]
			j++
			if fog && !g.inFog(viewer, s.x, s.y) {
				continue
			}
			g.appendProjectile(dst, s)
		}
	}
}

// ViewGroup puts every player in one group when there is no fog, so the
// room builds one view per snapshot; with fog each player sees its own.
func (g *Game) ViewGroup(p game.PlayerID) uint64 {
	if g.opts.FogRadius <= 0 {
		return 0
	}
	return uint64(p)
}

// fogViewer returns p's avatar and whether fog limits what p sees.
func (g *Game) fogViewer(p game.PlayerID) (*player, bool) {
	if g.opts.FogRadius <= 0 || p == game.Observer {
		return nil, false
	}
	viewer, ok := g.byPlayer[p]
	return viewer, ok
}

// inFog reports whether the point (x, y), in sub-units, is within the fog
// radius of viewer.
func (g *Game) inFog(viewer *player, x, y int64) bool {
	dx, dy := x-viewer.body.x, y-viewer.body.y
	r := int64(min(g.opts.FogRadius, fogReach)) * g.w.unit
	return dx*dx+dy*dy <= r*r
}

// appendPlayer appends p's row.
func (g *Game) appendPlayer(dst *wire.Rows, p *player) {
	f := dst.Append(p.ent, KindPlayer)
	f[PlayerX] = g.w.toGrid(p.body.x)
	f[PlayerY] = g.w.toGrid(p.body.y)
	f[PlayerAngle] = p.aim
	f[PlayerHealth] = p.health
	f[PlayerScore] = p.score
	var flags int32
	if p.alive {
		flags |= FlagAlive
	}
	if p.fired {
		flags |= FlagFiring
	}
	f[PlayerFlags] = flags
	f[PlayerOwner] = int32(p.id)
}

// appendProjectile appends s's row.
func (g *Game) appendProjectile(dst *wire.Rows, s *projectile) {
	f := dst.Append(s.id, KindProjectile)
	f[ProjectileX] = g.w.toGrid(s.x)
	f[ProjectileY] = g.w.toGrid(s.y)
	f[ProjectileAngle] = s.angle
	f[ProjectileOwner] = int32(s.owner)
}
