package main

import (
	"math/rand/v2"
	"time"

	"github.com/tickwire/tickwire/game/drones"
)

// newDronesBrain returns a drones brain for behavior: chase flies the
// mode's own pilot (cores, and tags on drones that hold some), wander flies
// straight and level in a random heading, turning about once a second.
func newDronesBrain(behavior string, rng *rand.Rand) brain {
	switch behavior {
	case behaviorChase:
		return &pilotBrain{rng: rng}
	case behaviorIdle:
		return idleBrain{}
	default:
		return &droneWanderBrain{turn: turnTimer{rng: rng}}
	}
}

// pilotBrain plays drones with drones.Pilot.
type pilotBrain struct {
	rng *rand.Rand
}

func (p *pilotBrain) wantsView() bool { return true }

func (p *pilotBrain) next(_ time.Time, v *view) []int32 {
	if !v.haveSelf {
		return nil
	}
	return drones.Pilot(v.rows.ID(v.self), v.rows, p.rng).Values()
}

// droneWanderBrain cruises at full thrust in a random heading.
type droneWanderBrain struct {
	turn turnTimer
	yaw  int32
}

func (w *droneWanderBrain) wantsView() bool { return false }

func (w *droneWanderBrain) next(now time.Time, _ *view) []int32 {
	if w.turn.due(now) {
		w.yaw = w.turn.rng.Int32N(drones.AngleSteps)
	}
	return drones.Input{Thrust: drones.AxisMax, Yaw: w.yaw}.Values()
}
