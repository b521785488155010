package wire

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"testing"
)

func TestChecksumIsCastagnoli(t *testing.T) {
	// The standard CRC-32C check value, independent of the row layout.
	if got := crc32.Update(0, castagnoli, []byte("123456789")); got != 0xE3069283 {
		t.Fatalf("CRC-32C(123456789) = %#08x, want 0xe3069283", got)
	}
}

func TestChecksumKnownVector(t *testing.T) {
	rows := rowsOf(arena8,
		ent{1, []int32{1, 2, -1, 0, 0, 0, 0, 0x01020304}},
		ent{0x0A0B0C0D, []int32{255, math.MinInt32, math.MaxInt32}},
	)
	// The canonical bytes written out by hand: id then 8 values, each 4
	// bytes little-endian two's complement.
	canonical := []byte{
		0x01, 0x00, 0x00, 0x00, // id 1
		0x01, 0x00, 0x00, 0x00, // 1
		0x02, 0x00, 0x00, 0x00, // 2
		0xFF, 0xFF, 0xFF, 0xFF, // -1
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x04, 0x03, 0x02, 0x01, // 0x01020304
		0x0D, 0x0C, 0x0B, 0x0A, // id 0x0A0B0C0D
		0xFF, 0x00, 0x00, 0x00, // 255
		0x00, 0x00, 0x00, 0x80, // MinInt32
		0xFF, 0xFF, 0xFF, 0x7F, // MaxInt32
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	}
	want := crc32.Checksum(canonical, crc32.MakeTable(crc32.Castagnoli))
	narrow := rowsOf(NewWidthLayout(2), ent{1, []int32{1, 2}}, ent{3, []int32{4, -1}})
	tests := []struct {
		name string
		rows *Rows
		want uint32
	}{
		{"nil", nil, 0},
		{"empty", NewRows(arena8, 4), 0},
		{"two entities", rows, want},
		// Pinned so a change of table or layout cannot go unnoticed.
		{"pinned", rows, 0x97F9BAFA},
		// Width 2: 12 bytes an entity.
		{"width 2", narrow, crc32.Checksum([]byte{1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF}, castagnoli)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Checksum(tt.rows); got != tt.want {
				t.Fatalf("Checksum = %#08x, want %#08x", got, tt.want)
			}
		})
	}
}

func TestChecksumOfWidth8MatchesFixedEntities(t *testing.T) {
	// Rows of width 8 hash exactly as the fixed entities of eight values
	// (kind first) did: this vector's value is the one that format pinned.
	rows := rowsOf(arena8,
		ent{1, []int32{1, 2, -1, 0, 0, 0, 0, 0x01020304}},
		ent{0x0A0B0C0D, []int32{1, math.MaxInt32}},
	)
	// A kind of MinInt32 is not valid in any layout, so the rows are
	// patched in place; Checksum does not look at kinds.
	rows.Row(1)[0] = math.MinInt32
	if got := Checksum(rows); got != 0xECCDD62C {
		t.Fatalf("Checksum = %#08x, want 0xeccdd62c", got)
	}
}

// canonicalBytes is the definition of the canonical encoding, written
// independently of checksumPortable.
func canonicalBytes(r *Rows) []byte {
	var b []byte
	for i := range r.Len() {
		b = binary.LittleEndian.AppendUint32(b, r.ID(i))
		for _, v := range r.Row(i) {
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		}
	}
	return b
}

func TestChecksumFastAndPortableAgree(t *testing.T) {
	// Every width, sizes across the portable path's chunks.
	for width := 1; width <= 1+MaxFields; width++ {
		g := newWorldGen(11, width)
		for step := range 30 {
			w := g.step()
			want := crc32.Checksum(canonicalBytes(w), castagnoli)
			if got := Checksum(w); got != want {
				t.Fatalf("width %d step %d: Checksum = %#08x, want %#08x", width, step, got, want)
			}
			if got := checksumPortable(w.data); got != want {
				t.Fatalf("width %d step %d: checksumPortable = %#08x, want %#08x", width, step, got, want)
			}
		}
	}
	for _, n := range []int{1, checksumChunk/9 - 1, checksumChunk / 9, checksumChunk/9 + 1, 3*checksumChunk + 5} {
		t.Run(fmt.Sprintf("entities=%d", n), func(t *testing.T) {
			r := NewRows(arena8, n)
			for k := range n {
				fields := r.Append(uint32(k+1), 1)
				for f := range fields {
					fields[f] = int32(k*31 - f*1000003)
				}
			}
			want := crc32.Checksum(canonicalBytes(r), castagnoli)
			if got := Checksum(r); got != want {
				t.Errorf("Checksum = %#08x, want %#08x", got, want)
			}
			if got := checksumPortable(r.data); got != want {
				t.Errorf("checksumPortable = %#08x, want %#08x", got, want)
			}
		})
	}
}

func TestChecksumSensitivity(t *testing.T) {
	a := ent{1, []int32{1, 10, 20}}
	b := ent{2, []int32{1, 30, 40}}
	ref := Checksum(rowsOf(arena8, a, b))
	tests := []struct {
		name string
		rows *Rows
	}{
		{"one entity dropped", rowsOf(arena8, a)},
		{"value changed", rowsOf(arena8, a, ent{2, []int32{1, 30, 41}})},
		{"kind changed", rowsOf(arena8, a, ent{2, []int32{2, 30, 40}})},
		{"id changed", rowsOf(arena8, a, ent{3, b.row})},
		{"rows moved between entities", rowsOf(arena8, ent{1, b.row}, ent{2, a.row})},
		{"wider rows", rowsOf(NewWidthLayout(9), a, b)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if Checksum(tt.rows) == ref {
				t.Fatalf("Checksum did not change")
			}
		})
	}
}

func TestChecksumFastPathApplies(t *testing.T) {
	// Every CPU the server targets is little-endian; if this fails, the
	// portable path runs and Checksum gets slower and allocates.
	if !nativeIsCanonical {
		t.Skip("big-endian CPU: the portable path is in use")
	}
	r := rowsOf(arena8, ent{1, []int32{1}})
	if n := testing.AllocsPerRun(100, func() { Checksum(r) }); n != 0 {
		t.Fatalf("Checksum allocates %v times per call", n)
	}
}
