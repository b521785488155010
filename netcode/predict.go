package netcode

import (
	"math"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// PredictFunc advances the player's own entity by one input, mirroring the
// game's movement rule as closely as the client can (tickHz is the room's
// simulation rate). It must not keep or modify in. The client library knows
// no game rules, so without one it shows the authoritative entity.
type PredictFunc func(self Entity, in *pb.Input, tickHz int) Entity

// Predict returns self advanced by f for each input, oldest first: the
// client's guess of where its own entity is once the server has applied
// inputs it has not yet reported applied. A nil f returns self.
func Predict(self Entity, inputs []*pb.Input, tickHz int, f PredictFunc) Entity {
	if f == nil {
		return self
	}
	for _, in := range inputs {
		self = f(self, in, tickHz)
	}
	return self
}

// PredictionError returns the distance in grid units between a predicted and
// an authoritative entity's positions: how far reconciliation moved it.
func PredictionError(predicted, authoritative Entity) float64 {
	dx := float64(predicted.Fields[FieldX]) - float64(authoritative.Fields[FieldX])
	dy := float64(predicted.Fields[FieldY]) - float64(authoritative.Fields[FieldY])
	return math.Hypot(dx, dy)
}

// entityByID returns the entity with id in entities, sorted by ID.
func entityByID(entities []Entity, id uint32) (Entity, bool) {
	lo, hi := 0, len(entities)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if entities[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(entities) && entities[lo].ID == id {
		return entities[lo], true
	}
	return Entity{}, false
}
