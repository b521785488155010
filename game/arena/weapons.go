package arena

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
)

// projectile is a flying shot.
type projectile struct {
	id      uint32
	owner   game.PlayerID
	shooter uint32 // the owner's entity when it fired
	x, y    int64
	vx, vy  int64
	angle   int32
	diesAt  int64 // match step at which it expires
}

// fire spawns a shot for every living player that wants to fire and whose
// cooldown is over. A muzzle inside a wall spawns nothing (the cooldown
// still runs), so no projectile is ever drawn inside geometry.
func (g *Game) fire(now int64) {
	muzzle := g.w.playerR + g.w.projR + 2*g.w.unit
	for _, p := range g.players {
		p.fired = false
		want := p.fireLatch || p.in.Buttons&ButtonFire != 0
		p.fireLatch = false
		if !p.alive || !want || now < p.nextFire {
			continue
		}
		p.nextFire = now + g.cooldownTicks
		p.fired = true
		c, s := fixed.Cos(p.aim), fixed.Sin(p.aim)
		x := p.body.x + muzzle*c/fixed.One
		y := p.body.y + muzzle*s/fixed.One
		if g.w.overlapsWall(x, y, g.w.projR) {
			continue
		}
		g.projectiles = append(g.projectiles, projectile{
			id:      g.newEntityID(),
			owner:   p.id,
			shooter: p.ent,
			x:       x,
			y:       y,
			vx:      g.projSpeed * c / fixed.One,
			vy:      g.projSpeed * s / fixed.One,
			angle:   p.aim,
			diesAt:  now + g.lifetimeTicks,
		})
	}
}

// moveProjectiles advances every shot in ID order in substeps no longer
// than its radius, so it can pass neither a wall nor a player. A shot
// dies on the first wall or player it touches, or when its time is up.
func (g *Game) moveProjectiles(now int64) {
	r := g.w.projR
	keep := g.projectiles[:0]
	for _, s := range g.projectiles {
		if now >= s.diesAt {
			continue
		}
		if g.projectileStep(&s, r) {
			keep = append(keep, s)
		}
	}
	clear(g.projectiles[len(keep):])
	g.projectiles = keep
}

// projectileStep moves one shot and reports whether it survives. The start
// position is checked too: a target may have walked onto a fresh muzzle.
func (g *Game) projectileStep(s *projectile, r int64) bool {
	n := max(1, (max(fixed.Abs(s.vx), fixed.Abs(s.vy))+r-1)/r)
	for i := int64(0); i <= n; i++ {
		if i > 0 {
			s.x += s.vx*i/n - s.vx*(i-1)/n
			s.y += s.vy*i/n - s.vy*(i-1)/n
		}
		if g.w.overlapsWall(s.x, s.y, r) {
			return false
		}
		if victim := g.projectileVictim(s, r); victim != nil {
			g.hit(s, victim)
			return false
		}
	}
	return true
}

// projectileVictim returns the lowest-ID living player, other than the
// owner, that the shot touches.
func (g *Game) projectileVictim(s *projectile, r int64) *player {
	reach := g.w.playerR + r
	for _, p := range g.players {
		if !p.alive || p.id == s.owner {
			continue
		}
		dx, dy := p.body.x-s.x, p.body.y-s.y
		if fixed.Abs(dx) >= reach || fixed.Abs(dy) >= reach {
			continue
		}
		if dx*dx+dy*dy < reach*reach {
			return p
		}
	}
	return nil
}

// hit applies a shot's damage and, on a kill, the death, the killer's point
// and the victim's respawn timer.
func (g *Game) hit(s *projectile, v *player) {
	dmg := min(g.opts.Damage, v.health)
	v.health -= dmg
	// A shooter who left is in nobody's view, and an event reaches only
	// players who see every entity it names: name no shooter then, so the
	// hit and the death still reach the victim and those who see it.
	shooter := s.shooter
	if k, ok := g.byPlayer[s.owner]; !ok || k.ent != s.shooter {
		shooter = 0
	}
	g.emit(EventHit, shooter, v.ent, dmg)
	if v.health > 0 {
		return
	}
	v.alive = false
	v.deaths++
	v.body.vx, v.body.vy = 0, 0
	v.respawnAt = g.match.elapsed + g.respawnTicks
	g.emit(EventDeath, shooter, v.ent, 0)
	// The killer scores only if still seated; a shot outlives its owner.
	if k, ok := g.byPlayer[s.owner]; ok && k.ent == s.shooter {
		k.kills++
		k.score++
		g.emit(EventScore, k.ent, 0, k.score)
	}
}
