package main

import (
	"math/rand/v2"
	"time"

	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
)

// view is what a brain sees of the room: the rows the client renders and
// which of them is its own entity.
type view struct {
	schema *wire.Schema
	rows   *wire.Rows
	// self is the index of the bot's own entity in rows, valid when
	// haveSelf.
	self     int
	haveSelf bool
}

// brain decides a bot's inputs in one game mode. A brain belongs to one bot
// goroutine.
type brain interface {
	// next returns the input values to send at now, in the mode's input
	// schema order.
	next(now time.Time, v *view) []int32
	// wantsView reports whether next looks at the view, so bots that do not
	// skip rendering it.
	wantsView() bool
}

// newBrain returns the brain for a behaviour name (not mixed: the fleet
// resolves that per bot) in mode, playing at inputHz and drawing from rng.
// In a mode tickbot has no brains for, wander and chase play from the
// mode's schema (the room's, from Joined; schemaBrain) and idle stays
// idle; either way the bot connects, acknowledges and verifies every
// snapshot.
func newBrain(mode, behavior string, inputHz int, rng *rand.Rand, schema *wire.Schema) brain {
	switch mode {
	case "arena":
		return newArenaBrain(behavior, inputHz, rng)
	case "drones":
		return newDronesBrain(behavior, rng)
	}
	if behavior != behaviorIdle {
		if b := newSchemaBrain(schema, rng); b != nil {
			return b
		}
	}
	return idleBrain{}
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

func (idleBrain) next(time.Time, *view) []int32 { return nil }
func (idleBrain) wantsView() bool               { return false }

// Wander timing: a new direction every 0.7 to 1.3 s, "about once a second"
// without every bot turning on the same tick.
const (
	wanderMinTurn    = 700 * time.Millisecond
	wanderTurnSpread = 600 * time.Millisecond
)

// turnTimer says when a wandering bot picks a new direction.
type turnTimer struct {
	rng    *rand.Rand
	turnAt time.Time
}

// due reports whether it is time to turn at now, and if so sets the next
// turn.
func (t *turnTimer) due(now time.Time) bool {
	if now.Before(t.turnAt) {
		return false
	}
	t.turnAt = now.Add(wanderMinTurn + time.Duration(t.rng.Int64N(int64(wanderTurnSpread))))
	return true
}

// buildView fills v from a rendered world: the entity client.Predicted
// would pick (Joined's entity, else the one whose owner is the player) is
// self.
func buildView(v *view, s *wire.Schema, rows *wire.Rows, playerID, entityID uint32) {
	v.schema, v.rows = s, rows
	v.self, v.haveSelf = client.OwnEntity(s, rows, entityID, playerID)
}
