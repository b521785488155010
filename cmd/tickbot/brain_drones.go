package main

import (
	"math/rand/v2"
)

// newDronesBrain returns a drones brain for behavior.
func newDronesBrain(behavior string, rng *rand.Rand) brain {
	_ = behavior
	_ = rng
	return idleBrain{}
}
