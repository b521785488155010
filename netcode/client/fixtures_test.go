package client

import (
	"fmt"
	"strings"

	"github.com/tickwire/tickwire/netcode/wire"
)

// The test schema's entity kinds.
const (
	kindPlayer = 1 // x, y, angle, health, owner
	kindCrate  = 2 // x, y, spin: narrower, with an angle of its own steps
	kindFlag   = 3 // holder: no position
)

// Field indexes of the test schema's kinds.
const (
	fX, fY, fAngle, fHealth, fOwner = 0, 1, 2, 3, 4 // player
	fSpin                           = 2             // crate
	fHolder                         = 0             // flag
)

// Value indexes of the test schema's input.
const (
	inButtons, inMoveX, inMoveY, inAim = 0, 1, 2, 3
)

// The test schema's units: a player's angle has angleSteps per turn, and
// move axes go to ±moveAxisMax.
const (
	angleSteps  = 4096
	moveAxisMax = 127
)

// crateSpinSteps is the steps per turn of a crate's spin, unlike the
// player's 4096, so tests can tell that each angle uses its own field's.
const crateSpinSteps = 360

// position is a fixed-point coordinate with a position role.
func position(name string, role wire.Role) wire.Field {
	return wire.Field{Name: name, Type: wire.TypeFixed, Scale: 8, Interp: wire.InterpLinear, Role: role}
}

// testSchema is the schema the scripted server's rooms declare.
var testSchema = &wire.Schema{
	Entities: []wire.EntityKind{
		{Kind: kindPlayer, Name: "player", Fields: []wire.Field{
			position("x", wire.RolePositionX),
			position("y", wire.RolePositionY),
			{Name: "angle", Type: wire.TypeAngle, Scale: angleSteps, Interp: wire.InterpAngle, Role: wire.RoleYaw},
			{Name: "health", Type: wire.TypeInt},
			{Name: "owner", Type: wire.TypeUint, Role: wire.RoleOwner},
		}},
		{Kind: kindCrate, Name: "crate", Fields: []wire.Field{
			position("x", wire.RolePositionX),
			position("y", wire.RolePositionY),
			{Name: "spin", Type: wire.TypeAngle, Scale: crateSpinSteps, Interp: wire.InterpAngle},
		}},
		{Kind: kindFlag, Name: "flag", Fields: []wire.Field{
			{Name: "holder", Type: wire.TypeUint, Role: wire.RoleOwner},
		}},
	},
	Input: []wire.Field{
		{Name: "buttons", Type: wire.TypeFlags, Names: []string{"fire", "jump", "dash"}},
		{Name: "move_x", Type: wire.TypeInt, Min: -moveAxisMax, Max: moveAxisMax},
		{Name: "move_y", Type: wire.TypeInt, Min: -moveAxisMax, Max: moveAxisMax},
		{Name: "aim", Type: wire.TypeAngle, Scale: angleSteps},
	},
	Events: []wire.EventKind{
		{Kind: 1, Name: "hit", Values: []wire.Field{{Name: "damage", Type: wire.TypeInt}, {Name: "knockback", Type: wire.TypeInt}},
			Actor: "shooter", Target: "victim"},
	},
}

// testLayout is testSchema's layout.
var testLayout = wire.NewLayout(testSchema)

// wideSchema returns a schema of one kind with n linear fields, f0..f(n-1).
func wideSchema(n int) *wire.Schema {
	k := wire.EntityKind{Kind: 1, Name: "wide"}
	for i := range n {
		k.Fields = append(k.Fields, wire.Field{Name: fmt.Sprintf("f%d", i), Type: wire.TypeInt, Interp: wire.InterpLinear})
	}
	return &wire.Schema{Entities: []wire.EntityKind{k}}
}

// tent is a test entity: an id and its row, the kind first.
type tent struct {
	id  uint32
	row []int32
}

// ent is a player at x, y facing angle, with health 0 and no owner.
func ent(id uint32, x, y, angle int32) tent {
	return tent{id, []int32{kindPlayer, x, y, angle, 0, 0}}
}

// crate is a crate at x, y with spin.
func crate(id uint32, x, y, spin int32) tent {
	return tent{id, []int32{kindCrate, x, y, spin, 0, 0}}
}

// with returns e with field f set to v.
func (e tent) with(f int, v int32) tent {
	e.row = append([]int32(nil), e.row...)
	e.row[1+f] = v
	return e
}

// rowsOf returns ents, which must ascend by id, as rows of testLayout.
func rowsOf(ents ...tent) *wire.Rows {
	return layoutRows(testLayout, ents...)
}

// layoutRows returns ents as rows of l.
func layoutRows(l *wire.Layout, ents ...tent) *wire.Rows {
	r := wire.NewRows(l, len(ents))
	for _, e := range ents {
		r.AppendRow(e.id, e.row)
	}
	return r
}

// world returns a deterministic world for step i: players 1..5 moving and
// turning (player 3 absent on odd steps), each owned by the player of its
// id and losing health, and crate 10+i/4 appearing over time.
func world(i int) *wire.Rows {
	var ents []tent
	for id := uint32(1); id <= 5; id++ {
		if id == 3 && i%2 == 1 {
			continue
		}
		e := ent(id, int32(i)*int32(id), -int32(i)*3, int32(i*37)%angleSteps)
		ents = append(ents, e.with(fHealth, 100-int32(i)).with(fOwner, int32(id)))
	}
	return rowsOf(append(ents, crate(10+uint32(i/4), int32(i), 0, int32(i*50)%crateSpinSteps))...)
}

// dump formats rows for failure messages: id:[kind fields...] each.
func dump(r *wire.Rows) string {
	if r == nil {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := range r.Len() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d:%v", r.ID(i), r.Row(i))
	}
	b.WriteByte('}')
	return b.String()
}
