package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// worldGen evolves a random world the way a hostile game might: creates,
// moves, jumps, extreme values, removals and id reuse.
type worldGen struct {
	r       *rand.Rand
	world   []Entity
	removed []uint32 // ids free for reuse
}

// randValue returns a field value from a mix of small, large and extreme.
func (g *worldGen) randValue() int32 {
	switch g.r.IntN(6) {
	case 0:
		return 0
	case 1:
		return []int32{math.MinInt32, math.MaxInt32, -1, 1, math.MinInt32 + 1, math.MaxInt32 - 1}[g.r.IntN(6)]
	case 2:
		return int32(g.r.Uint32()) // any value, often negative
	default:
		return int32(g.r.IntN(2001) - 1000)
	}
}

// randID returns an id not in the world: fresh small, reused, or huge.
func (g *worldGen) randID() uint32 {
	for {
		var id uint32
		switch g.r.IntN(5) {
		case 0:
			if len(g.removed) > 0 {
				id = g.removed[g.r.IntN(len(g.removed))]
			}
		case 1:
			id = math.MaxUint32 - uint32(g.r.IntN(4))
		case 2:
			id = g.r.Uint32()
		default:
			id = uint32(1 + g.r.IntN(200))
		}
		if id == 0 {
			continue
		}
		if _, found := slices.BinarySearchFunc(g.world, id, cmpID); !found {
			return id
		}
	}
}

func cmpID(e Entity, id uint32) int {
	switch {
	case e.ID < id:
		return -1
	case e.ID > id:
		return 1
	}
	return 0
}

// step returns the next world as a new slice (earlier worlds stay intact).
func (g *worldGen) step() []Entity {
	w := slices.Clone(g.world)
	for k := range w {
		e := &w[k]
		switch g.r.IntN(8) {
		case 0, 1: // move a little
			e.Fields[FieldX] += int32(g.r.IntN(81) - 40)
			e.Fields[FieldY] += int32(g.r.IntN(81) - 40)
		case 2: // any field to anything
			e.Fields[g.r.IntN(FieldCount)] = g.randValue()
		case 3: // large jump (teleport) with wrap-around
			e.Fields[FieldX] += int32(g.r.Uint32())
		}
	}
	// Removals, then creations (possibly reusing just-removed ids).
	for n := g.r.IntN(3); n > 0 && len(w) > 0; n-- {
		k := g.r.IntN(len(w))
		g.removed = append(g.removed, w[k].ID)
		w = slices.Delete(w, k, k+1)
	}
	g.world = w
	for n := g.r.IntN(4); n > 0; n-- {
		e := Entity{ID: g.randID()}
		if g.r.IntN(4) > 0 { // some created entities are all zero
			for f := range FieldCount {
				e.Fields[f] = g.randValue()
			}
		}
		i, _ := slices.BinarySearchFunc(g.world, e.ID, cmpID)
		g.world = slices.Insert(g.world, i, e)
	}
	return g.world
}

func TestDeltaRoundTripProperty(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			g := &worldGen{r: rand.New(rand.NewPCG(seed, seed*7919))}
			worlds := [][]Entity{nil}
			var buf []byte
			var out []Entity
			for i := range 400 {
				target := g.step()
				// Baseline: the previous world, a random earlier one, or empty.
				var base []Entity
				switch g.r.IntN(3) {
				case 0:
					base = worlds[len(worlds)-1]
				case 1:
					base = worlds[g.r.IntN(len(worlds))]
				}
				baseCopy := slices.Clone(base)
				buf = EncodeDelta(buf[:0], base, target)
				var err error
				out, err = ApplyDelta(out[:0], base, buf)
				if err != nil {
					t.Fatalf("step %d: ApplyDelta: %v", i, err)
				}
				if !slices.Equal(out, target) {
					t.Fatalf("step %d: round trip mismatch\nbase   %v\ntarget %v\ngot    %v", i, base, target, out)
				}
				if Checksum(out) != Checksum(target) {
					t.Fatalf("step %d: checksum mismatch", i)
				}
				if !slices.Equal(base, baseCopy) {
					t.Fatalf("step %d: ApplyDelta modified base", i)
				}
				worlds = append(worlds, target)
			}
		})
	}
}

func TestEncodeDeltaCosts(t *testing.T) {
	world := []Entity{
		{ID: 1, Fields: [FieldCount]int32{1, 100, 200, 7, 100, 0, 1, 1}},
		{ID: 2, Fields: [FieldCount]int32{1, -100, 50, 9, 100, 3, 1, 2}},
		{ID: 9, Fields: [FieldCount]int32{2, 0, 0, 0, 0, 0, 0, 0}},
	}
	moved := slices.Clone(world)
	moved[1].Fields[FieldX] += 40
	moved[1].Fields[FieldY] -= 3
	allMoved := slices.Clone(moved)
	allMoved[0].Fields[FieldX] -= 1
	allMoved[0].Fields[FieldY] += 2
	allMoved[2].Fields[FieldX] += 64
	allMoved[2].Fields[FieldY] -= 64
	mixed := slices.Clone(allMoved)
	mixed[1].Fields[FieldAngle]++
	tests := []struct {
		name         string
		base, target []Entity
		want         []byte
	}{
		{"identical worlds", world, world, []byte{0x00, 0x00}},
		{"both empty", nil, nil, []byte{0x00, 0x00}},
		// id 2 listed alone (gap 2), one run of mask x|y, +40 → 80, -3 → 5.
		{"one moved", world, moved, []byte{0x01, 0x02, 0x01, 0x06, 0x50, 0x05, 0x00}},
		// Three movers share one run (3, x|y); +64 and -64 need two bytes.
		{"all moved", world, allMoved, []byte{0x03, 0x01, 0x01, 0x07, 0x03, 0x06,
			0x01, 0x04, 0x50, 0x05, 0x80, 0x01, 0x7F, 0x00}},
		// A turn splits the run: (1, x|y), (1, x|y|angle), (1, x|y).
		{"run split", world, mixed, []byte{0x03, 0x01, 0x01, 0x07, 0x01, 0x06, 0x01, 0x0E, 0x01, 0x06,
			0x01, 0x04, 0x50, 0x05, 0x02, 0x80, 0x01, 0x7F, 0x00}},
		// A created all-zero entity is listed with mask 0.
		{"created all-zero", nil, []Entity{{ID: 5}}, []byte{0x01, 0x05, 0x01, 0x00, 0x00}},
		// Removals: ids 1 and 9 as gaps 1, 8.
		{"removed", world, world[1:2], []byte{0x00, 0x02, 0x01, 0x08}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EncodeDelta(nil, tt.base, tt.target)
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("EncodeDelta = % x, want % x", got, tt.want)
			}
			out, err := ApplyDelta(nil, tt.base, got)
			if err != nil || !slices.Equal(out, tt.target) {
				t.Fatalf("ApplyDelta = %v, %v; want %v", out, err, tt.target)
			}
		})
	}
}

func TestEncodeDeltaAppends(t *testing.T) {
	prefix := []byte{0xAA, 0xBB}
	got := EncodeDelta(slices.Clone(prefix), nil, []Entity{{ID: 1}})
	if want := []byte{0xAA, 0xBB, 0x01, 0x01, 0x01, 0x00, 0x00}; !bytes.Equal(got, want) {
		t.Fatalf("EncodeDelta = % x, want % x", got, want)
	}
}

func TestEncodeDeltaWalkingMatchesBatch(t *testing.T) {
	// Past encodeBatch changes EncodeDelta walks the slices once per
	// column; both paths must write the same bytes, runs included.
	tests := []struct {
		name     string
		n        int
		turnEach int // every turnEach-th entity also turns; 0: none
	}{
		{"batch-1 one run", encodeBatch - 1, 0},
		{"batch one run", encodeBatch, 0},
		{"batch+1 one run", encodeBatch + 1, 0},
		{"long run", 3 * encodeBatch, 0},
		{"split runs", 3 * encodeBatch, 7},
		{"every other", encodeBatch + 9, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := make([]Entity, tt.n)
			target := make([]Entity, tt.n)
			for k := range base {
				base[k] = Entity{ID: uint32(2*k + 1), Fields: [FieldCount]int32{1, int32(k), -int32(k), 7}}
				target[k] = base[k]
				target[k].Fields[FieldX] += 40
				target[k].Fields[FieldY] -= 3
				if tt.turnEach > 0 && k%tt.turnEach == 0 {
					target[k].Fields[FieldAngle] += 100
				}
			}
			var cs []change
			cw := changeWalk{base: base, target: target}
			for e, old, m, ok := cw.next(); ok; e, old, m, ok = cw.next() {
				cs = append(cs, change{t: e, old: old, mask: m})
			}
			batch := appendChanges(nil, cs)
			walking := appendChangesWalking(nil, base, target)
			if !bytes.Equal(batch, walking) {
				t.Fatalf("walking = % x\nbatch   = % x", walking, batch)
			}
			delta := EncodeDelta(nil, base, target)
			l, err := scanDelta(delta)
			if err != nil {
				t.Fatal(err)
			}
			if tt.turnEach == 0 {
				// One run covering every entity: varint n, mask x|y.
				want := binary.AppendUvarint(nil, uint64(tt.n))
				want = append(want, 0x06)
				if got := delta[l.masks:l.values]; !bytes.Equal(got, want) {
					t.Fatalf("mask column = % x, want % x", got, want)
				}
			}
			out, err := ApplyDelta(nil, base, delta)
			if err != nil || !slices.Equal(out, target) {
				t.Fatalf("ApplyDelta: %v", err)
			}
		})
	}
}

func TestApplyDeltaAppendsAndKeepsDstOnError(t *testing.T) {
	prefix := []Entity{{ID: 77}}
	got, err := ApplyDelta(slices.Clone(prefix), nil, []byte{0x01, 0x03, 0x01, 0x00, 0x00})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Entity{{ID: 77}, {ID: 3}}; !slices.Equal(got, want) {
		t.Fatalf("ApplyDelta = %v, want %v", got, want)
	}
	// The error surfaces only after id 3 was appended; dst must come back
	// at its original length.
	got, err = ApplyDelta(slices.Clone(prefix), nil, []byte{0x01, 0x03, 0x01, 0x00, 0x01, 0x04})
	if !errors.Is(err, ErrDeltaRemoveUnknown) {
		t.Fatalf("err = %v, want ErrDeltaRemoveUnknown", err)
	}
	if !slices.Equal(got, prefix) {
		t.Fatalf("dst after error = %v, want %v", got, prefix)
	}
}

func TestApplyDeltaErrors(t *testing.T) {
	base := []Entity{{ID: 1}, {ID: 2, Fields: [FieldCount]int32{5}}, {ID: 10}}
	tests := []struct {
		name  string
		base  []Entity
		delta []byte
		want  error
	}{
		{"empty", base, nil, ErrDeltaTruncated},
		{"truncated changed count", base, []byte{0x80}, ErrDeltaTruncated},
		{"missing removed count", base, []byte{0x00}, ErrDeltaTruncated},
		{"varint overflow", base, bytes.Repeat([]byte{0xFF}, 11), ErrDeltaVarint},
		{"changed count too large", base, []byte{0x03, 0x01, 0x01, 0x00}, ErrDeltaCount},
		{"hostile changed count", base, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00}, ErrDeltaCount},
		{"removed count too large", base, []byte{0x00, 0x02, 0x01}, ErrDeltaCount},
		{"hostile removed count", base, []byte{0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, ErrDeltaCount},
		{"truncated id", base, []byte{0x01, 0x80, 0x80, 0x80}, ErrDeltaTruncated},
		{"changed id zero", base, []byte{0x01, 0x00, 0x00, 0x00}, ErrDeltaIDZero},
		{"changed ids repeat", base, []byte{0x02, 0x01, 0x00, 0x00, 0x00, 0x00}, ErrDeltaIDOrder},
		{"changed id overflow", base, []byte{0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x00, 0x00, 0x00}, ErrDeltaIDOverflow},
		{"first id beyond 32 bits", base, []byte{0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00, 0x00}, ErrDeltaIDOverflow},
		{"missing mask runs", base, []byte{0x02, 0x81, 0x01, 0x81, 0x01}, ErrDeltaTruncated},
		{"truncated mask run", base, []byte{0x01, 0x01, 0x80}, ErrDeltaTruncated},
		{"run without mask", base, []byte{0x01, 0x01, 0x01}, ErrDeltaTruncated},
		{"runs stop short", base, []byte{0x02, 0x01, 0x01, 0x01, 0x00}, ErrDeltaTruncated},
		{"mask run varint overflow", base, append([]byte{0x01, 0x01}, bytes.Repeat([]byte{0xFF}, 11)...), ErrDeltaVarint},
		{"zero mask run", base, []byte{0x01, 0x01, 0x00, 0x00, 0x00}, ErrDeltaMaskRun},
		{"zero run after a run", base, []byte{0x02, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00}, ErrDeltaMaskRun},
		{"mask run overshoots", base, []byte{0x01, 0x01, 0x02, 0x00, 0x00}, ErrDeltaMaskRun},
		{"second run overshoots", base, []byte{0x02, 0x01, 0x01, 0x01, 0x00, 0x02, 0x00, 0x00}, ErrDeltaMaskRun},
		{"hostile mask run", base, []byte{0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00}, ErrDeltaMaskRun},
		{"truncated value", base, []byte{0x01, 0x01, 0x01, 0x01, 0x80}, ErrDeltaTruncated},
		{"missing value", base, []byte{0x01, 0x01, 0x01, 0x03, 0x02, 0x00}, ErrDeltaTruncated},
		{"run short of values", base, []byte{0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00}, ErrDeltaTruncated},
		{"value beyond 32 bits", base, []byte{0x01, 0x01, 0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00}, ErrDeltaValue},
		{"removed id zero", base, []byte{0x00, 0x01, 0x00}, ErrDeltaIDZero},
		{"removed ids repeat", base, []byte{0x00, 0x02, 0x01, 0x00}, ErrDeltaIDOrder},
		{"removed id overflow", base, []byte{0x00, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01}, ErrDeltaIDOverflow},
		{"removed id not in base", base, []byte{0x00, 0x01, 0x03}, ErrDeltaRemoveUnknown},
		{"removed id beyond base", base, []byte{0x00, 0x01, 0x0B}, ErrDeltaRemoveUnknown},
		{"removed from empty base", nil, []byte{0x00, 0x01, 0x01}, ErrDeltaRemoveUnknown},
		{"removed id is created", base, []byte{0x01, 0x05, 0x01, 0x00, 0x01, 0x05}, ErrDeltaRemoveUnknown},
		{"removed id also changed", base, []byte{0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}, ErrDeltaRemoveChanged},
		{"trailing bytes", base, []byte{0x00, 0x00, 0x00}, ErrDeltaTrailing},
		{"trailing after removals", base, []byte{0x00, 0x01, 0x01, 0x07}, ErrDeltaTrailing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ApplyDelta(nil, tt.base, tt.delta)
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrMalformedDelta) {
				t.Fatalf("ApplyDelta(% x) error = %v, want %v wrapped in %v", tt.delta, err, tt.want, ErrMalformedDelta)
			}
			if len(out) != 0 {
				t.Fatalf("ApplyDelta returned %d entities with the error", len(out))
			}
		})
	}
}

func TestApplyDeltaValid(t *testing.T) {
	base := []Entity{{ID: 1}, {ID: 2, Fields: [FieldCount]int32{5}}, {ID: 10}}
	tests := []struct {
		name  string
		delta []byte
		want  []Entity
	}{
		// A listed existing entity with mask 0 is allowed and unchanged.
		{"listed unchanged", []byte{0x01, 0x02, 0x01, 0x00, 0x00}, base},
		// Non-minimal varints decode (the encoder never writes them).
		{"overlong varint", []byte{0x80, 0x00, 0x00}, base},
		// int32 wrap-around: 5 + (-6) = -1; 0 + MaxInt32; one run of 2.
		{"wrap", []byte{0x02, 0x02, 0x08, 0x02, 0x01, 0x0B, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x01}, []Entity{
			{ID: 2, Fields: [FieldCount]int32{-1}},
			{ID: 10, Fields: [FieldCount]int32{math.MaxInt32}},
		}},
		// Adjacent runs with the same mask decode like one run.
		{"split equal runs", []byte{0x02, 0x02, 0x08, 0x01, 0x01, 0x01, 0x01, 0x0B, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x01}, []Entity{
			{ID: 2, Fields: [FieldCount]int32{-1}},
			{ID: 10, Fields: [FieldCount]int32{math.MaxInt32}},
		}},
		// Runs of 2 then 1 over a changed, a created and a changed entity.
		{"runs across created", []byte{0x03, 0x01, 0x01, 0x01, 0x02, 0x02, 0x01, 0x10, 0x03, 0x02, 0x04, 0x00}, []Entity{
			{ID: 1, Fields: [FieldCount]int32{0, -2}},
			{ID: 2, Fields: [FieldCount]int32{5, 1}},
			{ID: 3, Fields: [FieldCount]int32{0, 0, 0, 0, 2}},
			{ID: 10},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ApplyDelta(nil, base, tt.delta)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out, tt.want) {
				t.Fatalf("ApplyDelta = %v, want %v", out, tt.want)
			}
		})
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

func TestChecksumIsCastagnoli(t *testing.T) {
	// The standard CRC-32C check value, independent of the entity layout.
	if got := crc32.Update(0, castagnoli, []byte("123456789")); got != 0xE3069283 {
		t.Fatalf("CRC-32C(123456789) = %#08x, want 0xe3069283", got)
	}
}

func TestChecksumKnownVector(t *testing.T) {
	entities := []Entity{
		{ID: 1, Fields: [FieldCount]int32{1, 2, -1, 0, 0, 0, 0, 0x01020304}},
		{ID: 0x0A0B0C0D, Fields: [FieldCount]int32{math.MinInt32, math.MaxInt32}},
	}
	// The canonical bytes written out by hand: id then 8 fields, each 4
	// bytes little-endian two's complement.
	canonical := []byte{
		0x01, 0x00, 0x00, 0x00, // id 1
		0x01, 0x00, 0x00, 0x00, // 1
		0x02, 0x00, 0x00, 0x00, // 2
		0xFF, 0xFF, 0xFF, 0xFF, // -1
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x04, 0x03, 0x02, 0x01, // 0x01020304
		0x0D, 0x0C, 0x0B, 0x0A, // id 0x0A0B0C0D
		0x00, 0x00, 0x00, 0x80, // MinInt32
		0xFF, 0xFF, 0xFF, 0x7F, // MaxInt32
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	}
	want := crc32.Checksum(canonical, crc32.MakeTable(crc32.Castagnoli))
	tests := []struct {
		name     string
		entities []Entity
		want     uint32
	}{
		{"empty", nil, 0},
		{"two entities", entities, want},
		// Pinned so a change of table or layout cannot go unnoticed.
		{"pinned", entities, 0xECCDD62C},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Checksum(tt.entities); got != tt.want {
				t.Fatalf("Checksum = %#08x, want %#08x", got, tt.want)
			}
		})
	}
}

func TestChecksumAcrossChunks(t *testing.T) {
	// More entities than one stack chunk: must equal one CRC over all bytes.
	for _, n := range []int{checksumChunk - 1, checksumChunk, checksumChunk + 1, 3*checksumChunk + 5} {
		entities := make([]Entity, n)
		var canonical []byte
		for k := range entities {
			e := &entities[k]
			e.ID = uint32(k + 1)
			canonical = append(canonical, byte(e.ID), byte(e.ID>>8), byte(e.ID>>16), byte(e.ID>>24))
			for f := range FieldCount {
				e.Fields[f] = int32(k*31 - f*1000003)
				v := uint32(e.Fields[f])
				canonical = append(canonical, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
			}
		}
		want := crc32.Checksum(canonical, crc32.MakeTable(crc32.Castagnoli))
		if got := Checksum(entities); got != want {
			t.Errorf("n=%d: Checksum = %#08x, want %#08x", n, got, want)
		}
		if got := checksumPortable(entities); got != want {
			t.Errorf("n=%d: checksumPortable = %#08x, want %#08x", n, got, want)
		}
	}
}

func TestChecksumSensitivity(t *testing.T) {
	a := Entity{ID: 1, Fields: [FieldCount]int32{1, 10, 20}}
	b := Entity{ID: 2, Fields: [FieldCount]int32{1, 30, 40}}
	ref := Checksum([]Entity{a, b})
	tests := []struct {
		name     string
		entities []Entity
	}{
		{"order swapped", []Entity{b, a}},
		{"one entity dropped", []Entity{a}},
		{"field changed", []Entity{a, {ID: 2, Fields: [FieldCount]int32{1, 30, 41}}}},
		{"id changed", []Entity{a, {ID: 3, Fields: b.Fields}}},
		{"fields moved between entities", []Entity{{ID: 1, Fields: b.Fields}, {ID: 2, Fields: a.Fields}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if Checksum(tt.entities) == ref {
				t.Fatalf("Checksum did not change")
			}
		})
	}
}

func TestChecksumFastPathApplies(t *testing.T) {
	// If Entity ever gains padding or a field, the fast path switches off
	// and Checksum gets slower; this says so loudly.
	if got := unsafe.Sizeof(Entity{}); got != checksumEntityBytes {
		t.Fatalf("Entity is %d bytes in memory, want %d", got, checksumEntityBytes)
	}
}

func TestChecksumAllocs(t *testing.T) {
	entities := make([]Entity, 40)
	if n := testing.AllocsPerRun(100, func() { Checksum(entities) }); n != 0 {
		t.Fatalf("Checksum allocates %v times per call", n)
	}
}

// docExampleWorlds is the worked example of docs/protocol.md.
func docExampleWorlds() (base, target []Entity) {
	base = []Entity{
		{ID: 1, Fields: [FieldCount]int32{1, 800, -400, 1024, 100, 0, 1, 1}},
		{ID: 2, Fields: [FieldCount]int32{1, -200, 600, 2048, 100, 0, 1, 2}},
		{ID: 3, Fields: [FieldCount]int32{1, 0, 0, 0, 100, 3, 1, 3}},
		{ID: 5, Fields: [FieldCount]int32{2, 120, 40, 0, 0, 0, 1, 1}},
	}
	target = []Entity{
		{ID: 1, Fields: [FieldCount]int32{1, 840, -403, 1024, 100, 0, 1, 1}}, // moved
		{ID: 2, Fields: [FieldCount]int32{1, -208, 639, 2048, 100, 0, 1, 2}}, // moved
		{ID: 3, Fields: [FieldCount]int32{1, 0, 0, 0, 90, 3, 1, 3}},          // hit
		{ID: 7, Fields: [FieldCount]int32{2, 848, -400, 1024, 0, 0, 0, 1}},   // fired
	} // 5 removed
	return base, target
}

// TestDocExample pins the bytes docs/protocol.md shows, so the
// document cannot drift from the code.
func TestDocExample(t *testing.T) {
	base, target := docExampleWorlds()
	h := NewHistory(4)
	h.Push(Snapshot{Tick: 100, ServerTimeUS: 5_000_000, Entities: base})
	h.Push(Snapshot{Tick: 103, ServerTimeUS: 5_150_000, Entities: target,
		Events: []Event{{Tick: 103, Kind: 1, Actor: 7, Target: 3, Value: -10}}})
	shared, _ := h.EncodeLatest(100)
	tests := []struct {
		name string
		got  []byte
		want []byte
	}{
		// Runs: (2, x|y) for ids 1 and 2, (1, health), (1, kind|x|y|angle|owner).
		{"delta", EncodeDelta(nil, base, target), []byte{
			0x04, 0x01, 0x01, 0x01, 0x04, 0x02, 0x06, 0x01, 0x10, 0x01, 0x8F,
			0x50, 0x05, 0x0F, 0x4E, 0x13, 0x04, 0xA0, 0x0D, 0x9F, 0x06, 0x80, 0x10, 0x02, 0x01, 0x05}},
		{"checksum", binary.LittleEndian.AppendUint32(nil, Checksum(target)), []byte{0x8F, 0xA6, 0x22, 0x0E}},
		{"frame", AppendSnapshotFrame(nil, shared, 42), []byte{
			0x22, 0x38,
			0x08, 0x67, 0x10, 0x64, 0x18, 0xB0, 0xAA, 0xBA, 0x02, 0x25, 0x8F, 0xA6, 0x22, 0x0E,
			0x2A, 0x1A, 0x04, 0x01, 0x01, 0x01, 0x04, 0x02, 0x06, 0x01, 0x10, 0x01, 0x8F,
			0x50, 0x05, 0x0F, 0x4E, 0x13, 0x04, 0xA0, 0x0D, 0x9F, 0x06, 0x80, 0x10, 0x02, 0x01, 0x05,
			0x32, 0x0A, 0x08, 0x67, 0x10, 0x01, 0x18, 0x07, 0x20, 0x03, 0x28, 0x13,
			0x78, 0x2A}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Equal(tt.got, tt.want) {
				t.Fatalf("got  % X\nwant % X", tt.got, tt.want)
			}
		})
	}
}
