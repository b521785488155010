package wire

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// docExampleSchema is the schema of the worked example in docs/protocol.md:
// rows of width 10, a player with nine fields and a rocket with four.
func docExampleSchema() *Schema {
	return &Schema{Entities: []EntityKind{
		{Kind: 1, Name: "player", Fields: []Field{
			{Name: "x", Type: TypeFixed, Scale: 8}, {Name: "y", Type: TypeFixed, Scale: 8},
			{Name: "vx", Type: TypeInt}, {Name: "vy", Type: TypeInt},
			{Name: "angle", Type: TypeAngle, Scale: 4096}, {Name: "health", Type: TypeUint},
			{Name: "score", Type: TypeInt}, {Name: "flags", Type: TypeFlags, Names: []string{"alive", "shielded"}},
			{Name: "owner", Type: TypeUint},
		}},
		{Kind: 2, Name: "rocket", Fields: []Field{
			{Name: "x", Type: TypeFixed, Scale: 8}, {Name: "y", Type: TypeFixed, Scale: 8},
			{Name: "angle", Type: TypeAngle, Scale: 4096}, {Name: "owner", Type: TypeUint},
		}},
	}}
}

// docExampleRows are the worked example's base (tick 100) and target
// (tick 103).
func docExampleRows() (base, target *Rows) {
	l := NewLayout(docExampleSchema())
	base = rowsOf(l,
		ent{1, []int32{1, 800, -400, 40, -3, 1024, 100, 0, 1, 1}},
		ent{2, []int32{1, -200, 600, -8, 39, 2048, 100, 0, 1, 2}},
		ent{3, []int32{1, 0, 0, 0, 0, 0, 100, 3, 1, 3}},
		ent{5, []int32{2, 120, 40, 0, 1}},
	)
	target = rowsOf(l,
		ent{1, []int32{1, 840, -403, 40, -3, 1024, 100, 0, 1, 1}}, // moved
		ent{2, []int32{1, -208, 639, -8, 39, 2048, 100, 0, 1, 2}}, // moved
		ent{3, []int32{1, 0, 0, 0, 0, 0, 90, 3, 1, 3}},            // hit
		ent{7, []int32{2, 848, -400, 1024, 1}},                    // fired
		ent{8, []int32{1, 320, 320, 0, 0, 0, 100, 0, 1, 4}},       // joined
	) // 5 removed
	return base, target
}

// TestDocExample pins the bytes docs/protocol.md shows, so the document
// cannot drift from the code.
func TestDocExample(t *testing.T) {
	if err := docExampleSchema().Validate(); err != nil {
		t.Fatal(err)
	}
	base, target := docExampleRows()
	delta := EncodeDelta(nil, base, target)
	fields := SnapshotFields{Tick: 103, BaseTick: 100, ServerTimeUS: 5_150_000, Checksum: Checksum(target), Delta: delta,
		Events: [][]Event{{{Tick: 103, Kind: 1, Actor: 7, Target: 3, Values: [MaxEventValues]int32{-10}}}}}
	tests := []struct {
		name string
		got  []byte
		want []byte
	}{
		// Runs: (2, x|y) for ids 1 and 2, (1, health), (1, the rocket's
		// kind|x|y|angle|owner), (1, the player's kind|x|y|health|flags|owner).
		{"delta", delta, []byte{
			0x05, 0x01, 0x01, 0x01, 0x04, 0x01,
			0x02, 0x06, 0x01, 0x40, 0x01, 0x1F, 0x01, 0xC7, 0x06,
			0x50, 0x05, 0x0F, 0x4E, 0x13,
			0x04, 0xA0, 0x0D, 0x9F, 0x06, 0x80, 0x10, 0x02,
			0x02, 0x80, 0x05, 0x80, 0x05, 0xC8, 0x01, 0x02, 0x08,
			0x01, 0x05}},
		{"checksum", binary.LittleEndian.AppendUint32(nil, Checksum(target)), []byte{0xF1, 0xAD, 0x4D, 0xD0}},
		{"first entity canonical", canonicalBytes(target)[:44], []byte{
			0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x48, 0x03, 0x00, 0x00, 0x6D, 0xFE, 0xFF, 0xFF,
			0x28, 0x00, 0x00, 0x00, 0xFD, 0xFF, 0xFF, 0xFF, 0x00, 0x04, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00}},
		// The event's values are packed: 32 01 13 is field 6, one byte, -10.
		{"frame", AppendSnapshotFrame(nil, fields.AppendTo(nil), 42), []byte{
			0x22, 0x46,
			0x08, 0x67, 0x10, 0x64, 0x18, 0xB0, 0xAA, 0xBA, 0x02, 0x25, 0xF1, 0xAD, 0x4D, 0xD0,
			0x2A, 0x27, 0x05, 0x01, 0x01, 0x01, 0x04, 0x01, 0x02, 0x06, 0x01, 0x40, 0x01, 0x1F, 0x01, 0xC7, 0x06,
			0x50, 0x05, 0x0F, 0x4E, 0x13, 0x04, 0xA0, 0x0D, 0x9F, 0x06, 0x80, 0x10, 0x02,
			0x02, 0x80, 0x05, 0x80, 0x05, 0xC8, 0x01, 0x02, 0x08, 0x01, 0x05,
			0x32, 0x0B, 0x08, 0x67, 0x10, 0x01, 0x18, 0x07, 0x20, 0x03, 0x32, 0x01, 0x13,
			0x78, 0x2A}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Equal(tt.got, tt.want) {
				t.Fatalf("got  % X\nwant % X", tt.got, tt.want)
			}
		})
	}
	// The decoder with the schema's layout rebuilds the target.
	out := NewRows(base.Layout(), 0)
	if err := ApplyDelta(out, base, delta); err != nil || !out.Equal(target) {
		t.Fatalf("ApplyDelta: %v, %s", err, dump(out))
	}
}
