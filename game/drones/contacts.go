package drones

import "github.com/tickwire/tickwire/game/fixed"

// tagReach is how far beyond touching, in world units, a boosting drone
// still tags: drones bump apart every tick, so without a little reach a
// tag would depend on how the bump left them.
const tagReach = 4

// contacts settles drone against drone, pair by pair in entity id order
// so the outcome is deterministic: a boosting drone tags the drone it rams,
// then the two bump apart if they overlap. The box and the pillars win
// last.
func (g *Game) contacts() {
	reach := 2*g.w.droneR + tagReach*g.w.unit
	for i, a := range g.drones {
		for _, b := range g.drones[i+1:] {
			if !within(a.body.p, b.body.p, reach) {
				continue
			}
			g.ram(a, b)
			g.bump(a, b)
		}
	}
	for _, d := range g.drones {
		g.w.collide(&d.body, g.w.droneR)
		d.body.v = limit(d.body.v, g.boostV)
	}
}

// ram decides a touch of a and b: a drone tags the other when it boosts
// toward it and neither is stunned. When both boost toward each other the
// clash is a draw and they only bounce.
func (g *Game) ram(a, b *drone) {
	ab := b.body.p.sub(a.body.p)
	aTags := canTag(a, b) && a.body.v.dot(ab) > 0
	bTags := canTag(b, a) && b.body.v.dot(ab) < 0
	switch {
	case aTags && !bTags:
		g.tag(a, b)
	case bTags && !aTags:
		g.tag(b, a)
	}
}

// canTag reports whether t may tag v: t boosts, and neither is stunned (a
// stunned drone can neither tag nor be tagged again).
func canTag(t, v *drone) bool {
	return t.boosting && !t.stunned() && !v.stunned()
}

// tag makes t tag v: v is stunned, loses its boost and a core to t (if it
// has one), and takes most of t's momentum.
func (g *Game) tag(t, v *drone) {
	v.stunLeft = g.stunTicks
	v.boosting = false
	var stolen int32
	if v.cores > 0 {
		v.cores--
		t.cores++
		stolen = 1
	}
	t.tags++
	v.tagged++
	v.body.v = limit(v.body.v.add(t.body.v.scale(3, 4)), g.boostV)
	t.body.v = t.body.v.scale(1, 4)
	g.emit(EventTag, t.ent, v.ent, stolen, 0)
}

// bump pushes overlapping drones a and b apart, each half the overlap,
// and bounces them if they move toward each other: equal masses swap their
// velocities along the line between them.
func (g *Game) bump(a, b *drone) {
	minD := 2 * g.w.droneR
	d := b.body.p.sub(a.body.p)
	d2 := d.dot(d)
	if d2 >= minD*minD {
		return
	}
	dist := fixed.Isqrt(d2)
	if dist == 0 { // exactly stacked: the higher id goes +x
		d, dist = vec{1, 0, 0}, 1
	}
	half := (minD - dist + 1) / 2
	a.body.p = a.body.p.sub(d.scale(half, dist))
	b.body.p = b.body.p.add(d.scale(half, dist))
	if rn := b.body.v.sub(a.body.v).dot(d) / dist; rn < 0 {
		a.body.v = a.body.v.add(d.scale(rn, dist))
		b.body.v = b.body.v.sub(d.scale(rn, dist))
	}
}
