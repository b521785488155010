package drones

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

var _ game.ViewGrouper = (*Game)(nil)

// View appends what player p sees, in ascending id order: its own drone,
// and the other drones and the cores within ViewRadius of its drone that
// no pillar hides from the drone's centre (unless SeeThroughPillars).
// Observer sees the whole box; a player without a drone sees nothing.
func (g *Game) View(p game.PlayerID, dst *wire.Rows) {
	var viewer *drone
	if p != game.Observer {
		v, ok := g.byPlayer[p]
		if !ok {
			return
		}
		viewer = v
	}
	i, j := 0, 0
	for i < len(g.drones) || j < len(g.cores) {
		if j >= len(g.cores) || (i < len(g.drones) && g.drones[i].ent < g.cores[j].id) {
			d := g.drones[i]
			i++
			if viewer != nil && d != viewer && !g.sees(viewer, d.body.p) {
				continue
			}
			g.appendDrone(dst, d)
		} else {
			c := &g.cores[j]
			j++
			if viewer != nil && !g.sees(viewer, c.p) {
				continue
			}
			g.appendCore(dst, c)
		}
	}
}

// ViewGroup gives every player its own view group: what a drone sees
// depends on where it is. When the options hide nothing (a negative
// ViewRadius and SeeThroughPillars) every drone sees the whole box and
// shares Observer's group 0, so the room builds one view per snapshot.
func (g *Game) ViewGroup(p game.PlayerID) uint64 {
	if g.viewR < 0 && g.opts.SeeThroughPillars {
		if _, ok := g.byPlayer[p]; ok {
			return 0
		}
	}
	return uint64(p)
}

// sees reports whether viewer sees the point p: within the view radius
// and, unless SeeThroughPillars, with no pillar between the two.
func (g *Game) sees(viewer *drone, p vec) bool {
	if g.viewR >= 0 && !within(viewer.body.p, p, g.viewR) {
		return false
	}
	return g.opts.SeeThroughPillars || !g.w.blocked(viewer.body.p, p)
}

// blocked reports whether a pillar stands between a and b.
func (w *world) blocked(a, b vec) bool {
	for i := range w.pillars {
		if segmentHitsBox(a, b, &w.pillars[i]) {
			return true
		}
	}
	return false
}

// appendDrone appends d's row.
func (g *Game) appendDrone(dst *wire.Rows, d *drone) {
	f := dst.Append(d.ent, KindDrone)
	f[DroneX] = g.w.toGrid(d.body.p.x)
	f[DroneY] = g.w.toGrid(d.body.p.y)
	f[DroneZ] = g.w.toGrid(d.body.p.z)
	f[DroneYaw] = d.yaw
	f[DronePitch] = wireAngle(d.pitch)
	f[DroneVX] = toWireVelocity(d.body.v.x)
	f[DroneVY] = toWireVelocity(d.body.v.y)
	f[DroneVZ] = toWireVelocity(d.body.v.z)
	f[DroneEnergy] = int32(d.energy * EnergyMax / g.fullEnergy)
	var flags int32
	if d.boosting {
		flags |= FlagBoosting
	}
	if d.stunned() {
		flags |= FlagStunned
	}
	f[DroneFlags] = flags
	f[DroneCores] = d.cores
	f[DroneOwner] = int32(d.id)
}

// appendCore appends c's row.
func (g *Game) appendCore(dst *wire.Rows, c *core) {
	f := dst.Append(c.id, KindCore)
	f[CoreX] = g.w.toGrid(c.p.x)
	f[CoreY] = g.w.toGrid(c.p.y)
	f[CoreZ] = g.w.toGrid(c.p.z)
	f[CoreValue] = c.value
	f[CoreTakenBy] = int32(c.takenBy)
}
