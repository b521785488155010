package wire

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// worldFromBytes derives a valid world (ascending nonzero ids) from fuzz
// bytes: per entity, an id-gap byte, a byte saying which fields are set,
// and for each set field 4 bytes of value, so any int32 can appear.
func worldFromBytes(b []byte) []Entity {
	var w []Entity
	var id uint32
	for len(b) >= 2 {
		gap := uint32(b[0]) + 1
		if b[0] == 0xFF { // sometimes leap far, up to the top of the id space
			gap = 1 << 28
		}
		if id > ^uint32(0)-gap {
			break
		}
		id += gap
		e := Entity{ID: id}
		set := b[1]
		b = b[2:]
		for f := range FieldCount {
			if set&(1<<f) != 0 && len(b) >= 4 {
				e.Fields[f] = int32(binary.LittleEndian.Uint32(b))
				b = b[4:]
			}
		}
		w = append(w, e)
	}
	return w
}

// seedWorlds adds real encodings from the property generator to f.
func seedWorlds(f *testing.F, add func(base, target []Entity, delta []byte)) {
	g := &worldGen{r: rand.New(rand.NewPCG(3, 4))}
	var prev []Entity
	for range 24 {
		w := g.step()
		add(prev, w, EncodeDelta(nil, prev, w))
		prev = w
	}
}

// worldBytes is the inverse of worldFromBytes for worlds whose id gaps fit
// a byte, used to turn real worlds into fuzz seeds.
func worldBytes(w []Entity) []byte {
	var b []byte
	var prev uint32
	for _, e := range w {
		if gap := e.ID - prev; gap == 0 || gap > 255 {
			continue
		}
		b = append(b, byte(e.ID-prev-1), 0xFF)
		for _, v := range e.Fields {
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		}
		prev = e.ID
	}
	return b
}

// FuzzApplyDelta feeds arbitrary deltas to ApplyDelta: it must never panic,
// and whatever it accepts must be a valid world that re-encodes to a delta
// which rebuilds the same world.
func FuzzApplyDelta(f *testing.F) {
	seedWorlds(f, func(base, _ []Entity, delta []byte) {
		f.Add(worldBytes(base), delta)
	})
	f.Add([]byte{}, []byte{0x00, 0x00})
	f.Add([]byte{0, 0}, []byte{0x01, 0x01, 0x01, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 0x00})
	// Mask runs (2, x|y), (1, health) over a base of three entities.
	f.Add([]byte{0, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 0, 0, 0, 0},
		[]byte{0x03, 0x01, 0x01, 0x01, 0x02, 0x06, 0x01, 0x10, 0x50, 0x05, 0x0F, 0x4E, 0x13, 0x00})
	// A run that overshoots, and a zero run.
	f.Add([]byte{0, 0}, []byte{0x01, 0x01, 0x02, 0x06, 0x50, 0x05, 0x00})
	f.Add([]byte{0, 0}, []byte{0x01, 0x01, 0x00, 0x06, 0x50, 0x05, 0x00})
	f.Fuzz(func(t *testing.T, baseBytes, delta []byte) {
		base := worldFromBytes(baseBytes)
		baseCopy := slices.Clone(base)
		out, err := ApplyDelta(nil, base, delta)
		if !slices.Equal(base, baseCopy) {
			t.Fatal("ApplyDelta modified base")
		}
		if err != nil {
			if len(out) != 0 {
				t.Fatalf("error %v with %d entities", err, len(out))
			}
			return
		}
		for k := range out {
			if out[k].ID == 0 || (k > 0 && out[k].ID <= out[k-1].ID) {
				t.Fatalf("result ids not ascending nonzero at %d: %v", k, out)
			}
		}
		again, err := ApplyDelta(nil, base, EncodeDelta(nil, base, out))
		if err != nil || !slices.Equal(again, out) {
			t.Fatalf("re-encoding an accepted result: %v", err)
		}
	})
}

// FuzzRoundTrip derives two worlds from fuzz bytes and checks the delta
// between them rebuilds the target exactly.
func FuzzRoundTrip(f *testing.F) {
	seedWorlds(f, func(base, target []Entity, _ []byte) {
		f.Add(worldBytes(base), worldBytes(target))
	})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		base, target := worldFromBytes(a), worldFromBytes(b)
		delta := EncodeDelta(nil, base, target)
		got, err := ApplyDelta(nil, base, delta)
		if err != nil {
			t.Fatalf("ApplyDelta of EncodeDelta: %v (delta % x)", err, delta)
		}
		if !slices.Equal(got, target) || Checksum(got) != Checksum(target) {
			t.Fatalf("round trip mismatch:\nbase   %v\ntarget %v\ngot    %v", base, target, got)
		}
		if slices.Equal(base, target) && len(delta) != 2 {
			t.Fatalf("identical worlds encode to %d bytes, want 2", len(delta))
		}
	})
}
