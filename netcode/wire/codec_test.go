package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
)

func TestDeltaRoundTripProperty(t *testing.T) {
	// Every width, a few random schemas each: apply(encode(a, b), a) == b
	// and the checksums agree, from the previous world, an older one or
	// nothing.
	for width := 1; width <= 1+MaxFields; width++ {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("width=%d/seed=%d", width, seed), func(t *testing.T) {
				g := newWorldGen(seed, width)
				if err := g.s.Validate(); err != nil {
					t.Fatalf("random schema: %v", err)
				}
				worlds := []*Rows{nil}
				var buf []byte
				out := NewRows(g.l, 0)
				for i := range 120 {
					target := g.step()
					var base *Rows
					switch g.r.IntN(3) {
					case 0:
						base = worlds[len(worlds)-1]
					case 1:
						base = worlds[g.r.IntN(len(worlds))]
					}
					var baseCopy *Rows
					if base != nil {
						baseCopy = base.Clone()
					}
					buf = EncodeDelta(buf[:0], base, target)
					if err := ApplyDelta(out, base, buf); err != nil {
						t.Fatalf("step %d: ApplyDelta: %v", i, err)
					}
					if !out.Equal(target) {
						t.Fatalf("step %d: round trip mismatch\nbase   %s\ntarget %s\ngot    %s", i, dumpOrNil(base), dump(target), dump(out))
					}
					if Checksum(out) != Checksum(target) {
						t.Fatalf("step %d: checksum mismatch", i)
					}
					if base != nil && !base.Equal(baseCopy) {
						t.Fatalf("step %d: ApplyDelta modified base", i)
					}
					if len(EncodeDelta(nil, target, out)) != 2 {
						t.Fatalf("step %d: a world against its copy is not 00 00", i)
					}
					worlds = append(worlds, target)
				}
			})
		}
	}
}

// dumpOrNil is dump that accepts nil rows.
func dumpOrNil(r *Rows) string {
	if r == nil {
		return "nil"
	}
	return dump(r)
}

// arena8 is the layout of the encoding tests: a width of 8 (kind, x, y,
// angle, health, score, flags, owner), so that masks below 0x80 are the
// bytes the fixed eight-value format wrote.
var arena8 = NewWidthLayout(8)

func TestEncodeDeltaCosts(t *testing.T) {
	world := rowsOf(arena8,
		ent{1, []int32{1, 100, 200, 7, 100, 0, 1, 1}},
		ent{2, []int32{1, -100, 50, 9, 100, 3, 1, 2}},
		ent{9, []int32{2}},
	)
	moved := world.Clone()
	moved.Row(1)[1] += 40
	moved.Row(1)[2] -= 3
	allMoved := moved.Clone()
	allMoved.Row(0)[1] -= 1
	allMoved.Row(0)[2] += 2
	allMoved.Row(2)[1] += 64
	allMoved.Row(2)[2] -= 64
	mixed := allMoved.Clone()
	mixed.Row(1)[3]++
	owned := world.Clone()
	owned.Row(2)[7] = 1
	wide := NewWidthLayout(1 + MaxFields)
	wideRow := make([]int32, 1+MaxFields)
	wideRow[0], wideRow[MaxFields] = 3, -1
	tests := []struct {
		name         string
		base, target *Rows
		want         []byte
	}{
		{"identical worlds", world, world, []byte{0x00, 0x00}},
		{"both empty", nil, NewRows(arena8, 0), []byte{0x00, 0x00}},
		{"both nil", nil, nil, []byte{0x00, 0x00}},
		// id 2 listed alone (gap 2), one run of mask x|y, +40 → 80, -3 → 5.
		{"one moved", world, moved, []byte{0x01, 0x02, 0x01, 0x06, 0x50, 0x05, 0x00}},
		// Three movers share one run (3, x|y); +64 and -64 need two bytes.
		{"all moved", world, allMoved, []byte{0x03, 0x01, 0x01, 0x07, 0x03, 0x06,
			0x01, 0x04, 0x50, 0x05, 0x80, 0x01, 0x7F, 0x00}},
		// A turn splits the run: (1, x|y), (1, x|y|angle), (1, x|y).
		{"run split", world, mixed, []byte{0x03, 0x01, 0x01, 0x07, 0x01, 0x06, 0x01, 0x0E, 0x01, 0x06,
			0x01, 0x04, 0x50, 0x05, 0x02, 0x80, 0x01, 0x7F, 0x00}},
		// Bit 7 (owner) makes the mask a two-byte varint: 0x80 → 80 01.
		{"mask of two bytes", world, owned, []byte{0x01, 0x09, 0x01, 0x80, 0x01, 0x02, 0x00}},
		// A created entity of kind 2 and nothing else: mask 1, value +2.
		{"created", nil, rowsOf(arena8, ent{5, []int32{2}}), []byte{0x01, 0x05, 0x01, 0x01, 0x04, 0x00}},
		// Bit 32, the last of the widest row: mask 2^32+1 takes 5 bytes.
		{"widest mask", nil, rowsOf(wide, ent{1, wideRow}), []byte{0x01, 0x01, 0x01, 0x81, 0x80, 0x80, 0x80, 0x10, 0x06, 0x01, 0x00}},
		// Removals: ids 1 and 9 as gaps 1, 8.
		{"removed", world, rowsOf(arena8, ent{2, world.Row(1)}), []byte{0x00, 0x02, 0x01, 0x08}},
		{"all removed", world, nil, []byte{0x00, 0x03, 0x01, 0x01, 0x07}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EncodeDelta(nil, tt.base, tt.target)
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("EncodeDelta = % x, want % x", got, tt.want)
			}
			l := arena8
			if tt.target != nil {
				l = tt.target.Layout()
			}
			out := NewRows(l, 0)
			if err := ApplyDelta(out, tt.base, got); err != nil {
				t.Fatal(err)
			}
			if (tt.target != nil && !out.Equal(tt.target)) || (tt.target == nil && out.Len() != 0) {
				t.Fatalf("ApplyDelta = %s, want %s", dump(out), dumpOrNil(tt.target))
			}
		})
	}
}

func TestEncodeDeltaIdenticalIsTwoBytesAtEveryWidth(t *testing.T) {
	for width := 1; width <= 1+MaxFields; width++ {
		g := newWorldGen(5, width)
		var w *Rows
		for range 5 {
			w = g.step()
		}
		if got := EncodeDelta(nil, w, w.Clone()); !bytes.Equal(got, []byte{0, 0}) {
			t.Errorf("width %d: identical worlds encode to % x", width, got)
		}
	}
}

func TestEncodeDeltaAppends(t *testing.T) {
	prefix := []byte{0xAA, 0xBB}
	got := EncodeDelta(bytes.Clone(prefix), nil, rowsOf(arena8, ent{1, []int32{1}}))
	if want := []byte{0xAA, 0xBB, 0x01, 0x01, 0x01, 0x01, 0x02, 0x00}; !bytes.Equal(got, want) {
		t.Fatalf("EncodeDelta = % x, want % x", got, want)
	}
}

func TestEncodeDeltaPanicsOnWidthMismatch(t *testing.T) {
	a := rowsOf(NewWidthLayout(8), ent{1, []int32{1}})
	b := rowsOf(NewWidthLayout(9), ent{1, []int32{1}})
	defer func() {
		if recover() == nil {
			t.Fatal("EncodeDelta of rows of widths 8 and 9 did not panic")
		}
	}()
	EncodeDelta(nil, a, b)
}

func TestEncodeDeltaWalkingMatchesBatch(t *testing.T) {
	// Past encodeBatch changes EncodeDelta walks the rows once per column;
	// both paths must write the same bytes, runs included.
	tests := []struct {
		name     string
		width    int
		n        int
		turnEach int // every turnEach-th entity also turns; 0: none
	}{
		{"batch-1 one run", 8, encodeBatch - 1, 0},
		{"batch one run", 8, encodeBatch, 0},
		{"batch+1 one run", 8, encodeBatch + 1, 0},
		{"long run", 8, 3 * encodeBatch, 0},
		{"split runs", 8, 3 * encodeBatch, 7},
		{"every other", 8, encodeBatch + 9, 2},
		{"width 4 every other", 4, encodeBatch + 9, 2},
		{"width 33 split runs", 33, 2 * encodeBatch, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewWidthLayout(tt.width)
			base, target := NewRows(l, tt.n), NewRows(l, tt.n)
			for k := range tt.n {
				id := uint32(2*k + 1)
				row := make([]int32, tt.width)
				row[0] = 1
				for f := 1; f < tt.width; f++ {
					row[f] = int32(k*f) - 7
				}
				base.AppendRow(id, row)
				row[1] += 40
				row[2] -= 3
				if tt.turnEach > 0 && k%tt.turnEach == 0 {
					row[3] += 100
				}
				target.AppendRow(id, row)
			}
			s := target.stride()
			var cs []change
			cw := changeWalk{base: base.data, target: target.data, s: s}
			for e, old, m, ok := cw.next(); ok; e, old, m, ok = cw.next() {
				cs = append(cs, change{t: e, old: old, mask: m})
			}
			// The batch path's writers over all changes at once.
			batch, _ := appendIDs(nil, target.data, cs, 0)
			var runs maskRuns
			batch = runs.flush(runs.add(batch, cs))
			batch = appendValueDeltas(batch, base.data, target.data, cs)
			var scratch [encodeBatch]change
			walking := appendChangesWalking(nil, base.data, target.data, s, &scratch)
			if !bytes.Equal(batch, walking) {
				t.Fatalf("walking = % x\nbatch   = % x", walking, batch)
			}
			delta := EncodeDelta(nil, base, target)
			lay, err := scanDelta(delta, tt.width)
			if err != nil {
				t.Fatal(err)
			}
			if tt.turnEach == 0 {
				// One run covering every entity: varint n, mask x|y.
				want := binary.AppendUvarint(nil, uint64(tt.n))
				want = append(want, 0x06)
				if got := delta[lay.masks:lay.values]; !bytes.Equal(got, want) {
					t.Fatalf("mask column = % x, want % x", got, want)
				}
			}
			out := NewRows(l, 0)
			if err := ApplyDelta(out, base, delta); err != nil || !out.Equal(target) {
				t.Fatalf("ApplyDelta: %v", err)
			}
		})
	}
}

func TestEncodeDeltaWalkingMixed(t *testing.T) {
	// Many changes among unchanged, created and removed entities, at every
	// width: the walking path's bytes equal the batch writers' over all
	// changes, and round-trip.
	for width := 1; width <= 1+MaxFields; width++ {
		g := newWorldGen(13, width)
		// Creations are always listed: enough of them make the walk pass a
		// batch whatever the step changes.
		create := func(n int) {
			for range n {
				e := ent{id: g.randID(), row: g.randRow()}
				i, _ := slices.BinarySearchFunc(g.world, e.id, cmpEnt)
				g.world = slices.Insert(g.world, i, e)
			}
		}
		create(4 * encodeBatch)
		base := rowsOf(g.l, g.world...)
		for range 3 {
			g.step()
			create(encodeBatch + 1)
			target := rowsOf(g.l, g.world...)
			s := target.stride()
			var cs []change
			cw := changeWalk{base: base.data, target: target.data, s: s}
			for e, old, m, ok := cw.next(); ok; e, old, m, ok = cw.next() {
				cs = append(cs, change{t: e, old: old, mask: m})
			}
			if len(cs) <= encodeBatch {
				t.Fatalf("width %d: only %d changes, want more than a batch", width, len(cs))
			}
			want := binary.AppendUvarint(nil, uint64(len(cs)))
			want, _ = appendIDs(want, target.data, cs, 0)
			var runs maskRuns
			want = runs.flush(runs.add(want, cs))
			want = appendValueDeltas(want, base.data, target.data, cs)
			delta := EncodeDelta(nil, base, target)
			if !bytes.HasPrefix(delta, want) {
				t.Fatalf("width %d: EncodeDelta = % x\nbatch writers = % x", width, delta, want)
			}
			out := NewRows(g.l, 0)
			if err := ApplyDelta(out, base, delta); err != nil || !out.Equal(target) {
				t.Fatalf("width %d: ApplyDelta: %v", width, err)
			}
			base = target
		}
	}
}

func TestApplyDeltaResetsDst(t *testing.T) {
	dst := rowsOf(arena8, ent{77, []int32{1, 2, 3}})
	if err := ApplyDelta(dst, nil, []byte{0x01, 0x03, 0x01, 0x01, 0x02, 0x00}); err != nil {
		t.Fatal(err)
	}
	if want := rowsOf(arena8, ent{3, []int32{1}}); !dst.Equal(want) {
		t.Fatalf("ApplyDelta = %s, want %s", dump(dst), dump(want))
	}
	// The error surfaces only after id 3 was appended; dst must come back
	// empty, with its layout.
	err := ApplyDelta(dst, nil, []byte{0x01, 0x03, 0x01, 0x01, 0x02, 0x01, 0x04})
	if !errors.Is(err, ErrDeltaRemoveUnknown) {
		t.Fatalf("err = %v, want ErrDeltaRemoveUnknown", err)
	}
	if dst.Len() != 0 || dst.Layout() != arena8 {
		t.Fatalf("dst after error = %s with layout of width %d, want empty of width 8", dump(dst), dst.Width())
	}
}

func TestApplyDeltaPanicsOnCallerBugs(t *testing.T) {
	base := rowsOf(NewWidthLayout(8), ent{1, []int32{1}})
	tests := []struct {
		name      string
		dst, base *Rows
	}{
		{"width mismatch", NewRows(NewWidthLayout(9), 0), base},
		{"width mismatch with an empty base", NewRows(NewWidthLayout(9), 0), NewRows(NewWidthLayout(8), 0)},
		{"dst is base", base, base},
		{"dst without layout", &Rows{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("ApplyDelta did not panic")
				}
			}()
			_ = ApplyDelta(tt.dst, tt.base, []byte{0x00, 0x00})
		})
	}
}

// testSchema3 has rows of width 4: kind 1 with three fields, kind 2 with
// one, kind 7 with none.
func testSchema3() *Schema {
	return &Schema{Entities: []EntityKind{
		{Kind: 1, Name: "player", Fields: []Field{{Name: "x", Type: TypeInt}, {Name: "y", Type: TypeInt}, {Name: "hp", Type: TypeUint}}},
		{Kind: 2, Name: "shot", Fields: []Field{{Name: "x", Type: TypeInt}}},
		{Kind: 7, Name: "marker"},
	}}
}

func TestApplyDeltaErrors(t *testing.T) {
	w8 := rowsOf(arena8, ent{1, []int32{1}}, ent{2, []int32{5, 5}}, ent{10, []int32{1}})
	schema := NewLayout(testSchema3())
	s3 := rowsOf(schema, ent{1, []int32{1, 10, 20, 30}}, ent{2, []int32{2, 4}})
	tests := []struct {
		name  string
		base  *Rows // dst takes its layout
		delta []byte
		want  error
	}{
		{"empty", w8, nil, ErrDeltaTruncated},
		{"truncated changed count", w8, []byte{0x80}, ErrDeltaTruncated},
		{"missing removed count", w8, []byte{0x00}, ErrDeltaTruncated},
		{"varint overflow", w8, bytes.Repeat([]byte{0xFF}, 11), ErrDeltaVarint},
		{"ten-byte varint beyond 64 bits", w8, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x00}, ErrDeltaVarint},
		{"changed count too large", w8, []byte{0x03, 0x01, 0x01, 0x00}, ErrDeltaCount},
		{"hostile changed count", w8, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00}, ErrDeltaCount},
		{"removed count too large", w8, []byte{0x00, 0x02, 0x01}, ErrDeltaCount},
		{"hostile removed count", w8, []byte{0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, ErrDeltaCount},
		{"truncated id", w8, []byte{0x01, 0x80, 0x80, 0x80}, ErrDeltaTruncated},
		{"changed id zero", w8, []byte{0x01, 0x00, 0x00, 0x00}, ErrDeltaIDZero},
		{"changed ids repeat", w8, []byte{0x02, 0x01, 0x00, 0x00, 0x00, 0x00}, ErrDeltaIDOrder},
		{"changed id overflow", w8, []byte{0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x00, 0x00, 0x00}, ErrDeltaIDOverflow},
		{"first id beyond 32 bits", w8, []byte{0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00, 0x00}, ErrDeltaIDOverflow},
		{"missing mask runs", w8, []byte{0x02, 0x81, 0x01, 0x81, 0x01}, ErrDeltaTruncated},
		{"truncated mask run", w8, []byte{0x01, 0x01, 0x80}, ErrDeltaTruncated},
		{"run without mask", w8, []byte{0x01, 0x01, 0x01}, ErrDeltaTruncated},
		{"truncated mask", w8, []byte{0x01, 0x01, 0x01, 0x80}, ErrDeltaTruncated},
		{"runs stop short", w8, []byte{0x02, 0x01, 0x01, 0x01, 0x00}, ErrDeltaTruncated},
		{"mask run varint overflow", w8, append([]byte{0x01, 0x01}, bytes.Repeat([]byte{0xFF}, 11)...), ErrDeltaVarint},
		{"mask varint overflow", w8, append([]byte{0x01, 0x01, 0x01}, bytes.Repeat([]byte{0xFF}, 11)...), ErrDeltaVarint},
		{"zero mask run", w8, []byte{0x01, 0x01, 0x00, 0x00, 0x00}, ErrDeltaMaskRun},
		{"zero run after a run", w8, []byte{0x02, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00}, ErrDeltaMaskRun},
		{"mask run overshoots", w8, []byte{0x01, 0x01, 0x02, 0x00, 0x00}, ErrDeltaMaskRun},
		{"second run overshoots", w8, []byte{0x02, 0x01, 0x01, 0x01, 0x00, 0x02, 0x00, 0x00}, ErrDeltaMaskRun},
		{"hostile mask run", w8, []byte{0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00}, ErrDeltaMaskRun},
		{"mask bit 8 at width 8", w8, []byte{0x01, 0x01, 0x01, 0x80, 0x02, 0x02, 0x00}, ErrDeltaMask},
		{"mask bit 63 at width 8", w8, []byte{0x01, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00}, ErrDeltaMask},
		{"mask bit 1 at width 1", rowsOf(NewWidthLayout(1), ent{1, []int32{1}}), []byte{0x01, 0x01, 0x01, 0x02, 0x02, 0x00}, ErrDeltaMask},
		{"mask bit 33 at width 33", rowsOf(NewWidthLayout(33), ent{1, []int32{1}}), []byte{0x01, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80, 0x20, 0x02, 0x00}, ErrDeltaMask},
		{"truncated value", w8, []byte{0x01, 0x01, 0x01, 0x01, 0x80}, ErrDeltaTruncated},
		{"missing value", w8, []byte{0x01, 0x01, 0x01, 0x03, 0x02, 0x00}, ErrDeltaTruncated},
		{"run short of values", w8, []byte{0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00}, ErrDeltaTruncated},
		{"value beyond 32 bits", w8, []byte{0x01, 0x01, 0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00}, ErrDeltaValue},
		{"removed id zero", w8, []byte{0x00, 0x01, 0x00}, ErrDeltaIDZero},
		{"removed ids repeat", w8, []byte{0x00, 0x02, 0x01, 0x00}, ErrDeltaIDOrder},
		{"removed id overflow", w8, []byte{0x00, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01}, ErrDeltaIDOverflow},
		{"removed id not in base", w8, []byte{0x00, 0x01, 0x03}, ErrDeltaRemoveUnknown},
		{"removed id beyond base", w8, []byte{0x00, 0x01, 0x0B}, ErrDeltaRemoveUnknown},
		{"removed from empty base", NewRows(arena8, 0), []byte{0x00, 0x01, 0x01}, ErrDeltaRemoveUnknown},
		{"removed id is created", w8, []byte{0x01, 0x05, 0x01, 0x01, 0x02, 0x01, 0x05}, ErrDeltaRemoveUnknown},
		{"removed id also changed", w8, []byte{0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}, ErrDeltaRemoveChanged},
		{"created with kind 0", w8, []byte{0x01, 0x05, 0x01, 0x00, 0x00}, ErrDeltaKind},
		{"created with kind 0 and a field", w8, []byte{0x01, 0x05, 0x01, 0x02, 0x02, 0x00}, ErrDeltaKind},
		{"kind changed to 0", w8, []byte{0x01, 0x02, 0x01, 0x01, 0x09, 0x00}, ErrDeltaKind},
		{"kind 256", w8, []byte{0x01, 0x05, 0x01, 0x01, 0x80, 0x04, 0x00}, ErrDeltaKind},
		{"negative kind", w8, []byte{0x01, 0x05, 0x01, 0x01, 0x01, 0x00}, ErrDeltaKind},
		{"kind the schema lacks", s3, []byte{0x01, 0x05, 0x01, 0x01, 0x06, 0x00}, ErrDeltaKind},
		{"field past a narrow kind", s3, []byte{0x01, 0x05, 0x01, 0x05, 0x04, 0x02, 0x00}, ErrDeltaKind},
		{"narrowed kind keeps a field", s3, []byte{0x01, 0x01, 0x01, 0x0B, 0x02, 0x01, 0x01, 0x00}, ErrDeltaKind},
		{"value past a narrow kind changed", s3, []byte{0x01, 0x02, 0x01, 0x04, 0x02, 0x00}, ErrDeltaKind},
		{"kind without fields gets one", s3, []byte{0x01, 0x05, 0x01, 0x03, 0x0E, 0x02, 0x00}, ErrDeltaKind},
		{"trailing bytes", w8, []byte{0x00, 0x00, 0x00}, ErrDeltaTrailing},
		{"trailing after removals", w8, []byte{0x00, 0x01, 0x01, 0x07}, ErrDeltaTrailing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := rowsOf(tt.base.Layout(), ent{99, []int32{1}})
			err := ApplyDelta(dst, tt.base, tt.delta)
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrMalformedDelta) {
				t.Fatalf("ApplyDelta(% x) error = %v, want %v wrapped in %v", tt.delta, err, tt.want, ErrMalformedDelta)
			}
			if dst.Len() != 0 {
				t.Fatalf("ApplyDelta left %s with the error", dump(dst))
			}
		})
	}
}

func TestApplyDeltaValid(t *testing.T) {
	base := rowsOf(arena8, ent{1, []int32{1}}, ent{2, []int32{5, 5}}, ent{10, []int32{1}})
	s3 := rowsOf(NewLayout(testSchema3()), ent{1, []int32{1, 10, 20, 30}}, ent{2, []int32{2, 4}})
	tests := []struct {
		name  string
		base  *Rows
		delta []byte
		want  *Rows
	}{
		// A listed existing entity with mask 0 is allowed and unchanged.
		{"listed unchanged", base, []byte{0x01, 0x02, 0x01, 0x00, 0x00}, base},
		// Non-minimal varints decode (the encoder never writes them).
		{"overlong varint", base, []byte{0x80, 0x00, 0x00}, base},
		{"overlong mask", base, []byte{0x01, 0x02, 0x01, 0x82, 0x80, 0x00, 0x02, 0x00}, rowsOf(arena8,
			ent{1, []int32{1}}, ent{2, []int32{5, 6}}, ent{10, []int32{1}})},
		// int32 wrap-around: 5 + (-6) = -1; 0 + MaxInt32; one run of 2.
		{"wrap", base, []byte{0x02, 0x02, 0x08, 0x02, 0x02, 0x0B, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x01}, rowsOf(arena8,
			ent{2, []int32{5, -1}}, ent{10, []int32{1, math.MaxInt32}})},
		// Adjacent runs with the same mask decode like one run.
		{"split equal runs", base, []byte{0x02, 0x02, 0x08, 0x01, 0x02, 0x01, 0x02, 0x0B, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x01}, rowsOf(arena8,
			ent{2, []int32{5, -1}}, ent{10, []int32{1, math.MaxInt32}})},
		// Runs of 2 then 1 over a changed, a changed and a created entity.
		{"runs across created", base, []byte{0x03, 0x01, 0x01, 0x01, 0x02, 0x02, 0x01, 0x11, 0x03, 0x02, 0x02, 0x04, 0x00}, rowsOf(arena8,
			ent{1, []int32{1, -2}}, ent{2, []int32{5, 6}}, ent{3, []int32{1, 0, 0, 0, 2}}, ent{10, []int32{1}})},
		// A kind narrowed with its extra fields zeroed: player 1 becomes
		// a shot (x kept, y and hp to 0).
		{"kind narrowed", s3, []byte{0x01, 0x01, 0x01, 0x0D, 0x02, 0x27, 0x3B, 0x00}, rowsOf(s3.Layout(),
			ent{1, []int32{2, 10}}, ent{2, []int32{2, 4}})},
		// A zero delta leaves the row as valid as it was.
		{"zero delta past a narrow kind", s3, []byte{0x01, 0x02, 0x01, 0x04, 0x00, 0x00}, s3},
		{"kind without fields", s3, []byte{0x01, 0x05, 0x01, 0x01, 0x0E, 0x00}, rowsOf(s3.Layout(),
			ent{1, []int32{1, 10, 20, 30}}, ent{2, []int32{2, 4}}, ent{5, []int32{7}})},
		{"bit 32 at width 33", rowsOf(NewWidthLayout(33), ent{1, []int32{1}}), []byte{0x01, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0x01, 0x00},
			rowsOf(NewWidthLayout(33), ent{1, append([]int32{1}, append(make([]int32, 31), -1)...)})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := NewRows(tt.base.Layout(), 0)
			if err := ApplyDelta(out, tt.base, tt.delta); err != nil {
				t.Fatal(err)
			}
			if !out.Equal(tt.want) {
				t.Fatalf("ApplyDelta = %s, want %s", dump(out), dump(tt.want))
			}
		})
	}
}

func TestApplyDeltaAcrossLayoutsOfOneWidth(t *testing.T) {
	// A width layout decodes any schema's deltas of its width; a schema's
	// layout refuses rows its kinds do not allow.
	schema := NewLayout(testSchema3())
	world := rowsOf(schema, ent{1, []int32{1, 10, 20, 30}}, ent{4, []int32{2, -4}}, ent{9, []int32{7}})
	out := NewRows(NewWidthLayout(4), 0)
	if err := ApplyDelta(out, nil, EncodeDelta(nil, nil, world)); err != nil || !out.Equal(world) {
		t.Fatalf("width layout: %v, %s", err, dump(out))
	}
	foreign := rowsOf(NewWidthLayout(4), ent{1, []int32{2, 1, 1}})
	err := ApplyDelta(NewRows(schema, 0), nil, EncodeDelta(nil, nil, foreign))
	if !errors.Is(err, ErrDeltaKind) {
		t.Fatalf("schema layout accepted a shot with three fields: %v", err)
	}
}

func TestCodecAllocations(t *testing.T) {
	// The steady state allocates nothing: EncodeDelta into a buffer with
	// room, ApplyDelta into rows with room, Checksum.
	for _, width := range []int{1, 8, 13, 33} {
		g := newWorldGen(9, width)
		base := g.step()
		for range 20 {
			base = g.step()
		}
		target := g.step()
		buf := make([]byte, 0, 1<<16)
		delta := EncodeDelta(nil, base, target)
		out := NewRows(g.l, base.Len()+target.Len())
		if n := testing.AllocsPerRun(50, func() { buf = EncodeDelta(buf[:0], base, target) }); n != 0 {
			t.Errorf("width %d: EncodeDelta allocates %v times", width, n)
		}
		if n := testing.AllocsPerRun(50, func() {
			if err := ApplyDelta(out, base, delta); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("width %d: ApplyDelta allocates %v times", width, n)
		}
		if n := testing.AllocsPerRun(50, func() { Checksum(target) }); n != 0 {
			t.Errorf("width %d: Checksum allocates %v times", width, n)
		}
	}
}

func TestZigzag(t *testing.T) {
	tests := []struct {
		v int32
		z uint32
	}{
		{0, 0}, {-1, 1}, {1, 2}, {-2, 3}, {63, 126}, {-64, 127},
		{math.MaxInt32, math.MaxUint32 - 1}, {math.MinInt32, math.MaxUint32},
	}
	for _, tt := range tests {
		if got := zigzag(tt.v); got != tt.z {
			t.Errorf("zigzag(%d) = %d, want %d", tt.v, got, tt.z)
		}
		if got := unzigzag(tt.z); got != tt.v {
			t.Errorf("unzigzag(%d) = %d, want %d", tt.z, got, tt.v)
		}
	}
}
