package drones

import (
	"math/rand/v2"

	"github.com/tickwire/tickwire/game/fixed"
	"github.com/tickwire/tickwire/netcode/wire"
)

// Pilot tuning, in world units unless named otherwise.
const (
	// huntRange is how close another drone must be for a pilot to boost
	// at it.
	huntRange = 250
	// huntEnergy is the energy (on the wire, of EnergyMax) a pilot wants
	// before it starts a hunt.
	huntEnergy = 30
	// wanderLook is how far ahead a wandering pilot checks for walls and
	// pillars.
	wanderLook = 300
	// climbPitch is the pitch, in angle steps, of a pilot climbing over a
	// pillar in its way (45°).
	climbPitch = AngleSteps / 8
	// yawJitter is the most a pilot's heading wavers, in angle steps
	// either way (about 3°), so that pilots chasing one core do not fly
	// one line.
	yawJitter = 32
)

// pilotPillars are the pillars in wire grid units, grown by a drone's
// radius, so a path that clears them clears the drone's whole sphere.
var pilotPillars = func() (bs [len(Pillars)]box) {
	const r = DroneRadius
	for i, p := range Pillars {
		bs[i] = box{
			min: vec{int64(p.MinX-r) * PositionScale, int64(p.MinY-r) * PositionScale, int64(p.MinZ-r) * PositionScale},
			max: vec{int64(p.MaxX+r) * PositionScale, int64(p.MaxY+r) * PositionScale, int64(p.MaxZ+r) * PositionScale},
		}
	}
	return bs
}()

// Pilot returns the input a simple bot gives its drone self, knowing only
// seen, its own view (wire rows of Schema). It is a pure function of its
// arguments, so a bot calls it once per input it sends:
//
//   - when a drone holding cores is within huntRange and the tank is at
//     least huntEnergy full (or the pilot already boosts), it boosts at
//     that drone, aiming a quarter second ahead of it, to tag it;
//   - otherwise it flies at full thrust toward the nearest free core;
//   - with no core in sight it wanders at mid-height, keeping its heading
//     until a wall or pillar is near, then turning a random way;
//   - when a pillar stands in the way it climbs over a low one and slides
//     around one that reaches the ceiling.
//
// rng makes the heading waver a little and picks the wandering turns; nil
// gives a pilot without randomness. A drone that is stunned, or not in
// seen, gets an input that holds its facing and does nothing.
func Pilot(self uint32, seen *wire.Rows, rng *rand.Rand) Input {
	i, ok := seen.Find(self)
	if !ok || seen.Kind(i) != KindDrone {
		return Input{}
	}
	me := seen.Fields(i)
	if me[DroneFlags]&FlagStunned != 0 {
		return Input{Yaw: me[DroneYaw], Pitch: me[DronePitch]}
	}
	pos := gridPos(me)
	var core, prey vec
	coreD, preyD := int64(-1), int64(-1)
	for k := range seen.Len() {
		if k == i {
			continue
		}
		f := seen.Fields(k)
		p := gridPos(f)
		d := p.sub(pos)
		d2 := d.dot(d)
		switch seen.Kind(k) {
		case KindCore:
			if f[CoreTakenBy] == 0 && (coreD < 0 || d2 < coreD) {
				core, coreD = p, d2
			}
		case KindDrone:
			if f[DroneFlags]&FlagStunned == 0 && f[DroneCores] > 0 && (preyD < 0 || d2 < preyD) {
				// Lead the prey by a quarter second of its velocity.
				v := vec{int64(f[DroneVX]), int64(f[DroneVY]), int64(f[DroneVZ])}
				prey = p.add(v.scale(PositionScale, 4*VelocityScale))
				preyD = d2
			}
		}
	}
	const reach = huntRange * PositionScale
	boosting := me[DroneFlags]&FlagBoosting != 0
	in := Input{Thrust: AxisMax}
	var target vec
	switch {
	case preyD >= 0 && preyD <= reach*reach && (boosting || me[DroneEnergy] >= huntEnergy):
		target = prey
		in.Buttons = ButtonBoost
	case coreD >= 0:
		target = core
	default:
		target = wander(pos, me[DroneYaw], rng)
	}
	steer(&in, pos, target)
	if rng != nil {
		in.Yaw = wireAngle(in.Yaw + int32(rng.IntN(2*yawJitter+1)) - yawJitter)
	}
	return in
}

// gridPos returns the position of a drone or core row in grid units.
func gridPos(f []int32) vec {
	return vec{int64(f[DroneX]), int64(f[DroneY]), int64(f[DroneZ])}
}

// steer points in at target from pos (grid units) and, when a pillar is
// in the way, climbs over it or slides around it to the right.
func steer(in *Input, pos, target vec) {
	d := target.sub(pos)
	in.Yaw = fixed.Atan2(d.y, d.x)
	in.Pitch = wireAngle(clampPitch(fixed.Atan2(d.z, fixed.Isqrt(d.x*d.x+d.y*d.y))))
	for k := range pilotPillars {
		if !segmentHitsBox(pos, target, &pilotPillars[k]) {
			continue
		}
		if Pillars[k].MaxZ+2*DroneRadius < WorldZ {
			in.Pitch, in.Lift = climbPitch, AxisMax
		} else {
			in.Strafe = AxisMax
		}
		return
	}
}

// wander returns where a pilot with nothing in sight heads: wanderLook
// ahead along its yaw at mid-height, or, when that point is outside the
// box or behind a pillar, ahead after a turn of a quarter to
// three-quarters (random with rng, a half without).
func wander(pos vec, yaw int32, rng *rand.Rand) vec {
	ahead := func(a int32) vec {
		const look = wanderLook * PositionScale
		return vec{
			pos.x + look*fixed.Cos(a)/fixed.One,
			pos.y + look*fixed.Sin(a)/fixed.One,
			WorldZ / 2 * PositionScale,
		}
	}
	t := ahead(yaw)
	const m = 2 * DroneRadius * PositionScale
	out := t.x < m || t.x > WorldX*PositionScale-m || t.y < m || t.y > WorldY*PositionScale-m
	if !out && !pathBlocked(pos, t) {
		return t
	}
	turn := int32(AngleSteps / 2)
	if rng != nil {
		turn = AngleSteps/4 + int32(rng.IntN(AngleSteps/2+1))
	}
	return ahead(yaw + turn)
}

// pathBlocked reports whether a grown pillar stands between a and b (grid
// units).
func pathBlocked(a, b vec) bool {
	for k := range pilotPillars {
		if segmentHitsBox(a, b, &pilotPillars[k]) {
			return true
		}
	}
	return false
}
