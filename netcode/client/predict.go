package client

import (
	"math"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Entity is one entity as the client hands it out: a copy that is the
// caller's to keep.
type Entity struct {
	// ID identifies the entity in its room.
	ID uint32
	// Kind is one of the schema's entity kinds.
	Kind uint32
	// Fields are the kind's fields in schema order.
	Fields []int32
}

// entityAt copies entity i of rows.
func entityAt(rows *wire.Rows, i int) Entity {
	return Entity{ID: rows.ID(i), Kind: rows.Kind(i), Fields: append([]int32(nil), rows.Fields(i)...)}
}

// PredictFunc advances the player's own entity by one input, mirroring the
// game's movement rule as closely as the client can: fields are the
// entity's fields (after its kind), changed in place; tickHz is the room's
// simulation rate. It must not keep or modify in. The client library knows
// no game rules, so without one it shows the authoritative entity.
type PredictFunc func(kind uint32, fields []int32, in *pb.Input, tickHz int)

// Predict returns self advanced by f for each input, oldest first: the
// client's guess of where its own entity is once the server has applied
// inputs it has not yet reported applied. A nil f returns self. self's
// fields are copied first.
func Predict(self Entity, inputs []*pb.Input, tickHz int, f PredictFunc) Entity {
	self.Fields = append([]int32(nil), self.Fields...)
	if f == nil {
		return self
	}
	for _, in := range inputs {
		f(self.Kind, self.Fields, in, tickHz)
	}
	return self
}

// PredictionError returns the distance, in the fields' raw units, between
// the positions of a predicted and an authoritative entity of one kind: the
// fields the schema gives a position role (x, y, z). It is how far
// reconciliation moved the entity; 0 for a kind with no position.
func PredictionError(s *wire.Schema, predicted, authoritative Entity) float64 {
	kind := s.Kind(authoritative.Kind)
	if kind == nil || predicted.Kind != authoritative.Kind {
		return 0
	}
	var sum float64
	for f := range kind.Fields {
		switch kind.Fields[f].Role {
		case wire.RolePositionX, wire.RolePositionY, wire.RolePositionZ:
			if f < len(predicted.Fields) && f < len(authoritative.Fields) {
				d := float64(predicted.Fields[f]) - float64(authoritative.Fields[f])
				sum += d * d
			}
		}
	}
	return math.Sqrt(sum)
}

// OwnEntity returns the index in rows of the player's own entity: entityID
// when the room named one, else the first entity whose owner field (role
// OWNER) is the player's id.
func OwnEntity(s *wire.Schema, rows *wire.Rows, entityID, playerID uint32) (int, bool) {
	if entityID != 0 {
		return rows.Find(entityID)
	}
	for i := range rows.Len() {
		kind := s.Kind(rows.Kind(i))
		if kind == nil {
			continue
		}
		fields := rows.Fields(i)
		for f := range kind.Fields {
			if kind.Fields[f].Role == wire.RoleOwner && f < len(fields) && uint32(fields[f]) == playerID {
				return i, true
			}
		}
	}
	return 0, false
}
