package client

import (
	"slices"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// inputValue returns value i of in, 0 when in holds fewer (as the server
// reads missing trailing values).
func inputValue(in *pb.Input, i int) int32 {
	if i < len(in.Values) {
		return in.Values[i]
	}
	return 0
}

// movePredict moves a player by its move vector once per input and takes
// the aim as its angle: a stand-in for a game's movement rule.
func movePredict(kind uint32, fields []int32, in *pb.Input, tickHz int) {
	if kind != kindPlayer {
		return
	}
	fields[fX] += inputValue(in, inMoveX)
	fields[fY] += inputValue(in, inMoveY)
	fields[fAngle] = inputValue(in, inAim)
}

// entityOf returns e as the client hands entities out: as many fields as
// its kind declares (all for a kind the schema does not declare).
func entityOf(e tent) Entity {
	n, ok := testLayout.Fields(uint32(e.row[0]))
	if !ok {
		n = len(e.row) - 1
	}
	return Entity{ID: e.id, Kind: uint32(e.row[0]), Fields: slices.Clone(e.row[1 : 1+n])}
}

// sameEntity reports whether a and b are equal.
func sameEntity(a, b Entity) bool {
	return a.ID == b.ID && a.Kind == b.Kind && slices.Equal(a.Fields, b.Fields)
}

func TestPredict(t *testing.T) {
	inputs := []*pb.Input{
		{Seq: 4, Values: []int32{0, 5, 0, 9}},
		{Seq: 5, Values: []int32{0, 5, -3, 11}},
		{Seq: 6, Values: []int32{0, 1}}, // trailing values 0: aim 0
	}
	tests := []struct {
		name   string
		self   tent
		inputs []*pb.Input
		f      PredictFunc
		want   tent
	}{
		{"no func shows authoritative", ent(7, 10, 20, 0), inputs, nil, ent(7, 10, 20, 0)},
		{"no inputs", ent(7, 10, 20, 0), nil, movePredict, ent(7, 10, 20, 0)},
		{"replays oldest first", ent(7, 10, 20, 0), inputs, movePredict, ent(7, 21, 17, 0)},
		{"the func sees the kind", crate(7, 10, 20, 0), inputs, movePredict, crate(7, 10, 20, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			self := entityOf(tt.self)
			keep := slices.Clone(self.Fields)
			got := Predict(self, tt.inputs, 60, tt.f)
			if want := entityOf(tt.want); !sameEntity(got, want) {
				t.Errorf("Predict = %v, want %v", got, want)
			}
			if !slices.Equal(self.Fields, keep) {
				t.Errorf("Predict changed the entity it was given: %v, was %v", self.Fields, keep)
			}
			if len(got.Fields) > 0 && &got.Fields[0] == &self.Fields[0] {
				t.Error("Predict returned fields sharing memory with its argument")
			}
		})
	}
}

func TestPredictionError(t *testing.T) {
	flag := func(id uint32, holder int32) tent { return tent{id, []int32{kindFlag, holder, 0, 0, 0, 0}} }
	tests := []struct {
		name                     string
		predicted, authoritative tent
		want                     float64
	}{
		{"x and y, not the angle", ent(1, 0, 0, 0), ent(1, 3, 4, 100), 5},
		{"health and owner are no position", ent(1, 8, 8, 0).with(fHealth, 9), ent(1, 8, 8, 0).with(fOwner, 3), 0},
		{"equal", ent(1, 8, 8, 0), ent(1, 8, 8, 0), 0},
		{"another kind's positions", crate(1, -6, 0, 10), crate(1, 0, 8, 20), 10},
		{"a kind with no position", flag(1, 2), flag(1, 5), 0},
		{"kinds differ", ent(1, 0, 0, 0), crate(1, 30, 40, 0), 0},
		{"a kind the schema does not declare", tent{1, []int32{9, 0, 0, 0, 0, 0}}, tent{1, []int32{9, 3, 4, 0, 0, 0}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PredictionError(testSchema, entityOf(tt.predicted), entityOf(tt.authoritative)); got != tt.want {
				t.Errorf("PredictionError = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOwnEntity(t *testing.T) {
	flag := func(id uint32, holder int32) tent { return tent{id, []int32{kindFlag, holder, 0, 0, 0, 0}} }
	rows := rowsOf(
		ent(1, 0, 0, 0).with(fOwner, 3),
		crate(2, 0, 0, 0), // no owner field: never anyone's
		ent(5, 0, 0, 0).with(fOwner, 7),
		ent(6, 0, 0, 0).with(fOwner, 7),
		flag(8, 4),
	)
	tests := []struct {
		name               string
		entityID, playerID uint32
		want               uint32 // entity id; 0 for none
	}{
		{"entity id given", 2, 7, 2},
		{"entity id given wins over the owner field", 6, 7, 6},
		{"entity id given but absent: no guessing", 9, 7, 0},
		{"by owner: the first", 0, 7, 5},
		{"by owner", 0, 3, 1},
		{"any kind's owner field counts", 0, 4, 8},
		{"owned by nobody", 0, 11, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, ok := OwnEntity(testSchema, rows, tt.entityID, tt.playerID)
			if ok != (tt.want != 0) || (ok && rows.ID(i) != tt.want) {
				t.Errorf("OwnEntity(entity %d, player %d) = %d, %v; want entity %d", tt.entityID, tt.playerID, i, ok, tt.want)
			}
		})
	}
	if _, ok := OwnEntity(testSchema, wire.NewRows(testLayout, 0), 0, 7); ok {
		t.Error("OwnEntity found an entity in empty rows")
	}
}
