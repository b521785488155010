package client

import (
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// movePredict moves the entity by its move vector once per input and takes
// the aim as its angle: a stand-in for a game's movement rule.
func movePredict(self wire.Entity, in *pb.Input, tickHz int) wire.Entity {
	self.Fields[wire.FieldX] += in.MoveX
	self.Fields[wire.FieldY] += in.MoveY
	self.Fields[wire.FieldAngle] = int32(in.Aim)
	return self
}

func TestPredict(t *testing.T) {
	self := ent(7, 10, 20, 0)
	inputs := []*pb.Input{
		{Seq: 4, MoveX: 5, Aim: 9},
		{Seq: 5, MoveX: 5, MoveY: -3, Aim: 11},
	}
	tests := []struct {
		name   string
		inputs []*pb.Input
		f      PredictFunc
		want   wire.Entity
	}{
		{"no func shows authoritative", inputs, nil, self},
		{"no inputs", nil, movePredict, self},
		{"replays oldest first", inputs, movePredict, ent(7, 20, 17, 11)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Predict(self, tt.inputs, 60, tt.f); got != tt.want {
				t.Errorf("Predict = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPredictionError(t *testing.T) {
	if got := PredictionError(ent(1, 0, 0, 0), ent(1, 3, 4, 100)); got != 5 {
		t.Errorf("PredictionError = %v, want 5", got)
	}
	if got := PredictionError(ent(1, 8, 8, 0), ent(1, 8, 8, 0)); got != 0 {
		t.Errorf("PredictionError of equal = %v, want 0", got)
	}
}

func TestEntityByID(t *testing.T) {
	ents := []wire.Entity{ent(2, 0, 0, 0), ent(5, 1, 0, 0), ent(9, 2, 0, 0)}
	for _, tt := range []struct {
		id   uint32
		ok   bool
		want int32
	}{{2, true, 0}, {5, true, 1}, {9, true, 2}, {1, false, 0}, {6, false, 0}, {10, false, 0}} {
		e, ok := entityByID(ents, tt.id)
		if ok != tt.ok || (ok && e.Get(wire.FieldX) != tt.want) {
			t.Errorf("entityByID(%d) = %v, %v; want x %d, %v", tt.id, e, ok, tt.want, tt.ok)
		}
	}
}
