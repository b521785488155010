package main

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/tickwire/tickwire/game/arena"
)

// newArenaBrain returns an arena brain for behavior.
func newArenaBrain(behavior string, inputHz int, rng *rand.Rand) brain {
	switch behavior {
	case behaviorChase:
		return newChaseBrain(inputHz, rng)
	case behaviorIdle:
		return idleBrain{}
	default:
		return &wanderBrain{turn: turnTimer{rng: rng}}
	}
}

// wanderBrain runs at full speed in a random direction, aiming along it,
// and picks a new direction about once a second.
type wanderBrain struct {
	turn turnTimer
	dir  int32
}

func (w *wanderBrain) next(now time.Time, _ *view) []int32 {
	return w.input(now).Values()
}

// input is the arena input of next.
func (w *wanderBrain) input(now time.Time) arena.Input {
	if w.turn.due(now) {
		w.dir = w.turn.rng.Int32N(arena.AngleSteps)
	}
	x, y := dirVector(w.dir)
	return arena.Input{MoveX: x, MoveY: y, Aim: w.dir}
}

func (w *wanderBrain) wantsView() bool { return false }

// Chase tuning.
const (
	// chaseTurnsPerSecond limits how fast a chaser turns its aim, so that
	// "aimed" is a state it reaches rather than one it jumps to.
	chaseTurnsPerSecond = 1.5
	// chaseFireWithin is how close to the target's bearing the aim must
	// be to fire: 3 degrees.
	chaseFireWithin = arena.AngleSteps * 3 / 360
	// chaseKeepDistance is how near (grid units) a chaser closes in before
	// it stands and shoots: about five player radii.
	chaseKeepDistance = 5 * arena.PlayerRadius * arena.PositionScale
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
		wander:  wanderBrain{turn: turnTimer{rng: rng}},
		maxTurn: max(1, int32(chaseTurnsPerSecond*arena.AngleSteps/float64(inputHz))),
	}
}

func (c *chaseBrain) wantsView() bool { return true }

func (c *chaseBrain) next(now time.Time, v *view) []int32 {
	tx, ty, ok := nearestPlayer(v)
	if !ok {
		in := c.wander.input(now)
		c.aim = in.Aim
		return in.Values()
	}
	self := v.rows.Fields(v.self)
	dx := float64(tx - self[arena.PlayerX])
	dy := float64(ty - self[arena.PlayerY])
	bearing := angleSteps(math.Atan2(dy, dx))
	diff := angleDiff(bearing, c.aim)
	step := max(-c.maxTurn, min(c.maxTurn, diff))
	c.aim = (c.aim + step + arena.AngleSteps) % arena.AngleSteps
	in := arena.Input{Aim: c.aim}
	if abs32(diff-step) <= chaseFireWithin {
		in.Buttons |= arena.ButtonFire
	}
	if math.Hypot(dx, dy) > chaseKeepDistance {
		in.MoveX, in.MoveY = dirVector(bearing)
	}
	return in.Values()
}

// nearestPlayer returns the position of the other live player closest to
// the bot's own.
func nearestPlayer(v *view) (x, y int32, ok bool) {
	if !v.haveSelf {
		return 0, 0, false
	}
	self := v.rows.Fields(v.self)
	sx, sy := int64(self[arena.PlayerX]), int64(self[arena.PlayerY])
	bestD := int64(math.MaxInt64)
	for i := range v.rows.Len() {
		if i == v.self || v.rows.Kind(i) != arena.KindPlayer {
			continue
		}
		f := v.rows.Fields(i)
		if f[arena.PlayerFlags]&arena.FlagAlive == 0 {
			continue
		}
		dx, dy := int64(f[arena.PlayerX])-sx, int64(f[arena.PlayerY])-sy
		if d := dx*dx + dy*dy; d < bestD {
			x, y, ok, bestD = f[arena.PlayerX], f[arena.PlayerY], true, d
		}
	}
	return x, y, ok
}

// angleSteps maps radians to arena angle steps, 0..AngleSteps-1.
func angleSteps(rad float64) int32 {
	turns := rad / (2 * math.Pi)
	turns -= math.Floor(turns)
	return int32(math.Round(turns*arena.AngleSteps)) % arena.AngleSteps
}

// angleDiff returns the signed shortest turn from a to b in angle steps,
// in (-AngleSteps/2, AngleSteps/2].
func angleDiff(b, a int32) int32 {
	d := ((b-a)%arena.AngleSteps + arena.AngleSteps) % arena.AngleSteps
	if d > arena.AngleSteps/2 {
		d -= arena.AngleSteps
	}
	return d
}

// dirVector returns the full-speed move axes along angle a.
func dirVector(a int32) (x, y int32) {
	rad := float64(a) * 2 * math.Pi / arena.AngleSteps
	return int32(math.Round(math.Cos(rad) * arena.MoveAxisMax)), int32(math.Round(math.Sin(rad) * arena.MoveAxisMax))
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}
