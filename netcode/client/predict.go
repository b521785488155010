package client

import (
	"math"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// PredictFunc advances the player's own entity by one input, mirroring the
// game's movement rule as closely as the client can (tickHz is the room's
// simulation rate). It must not keep or modify in. The client library knows
// no game rules, so without one it shows the authoritative entity.
type PredictFunc func(self wire.Entity, in *pb.Input, tickHz int) wire.Entity

// Predict returns self advanced by f for each input, oldest first: the
// client's guess of where its own entity is once the server has applied
// inputs it has not yet reported applied. A nil f returns self.
func Predict(self wire.Entity, inputs []*pb.Input, tickHz int, f PredictFunc) wire.Entity {
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
func PredictionError(predicted, authoritative wire.Entity) float64 {
	dx := float64(predicted.Fields[wire.FieldX]) - float64(authoritative.Fields[wire.FieldX])
	dy := float64(predicted.Fields[wire.FieldY]) - float64(authoritative.Fields[wire.FieldY])
	return math.Hypot(dx, dy)
}

// entityByID returns the entity with id in entities, sorted by ID.
func entityByID(entities []wire.Entity, id uint32) (wire.Entity, bool) {
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
	return wire.Entity{}, false
}
