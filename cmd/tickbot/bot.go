package main

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/wire"
)

// move is one input a brain decides: what SendInput sends.
type move struct {
	buttons      uint32
	moveX, moveY int32 // -MoveAxisMax..MoveAxisMax
	aim          int32 // 0..AngleSteps-1
}

// view is what a brain sees of the room: its own player and the other live
// players, as the client renders them.
type view struct {
	self     wire.Entity
	haveSelf bool
	others   []wire.Entity
}

// brain decides a bot's inputs. A brain belongs to one bot goroutine.
type brain interface {
	// next returns the input to send at now.
	next(now time.Time, v *view) move
	// wantsView reports whether next looks at the view, so bots that do not
	// skip rendering it.
	wantsView() bool
}

// newBrain returns the brain for a behaviour name (not mixed: the fleet
// resolves that per bot) playing at inputHz, drawing from rng.
func newBrain(behavior string, inputHz int, rng *rand.Rand) brain {
	switch behavior {
	case behaviorChase:
		return newChaseBrain(inputHz, rng)
	case behaviorIdle:
		return idleBrain{}
	default:
		return &wanderBrain{rng: rng}
	}
}

// pickBehavior resolves -behavior for one bot: mixed draws half wanderers,
// three in ten chasers and one in five idlers.
func pickBehavior(behavior string, rng *rand.Rand) string {
	if behavior != behaviorMixed {
		return behavior
	}
	switch r := rng.Float64(); {
	case r < 0.5:
		return behaviorWander
	case r < 0.8:
		return behaviorChase
	default:
		return behaviorIdle
	}
}

// idleBrain sends empty inputs: connected, acknowledged, never moving.
type idleBrain struct{}

func (idleBrain) next(time.Time, *view) move { return move{} }
func (idleBrain) wantsView() bool            { return false }

// Wander timing: a new direction every 0.7 to 1.3 s, "about once a second"
// without every bot turning on the same tick.
const (
	wanderMinTurn    = 700 * time.Millisecond
	wanderTurnSpread = 600 * time.Millisecond
)

// wanderBrain runs at full speed in a random direction, aiming along it,
// and picks a new direction about once a second.
type wanderBrain struct {
	rng    *rand.Rand
	dir    int32
	turnAt time.Time
}

func (w *wanderBrain) next(now time.Time, _ *view) move {
	if !now.Before(w.turnAt) {
		w.dir = w.rng.Int32N(wire.AngleSteps)
		w.turnAt = now.Add(wanderMinTurn + time.Duration(w.rng.Int64N(int64(wanderTurnSpread))))
	}
	x, y := dirVector(w.dir)
	return move{moveX: x, moveY: y, aim: w.dir}
}

func (w *wanderBrain) wantsView() bool { return false }

// Chase tuning.
const (
	// chaseTurnsPerSecond limits how fast a chaser turns its aim, so that
	// "aimed" is a state it reaches rather than one it jumps to.
	chaseTurnsPerSecond = 1.5
	// chaseFireWithin is how close to the target's bearing the aim must
	// be to fire: 3 degrees.
	chaseFireWithin = wire.AngleSteps * 3 / 360
	// chaseKeepDistance is how near (grid units) a chaser closes in before
	// it stands and shoots: about five player radii.
	chaseKeepDistance = 5 * arena.PlayerRadius * wire.PositionScale
)

// chaseBrain steers toward the nearest other live player, turns its aim
// toward it at a bounded rate and fires when the aim is within a few
// degrees. With nobody to chase it wanders.
type chaseBrain struct {
	wander  wanderBrain
	aim     int32
	maxTurn int32
}

func newChaseBrain(inputHz int, rng *rand.Rand) *chaseBrain {
	return &chaseBrain{
		wander:  wanderBrain{rng: rng},
		maxTurn: max(1, int32(chaseTurnsPerSecond*wire.AngleSteps/float64(inputHz))),
	}
}

func (c *chaseBrain) wantsView() bool { return true }

func (c *chaseBrain) next(now time.Time, v *view) move {
	target, ok := nearest(v)
	if !ok {
		m := c.wander.next(now, v)
		c.aim = m.aim
		return m
	}
	dx := float64(target.Get(wire.FieldX) - v.self.Get(wire.FieldX))
	dy := float64(target.Get(wire.FieldY) - v.self.Get(wire.FieldY))
	bearing := wire.QuantizeAngle(math.Atan2(dy, dx))
	diff := angleDiff(bearing, c.aim)
	step := max(-c.maxTurn, min(c.maxTurn, diff))
	c.aim = (c.aim + step + wire.AngleSteps) % wire.AngleSteps
	m := move{aim: c.aim}
	if abs32(diff-step) <= chaseFireWithin {
		m.buttons |= arena.ButtonFire
	}
	if math.Hypot(dx, dy) > chaseKeepDistance {
		m.moveX, m.moveY = dirVector(bearing)
	}
	return m
}

// nearest returns the other live player closest to v.self.
func nearest(v *view) (wire.Entity, bool) {
	if !v.haveSelf || len(v.others) == 0 {
		return wire.Entity{}, false
	}
	sx, sy := int64(v.self.Get(wire.FieldX)), int64(v.self.Get(wire.FieldY))
	best, bestD := v.others[0], int64(math.MaxInt64)
	for _, o := range v.others {
		dx, dy := int64(o.Get(wire.FieldX))-sx, int64(o.Get(wire.FieldY))-sy
		if d := dx*dx + dy*dy; d < bestD {
			best, bestD = o, d
		}
	}
	return best, true
}

// angleDiff returns the signed shortest turn from a to b in angle steps,
// in (-AngleSteps/2, AngleSteps/2].
func angleDiff(b, a int32) int32 {
	d := ((b-a)%wire.AngleSteps + wire.AngleSteps) % wire.AngleSteps
	if d > wire.AngleSteps/2 {
		d -= wire.AngleSteps
	}
	return d
}

// dirVector returns the full-speed move axes along angle a.
func dirVector(a int32) (x, y int32) {
	rad := wire.DequantizeAngle(a)
	return wire.QuantizeMove(math.Cos(rad)), wire.QuantizeMove(math.Sin(rad))
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// buildView fills v from a rendered world: the entity of playerID (or
// entityID) is self, every other live player is a target.
func buildView(v *view, world []wire.Entity, playerID, entityID uint32) {
	v.haveSelf = false
	v.others = v.others[:0]
	for _, e := range world {
		if e.Get(wire.FieldKind) != arena.KindPlayer {
			continue
		}
		if e.ID == entityID || uint32(e.Get(wire.FieldOwner)) == playerID {
			v.self, v.haveSelf = e, true
			continue
		}
		if e.Get(wire.FieldFlags)&arena.FlagAlive != 0 {
			v.others = append(v.others, e)
		}
	}
}
