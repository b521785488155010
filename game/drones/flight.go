package drones

import "github.com/tickwire/tickwire/game/fixed"

// Flight constants, fixed because the box is laid out for them.
const (
	// dragPerSecond is the share of its velocity a drone loses per second
	// (applied per tick): at 3 a released drone coasts about a third of a
	// second's worth of its speed before it stops.
	dragPerSecond = 3
	// energyDrain is the boost energy a boosting tick uses; a resting tick
	// refills one, so a tank refills in energyDrain times BoostTime.
	energyDrain = 3
	// boostStart is the part of a full tank (1/boostStart) a drone needs
	// to start boosting, so an empty tank does not flicker on and off.
	boostStart = 4
)

// accelFor returns the thrust per tick at which drag (per tick, in 1/q16)
// balances velocity top: a drone thrusting steadily settles at top.
func accelFor(top, drag int64) int64 {
	return max(1, top*drag/(q16-drag))
}

// fly runs one tick of d's flight: facing and boost from its input (none
// while stunned), thrust, drag, the speed limit, then the move through the
// box.
func (g *Game) fly(d *drone) {
	in := d.in
	if d.stunned() {
		d.stunLeft--
		in = Input{}
	} else {
		d.yaw = wireAngle(in.Yaw)
		d.pitch = clampPitch(in.Pitch)
	}
	g.updateBoost(d, in.Buttons&ButtonBoost != 0)
	accel := g.cruiseAccel
	if d.boosting {
		// A boost is a full forward burn at the higher top speed.
		accel, in.Thrust = g.boostAccel, AxisMax
	}
	v := d.body.v.add(thrustVector(in, d.yaw, d.pitch, accel))
	v = vec{dragged(v.x, g.drag), dragged(v.y, g.drag), dragged(v.z, g.drag)}
	d.body.v = limit(v, g.boostV)
	g.w.move(&d.body, g.w.droneR)
}

// clampPitch returns an input pitch (any angle) as a signed pitch within
// ±PitchLimit.
func clampPitch(a int32) int32 {
	return max(-PitchLimit, min(PitchLimit, signedAngle(a)))
}

// updateBoost starts, keeps or ends d's boost and moves its energy: a
// boost needs the button held and energy left, and starts only on a
// quarter tank.
func (g *Game) updateBoost(d *drone, held bool) {
	switch {
	case !held:
		d.boosting = false
	case d.boosting:
		d.boosting = d.energy >= energyDrain
	default:
		d.boosting = d.energy >= max(energyDrain, g.fullEnergy/boostStart)
	}
	if d.boosting {
		d.energy -= energyDrain
	} else {
		d.energy = min(d.energy+1, g.fullEnergy)
	}
}

// thrustVector returns the velocity change of one tick of in: Thrust
// along the facing (yaw and pitch), Strafe to the right in the horizontal
// plane, Lift straight up, together never more than accel.
func thrustVector(in Input, yaw, pitch int32, accel int64) vec {
	if in.Thrust == 0 && in.Strafe == 0 && in.Lift == 0 {
		return vec{}
	}
	cy, sy, cp, sp := fixed.Cos(yaw), fixed.Sin(yaw), fixed.Cos(pitch), fixed.Sin(pitch)
	t, s, l := int64(in.Thrust), int64(in.Strafe), int64(in.Lift)
	// forward = (cp·cy, cp·sy, sp), right = (sy, -cy, 0), up = (0, 0, 1),
	// each in fixed.One units.
	raw := vec{
		t*(cp*cy/fixed.One) + s*sy,
		t*(cp*sy/fixed.One) - s*cy,
		t*sp + l*fixed.One,
	}
	const full = AxisMax * fixed.One
	if n2 := raw.dot(raw); n2 > full*full {
		return raw.scale(accel, fixed.CeilSqrt(n2))
	}
	return raw.scale(accel, full)
}

// dragged returns v less its drag for one tick, rounded away from zero so
// that a coasting drone comes to a full stop instead of creeping forever.
func dragged(v, drag int64) int64 {
	switch {
	case v > 0:
		return v - (v*drag+q16-1)/q16
	case v < 0:
		return v + (-v*drag+q16-1)/q16
	}
	return 0
}

// limit returns v shortened to at most top (the ceiling of the root
// makes sure of "at most").
func limit(v vec, top int64) vec {
	if n2 := v.dot(v); n2 > top*top {
		return v.scale(top, fixed.CeilSqrt(n2))
	}
	return v
}
