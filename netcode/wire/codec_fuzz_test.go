package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// fuzzGen derives a world generator from two fuzz bytes: rows of 1 to
// 33 values and, for schema 0, the width layout that accepts every kind;
// otherwise the layout of a random schema seeded by schema.
func fuzzGen(width, schema uint8) *worldGen {
	w := 1 + int(width)%(1+MaxFields)
	if schema == 0 {
		g := newWorldGen(1, w)
		g.l = NewWidthLayout(w) // rows of the schema's kinds, every value used
		return g
	}
	return newWorldGen(uint64(schema), w)
}

// fuzzLayouts memoizes fuzzLayout: making a random schema for every input
// would slow the fuzzer down.
var fuzzLayouts struct {
	sync.Mutex
	m map[[2]uint8]fuzzShape
}

// fuzzShape is a layout and the kinds fuzz bytes pick from.
type fuzzShape struct {
	l     *Layout
	kinds []uint32
}

// fuzzLayout returns the layout of fuzzGen(width, schema) and the kinds
// fuzz bytes pick from: every kind of a width layout, the schema's kinds
// otherwise.
func fuzzLayout(width, schema uint8) (*Layout, []uint32) {
	fuzzLayouts.Lock()
	defer fuzzLayouts.Unlock()
	key := [2]uint8{width, schema}
	if sh, ok := fuzzLayouts.m[key]; ok {
		return sh.l, sh.kinds
	}
	if fuzzLayouts.m == nil {
		fuzzLayouts.m = make(map[[2]uint8]fuzzShape)
	}
	g := fuzzGen(width, schema)
	var kinds []uint32
	if schema == 0 {
		for k := 1; k <= MaxKind; k++ {
			kinds = append(kinds, uint32(k))
		}
	} else {
		for _, e := range g.s.Entities {
			kinds = append(kinds, e.Kind)
		}
	}
	fuzzLayouts.m[key] = fuzzShape{g.l, kinds}
	return g.l, kinds
}

// rowsFromBytes derives valid rows (ascending nonzero ids, declared kinds,
// zeros past each kind's fields) from fuzz bytes: per entity, an id-gap
// byte, a byte picking the kind, a byte saying how many of its leading
// fields are set, then 4 bytes per set field, so any int32 can appear.
func rowsFromBytes(l *Layout, kinds []uint32, b []byte) *Rows {
	r := NewRows(l, 0)
	var id uint32
	for len(b) >= 3 {
		gap := uint32(b[0]) + 1
		if b[0] == 0xFF { // sometimes leap far, up to the top of the id space
			gap = 1 << 28
		}
		if id > math.MaxUint32-gap {
			break
		}
		id += gap
		kind := kinds[int(b[1])%len(kinds)]
		n, _ := l.Fields(kind)
		set := min(int(b[2]), n)
		b = b[3:]
		fields := r.Append(id, kind)
		for f := 0; f < set && len(b) >= 4; f++ {
			fields[f] = int32(binary.LittleEndian.Uint32(b))
			b = b[4:]
		}
	}
	return r
}

// rowsBytes is the inverse of rowsFromBytes for rows whose id gaps fit a
// byte (others are left out), used to turn real worlds into fuzz seeds.
func rowsBytes(r *Rows, kinds []uint32) []byte {
	var b []byte
	var prev uint32
	for i := range r.Len() {
		gap := r.ID(i) - prev
		if gap == 0 || gap > 255 {
			continue
		}
		pick := 0
		for k, kind := range kinds {
			if kind == r.Kind(i) {
				pick = k
			}
		}
		fields := r.Fields(i)
		set := len(fields)
		for set > 0 && fields[set-1] == 0 {
			set--
		}
		b = append(b, byte(gap-1), byte(pick), byte(set))
		for _, v := range fields[:set] {
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		}
		prev = r.ID(i)
	}
	return b
}

// fuzzSeeds adds real encodings from the property generator at a few
// widths, with a width layout and with a schema's.
func fuzzSeeds(add func(width, schema uint8, base, target *Rows, kinds []uint32, delta []byte)) {
	for _, width := range []uint8{0, 1, 7, 12, 32} {
		for _, schema := range []uint8{0, 3} {
			g := fuzzGen(width, schema)
			_, kinds := fuzzLayout(width, schema)
			prev := NewRows(g.l, 0)
			for range 6 {
				w := g.step()
				add(width, schema, prev, w, kinds, EncodeDelta(nil, prev, w))
				prev = w
			}
		}
	}
}

// FuzzApplyDelta feeds arbitrary deltas to ApplyDelta at a fuzzed width
// and layout: it must never panic, must grow dst no further than the
// delta's size justifies, and whatever it accepts must be valid rows that
// re-encode to a delta which rebuilds them.
func FuzzApplyDelta(f *testing.F) {
	fuzzSeeds(func(width, schema uint8, base, _ *Rows, kinds []uint32, delta []byte) {
		f.Add(width, schema, rowsBytes(base, kinds), delta)
	})
	f.Add(uint8(7), uint8(0), []byte{}, []byte{0x00, 0x00})
	f.Add(uint8(7), uint8(0), []byte{0, 0, 0}, []byte{0x01, 0x01, 0x01, 0xFF, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x00})
	// Mask runs (2, x|y), (1, health) over three entities.
	f.Add(uint8(7), uint8(0), []byte{0, 0, 2, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		[]byte{0x03, 0x01, 0x01, 0x01, 0x02, 0x06, 0x01, 0x10, 0x50, 0x05, 0x0F, 0x4E, 0x13, 0x00})
	// A mask bit past the width, a zero run, a kind the schema lacks.
	f.Add(uint8(3), uint8(0), []byte{}, []byte{0x01, 0x01, 0x01, 0x11, 0x02, 0x02, 0x00})
	f.Add(uint8(7), uint8(0), []byte{0, 0, 0}, []byte{0x01, 0x01, 0x00, 0x06, 0x50, 0x05, 0x00})
	f.Add(uint8(3), uint8(5), []byte{}, []byte{0x01, 0x01, 0x01, 0x01, 0xFE, 0x03, 0x00})
	f.Fuzz(func(t *testing.T, width, schema uint8, baseBytes, delta []byte) {
		l, kinds := fuzzLayout(width, schema)
		base := rowsFromBytes(l, kinds, baseBytes)
		baseCopy := base.Clone()
		dst := NewRows(l, 0)
		err := ApplyDelta(dst, base, delta)
		if !base.Equal(baseCopy) {
			t.Fatal("ApplyDelta modified base")
		}
		// Bounded allocation: one grow to base's entities plus at most one
		// per delta byte, rounded up to the allocator's size class.
		if limit := 2*(base.Len()+len(delta))*dst.stride() + 16; cap(dst.data) > limit {
			t.Fatalf("dst grew to %d int32s for %d base entities and a %d-byte delta", cap(dst.data), base.Len(), len(delta))
		}
		if err != nil {
			if !errors.Is(err, ErrMalformedDelta) {
				t.Fatalf("error %v does not wrap ErrMalformedDelta", err)
			}
			if dst.Len() != 0 {
				t.Fatalf("error %v with %d entities", err, dst.Len())
			}
			return
		}
		for i := range dst.Len() {
			if dst.ID(i) == 0 || (i > 0 && dst.ID(i) <= dst.ID(i-1)) {
				t.Fatalf("result ids not ascending nonzero at %d: %s", i, dump(dst))
			}
			if !l.validRow(dst.Row(i)) {
				t.Fatalf("result row %d not valid in its layout: %s", i, dump(dst))
			}
		}
		again := NewRows(l, 0)
		reencoded := EncodeDelta(nil, base, dst)
		if err := ApplyDelta(again, base, reencoded); err != nil || !again.Equal(dst) || Checksum(again) != Checksum(dst) {
			t.Fatalf("re-encoding an accepted result: %v", err)
		}
	})
}

// FuzzRoundTrip derives two worlds at a fuzzed width and layout and checks
// that the delta between them rebuilds the target exactly.
func FuzzRoundTrip(f *testing.F) {
	fuzzSeeds(func(width, schema uint8, base, target *Rows, kinds []uint32, _ []byte) {
		f.Add(width, schema, rowsBytes(base, kinds), rowsBytes(target, kinds))
	})
	f.Fuzz(func(t *testing.T, width, schema uint8, a, b []byte) {
		l, kinds := fuzzLayout(width, schema)
		base, target := rowsFromBytes(l, kinds, a), rowsFromBytes(l, kinds, b)
		delta := EncodeDelta(nil, base, target)
		got := NewRows(l, 0)
		if err := ApplyDelta(got, base, delta); err != nil {
			t.Fatalf("ApplyDelta of EncodeDelta: %v (delta % x)", err, delta)
		}
		if !got.Equal(target) || Checksum(got) != Checksum(target) {
			t.Fatalf("round trip mismatch:\nbase   %s\ntarget %s\ngot    %s", dump(base), dump(target), dump(got))
		}
		if base.Equal(target) && !bytes.Equal(delta, []byte{0, 0}) {
			t.Fatalf("identical worlds encode to % x, want 00 00", delta)
		}
		// A full snapshot of the target rebuilds it too.
		if err := ApplyDelta(got, nil, EncodeDelta(nil, nil, target)); err != nil || !got.Equal(target) {
			t.Fatalf("full snapshot: %v", err)
		}
	})
}

// TestFuzzHelpersInvert checks that rowsBytes inverts rowsFromBytes, so
// the seeds are the worlds they claim to be.
func TestFuzzHelpersInvert(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for range 200 {
		l, kinds := fuzzLayout(uint8(r.IntN(256)), uint8(r.IntN(4)))
		b := make([]byte, r.IntN(400))
		for i := range b {
			b[i] = byte(r.IntN(256))
			if r.IntN(3) == 0 {
				b[i] = 0
			}
		}
		w := rowsFromBytes(l, kinds, b)
		if back := rowsFromBytes(l, kinds, rowsBytes(w, kinds)); !back.Equal(onlyShortGaps(w)) {
			t.Fatalf("rowsBytes does not invert rowsFromBytes:\n%s\n%s", dump(w), dump(back))
		}
	}
}

// onlyShortGaps drops the entities rowsBytes leaves out.
func onlyShortGaps(r *Rows) *Rows {
	out := NewRows(r.Layout(), r.Len())
	var prev uint32
	for i := range r.Len() {
		if gap := r.ID(i) - prev; gap == 0 || gap > 255 {
			continue
		}
		out.AppendRow(r.ID(i), r.Row(i))
		prev = r.ID(i)
	}
	return out
}
