package drones

import (
	"slices"
	"time"

	"github.com/tickwire/tickwire/game/fixed"
)

// Core constants, fixed because they shape the game rather than tune it.
const (
	// coreLinger is how long a taken core stays in the world (with its
	// taker in CoreTakenBy) before it goes: the pickup event names the
	// core, and the room delivers an event only to players whose view of
	// the next snapshot holds every entity it names, so a core that
	// vanished at once would take its pickup event with it.
	coreLinger = 500 * time.Millisecond
	// brightOdds makes one core in brightOdds a bright one worth
	// brightValue.
	brightOdds  = 6
	brightValue = 3
	// spawnTries bounds the random points tried before settling for a
	// point in a crowd, or a refuge.
	spawnTries = 48
)

// core is a core in the box.
type core struct {
	id    uint32
	p     vec
	value int32
	// takenBy is the entity id of the drone that took the core, 0 while
	// it is free; goneAt is the match tick it leaves the world then.
	takenBy uint32
	goneAt  int64
}

// freeCores counts the cores a drone can still collect.
func (g *Game) freeCores() int {
	n := 0
	for i := range g.cores {
		if g.cores[i].takenBy == 0 {
			n++
		}
	}
	return n
}

// fillCores spawns cores until CoreCount are free.
func (g *Game) fillCores() {
	for n := g.freeCores(); n < g.opts.CoreCount; n++ {
		g.spawnCore()
	}
}

// spawnCore places a new core at a free point, away from every drone when
// one turns up, so that no one collects it the moment it appears.
func (g *Game) spawnCore() {
	p := g.freePoint(g.w.coreR+g.w.unit, 3*(g.w.droneR+g.w.coreR), g.drones)
	value := int32(1)
	if g.rng.IntN(brightOdds) == 0 {
		value = brightValue
	}
	c := core{id: g.newEntityID(), p: p, value: value}
	g.cores = append(g.cores, c)
	g.emit(EventCoreSpawn, 0, c.id, value, 0)
}

// expireCores removes the taken cores whose linger is over.
func (g *Game) expireCores() {
	now := g.match.elapsed
	g.cores = slices.DeleteFunc(g.cores, func(c core) bool {
		return c.takenBy != 0 && now >= c.goneAt
	})
}

// collect gives every free core a drone touches to that drone, drones in
// entity id order; a stunned drone collects nothing.
func (g *Game) collect() {
	reach := g.w.droneR + g.w.coreR
	for _, d := range g.drones {
		if d.stunned() {
			continue
		}
		for i := range g.cores {
			c := &g.cores[i]
			if c.takenBy != 0 || !within(d.body.p, c.p, reach) {
				continue
			}
			c.takenBy, c.goneAt = d.ent, g.match.elapsed+g.lingerTicks
			d.cores += c.value
			d.pickups++
			g.emit(EventPickup, d.ent, c.id, d.cores, c.value)
		}
	}
}

// freePoint returns a random whole-unit point whose sphere of radius clear
// touches no pillar and stays in the box and, if one turns up within
// spawnTries, that is farther than away from every drone of others and
// every free core. It falls back to the first point clear of the pillars,
// then to a refuge.
func (g *Game) freePoint(clear, away int64, others []*drone) vec {
	var fallback vec
	found := false
	for range spawnTries {
		p := g.randomPoint(clear)
		if g.w.hitsPillar(p, clear) {
			continue
		}
		if !found {
			fallback, found = p, true
		}
		if !g.crowded(p, away, others) {
			return p
		}
	}
	if found {
		return fallback
	}
	r := refuges[g.rng.IntN(len(refuges))]
	u := g.w.unit
	return vec{int64(r.X) * u, int64(r.Y) * u, int64(r.Z) * u}
}

// randomPoint returns a random whole-unit point at least clear inside the
// box.
func (g *Game) randomPoint(clear int64) vec {
	u := g.w.unit
	m := (clear + u - 1) / u // whole units of margin
	coord := func(size int64) int64 { return (m + g.rng.Int64N(size-2*m+1)) * u }
	return vec{coord(WorldX), coord(WorldY), coord(WorldZ)}
}

// crowded reports whether a drone of others or a free core is within away
// of p.
func (g *Game) crowded(p vec, away int64, others []*drone) bool {
	for _, d := range others {
		if within(p, d.body.p, away) {
			return true
		}
	}
	for i := range g.cores {
		if c := &g.cores[i]; c.takenBy == 0 && within(p, c.p, away) {
			return true
		}
	}
	return false
}

// launch places d at a free point, at rest with a full tank, facing the
// centre of the box and holding still until its next input.
func (g *Game) launch(d *drone, others []*drone) {
	p := g.freePoint(g.w.droneR+g.w.unit, 4*g.w.droneR, others)
	d.body = body{p: p}
	d.yaw = fixed.Atan2(g.w.size.y/2-p.y, g.w.size.x/2-p.x)
	d.pitch = 0
	d.in = Input{Yaw: d.yaw}
	d.energy = g.fullEnergy
	d.boosting = false
	d.stunLeft = 0
	g.emit(EventDroneSpawn, 0, d.ent, 0, 0)
}
