package wire

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// arenaMove is the "arena-move" scenario at snapshot granularity: 16
// players in rows of width 8 (kind, x, y, angle, health, score, flags,
// owner), each moving 100 units/s at 8 grid units per unit, 20
// snapshots/s, changing direction and facing about once a second.
const (
	arenaPlayers      = 16
	arenaSnapshotHz   = 20
	arenaSpeed        = 100.0 // world units per second
	arenaSnapshots    = 2000  // 100 s of snapshots, cycled by the benchmarks
	arenaTurnEveryOne = 20    // a player turns on average once per this many snapshots
)

// arenaSchema is the reference game's player as a schema, with extra
// static fields to reach width.
func arenaSchema(width int) *Schema {
	fs := []Field{
		{Name: "x", Type: TypeFixed, Scale: 8, Interp: InterpLinear, Role: RolePositionX},
		{Name: "y", Type: TypeFixed, Scale: 8, Interp: InterpLinear, Role: RolePositionY},
		{Name: "angle", Type: TypeAngle, Scale: 4096, Interp: InterpAngle, Role: RoleYaw},
		{Name: "health", Type: TypeUint},
		{Name: "score", Type: TypeInt},
		{Name: "flags", Type: TypeFlags, Names: []string{"alive"}},
		{Name: "owner", Type: TypeUint, Role: RoleOwner},
	}
	for len(fs) < width-1 {
		fs = append(fs, Field{Name: fmt.Sprintf("extra%d", len(fs)), Type: TypeInt})
	}
	return &Schema{Entities: []EntityKind{{Kind: 1, Name: "player", Fields: fs[:width-1]}}}
}

// movingWorlds returns a deterministic sequence of quantized worlds of n
// players at the arena's speed and turning rate, in rows of width values
// (at least 8); fields past the arena's seven hold constants.
func movingWorlds(n, width, snapshots int) []*Rows {
	s := arenaSchema(width)
	l := NewLayout(s)
	x, y, a := &s.Entities[0].Fields[0], &s.Entities[0].Fields[1], &s.Entities[0].Fields[2]
	r := rand.New(rand.NewPCG(2024, 7))
	type player struct{ x, y, dir float64 }
	ps := make([]player, n)
	for k := range ps {
		ps[k] = player{x: r.Float64() * 1000, y: r.Float64() * 1000, dir: r.Float64() * 2 * math.Pi}
	}
	step := arenaSpeed / arenaSnapshotHz // 5 world units = 40 grid units
	worlds := make([]*Rows, snapshots)
	for i := range worlds {
		w := NewRows(l, n)
		for k := range ps {
			p := &ps[k]
			if r.IntN(arenaTurnEveryOne) == 0 {
				p.dir = r.Float64() * 2 * math.Pi
			}
			p.x += step * math.Cos(p.dir)
			p.y += step * math.Sin(p.dir)
			f := w.Append(uint32(k+1), 1)
			f[0], f[1] = x.Quantize(p.x), y.Quantize(p.y)
			f[2] = a.Quantize(p.dir) // facing follows movement
			f[3], f[4], f[5], f[6] = 100, 0, 1, int32(k+1)
			for e := 7; e < len(f); e++ {
				f[e] = int32(1000 * e)
			}
		}
		worlds[i] = w
	}
	return worlds
}

// reportArenaSizes reports the mean delta size over the whole sequence
// (independent of b.N): total, count header, mask-run column, and per
// moving player. Only the nChanged and nRemoved varints count as header;
// everything else, the mask runs included, is charged to the moving
// players: bytes/moving-entity = (delta bytes - header bytes) / players.
func reportArenaSizes(b *testing.B, worlds []*Rows) {
	var total, header, masks int
	var buf []byte
	players := worlds[0].Len()
	for i := 1; i < len(worlds); i++ {
		buf = EncodeDelta(buf[:0], worlds[i-1], worlds[i])
		l, err := scanDelta(buf, worlds[i].Width())
		if err != nil {
			b.Fatalf("snapshot %d: %v", i, err)
		}
		if l.nChanged != players || l.nRemoved != 0 {
			b.Fatalf("snapshot %d: %d changed, %d removed; want every player moving and no removals", i, l.nChanged, l.nRemoved)
		}
		total += len(buf)
		// The changed count ends where the id column starts.
		header += l.ids + len(binary.AppendUvarint(nil, uint64(l.nRemoved)))
		masks += l.values - l.masks
	}
	pairs := float64(len(worlds) - 1)
	b.ReportMetric(float64(total)/pairs, "delta-bytes")
	b.ReportMetric(float64(header)/pairs, "header-bytes")
	b.ReportMetric(float64(masks)/pairs, "mask-bytes")
	b.ReportMetric(float64(total-header)/pairs/float64(players), "bytes/moving-entity")
}

func BenchmarkEncodeDeltaArenaMove(b *testing.B) {
	worlds := movingWorlds(arenaPlayers, 8, arenaSnapshots)
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i%(len(worlds)-1) + 1
		buf = EncodeDelta(buf[:0], worlds[k-1], worlds[k])
	}
	// After the loop: ResetTimer (which b.Loop calls) drops reported metrics.
	reportArenaSizes(b, worlds)
}

func BenchmarkApplyDeltaArenaMove(b *testing.B) {
	worlds := movingWorlds(arenaPlayers, 8, arenaSnapshots)
	deltas := make([][]byte, len(worlds))
	for k := 1; k < len(worlds); k++ {
		deltas[k] = EncodeDelta(nil, worlds[k-1], worlds[k])
	}
	out := NewRows(worlds[0].Layout(), arenaPlayers)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i%(len(worlds)-1) + 1
		if err := ApplyDelta(out, worlds[k-1], deltas[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeSnapshotArenaMove is the codec's share of one snapshot
// of one room whose clients share one baseline: encode the delta, checksum
// the rows, write the shared fields and one player's frame.
func BenchmarkEncodeSnapshotArenaMove(b *testing.B) {
	worlds := movingWorlds(arenaPlayers, 8, arenaSnapshots)
	delta := make([]byte, 0, 256)
	shared := make([]byte, 0, 256)
	frame := make([]byte, 0, 256)
	events := [][]Event{{{Tick: 1, Kind: 1, Actor: 3, Target: 4, Values: [MaxEventValues]int32{-10}}}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i%(len(worlds)-1) + 1
		delta = EncodeDelta(delta[:0], worlds[k-1], worlds[k])
		f := SnapshotFields{Tick: uint32(i + 2), BaseTick: uint32(i + 1), ServerTimeUS: int64(i) * 50_000,
			Checksum: Checksum(worlds[k]), Delta: delta, Events: events}
		shared = f.AppendTo(shared[:0])
		frame = AppendSnapshotFrame(frame[:0], shared, uint32(i))
	}
	b.ReportMetric(float64(len(frame)), "frame-bytes")
}

func BenchmarkChecksum16(b *testing.B) {
	w := movingWorlds(arenaPlayers, 8, 1)[0]
	b.ReportAllocs()
	b.SetBytes(int64(4 * len(w.data)))
	for b.Loop() {
		Checksum(w)
	}
}

// benchSizes are the per-tick encode and apply benchmarks' worlds.
var benchSizes = []struct{ width, entities int }{
	{8, 16}, {8, 64}, {8, 256}, {13, 16}, {13, 64}, {13, 256},
}

// BenchmarkEncodeDelta encodes one snapshot per op of every entity moving
// as in arena, at widths 8 and 13 (five more constant fields).
func BenchmarkEncodeDelta(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(fmt.Sprintf("width=%d/entities=%d", sz.width, sz.entities), func(b *testing.B) {
			worlds := movingWorlds(sz.entities, sz.width, 200)
			buf := make([]byte, 0, 8*sz.entities)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				k := i%(len(worlds)-1) + 1
				buf = EncodeDelta(buf[:0], worlds[k-1], worlds[k])
			}
			b.ReportMetric(float64(len(buf)), "delta-bytes")
		})
	}
}

// BenchmarkApplyDelta applies the deltas of BenchmarkEncodeDelta.
func BenchmarkApplyDelta(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(fmt.Sprintf("width=%d/entities=%d", sz.width, sz.entities), func(b *testing.B) {
			worlds := movingWorlds(sz.entities, sz.width, 200)
			deltas := make([][]byte, len(worlds))
			for k := 1; k < len(worlds); k++ {
				deltas[k] = EncodeDelta(nil, worlds[k-1], worlds[k])
			}
			out := NewRows(worlds[0].Layout(), sz.entities)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				k := i%(len(worlds)-1) + 1
				if err := ApplyDelta(out, worlds[k-1], deltas[k]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSnapshotFrame is the frame building of one arena-move snapshot
// of one room whose 16 clients share a baseline: the shared fields written
// once around a delta already encoded, then one frame per client with its
// own last input sequence. The delta encode and checksum are left out
// (BenchmarkEncodeDelta, BenchmarkChecksum16).
func BenchmarkSnapshotFrame(b *testing.B) {
	worlds := movingWorlds(arenaPlayers, 8, 2)
	delta := EncodeDelta(nil, worlds[0], worlds[1])
	sum := Checksum(worlds[1])
	shared := make([]byte, 0, 256)
	frames := make([][]byte, arenaPlayers)
	for i := range frames {
		frames[i] = make([]byte, 0, 256)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f := SnapshotFields{Tick: uint32(i + 2), BaseTick: uint32(i + 1), ServerTimeUS: int64(i) * 50_000,
			Checksum: sum, Delta: delta}
		shared = f.AppendTo(shared[:0])
		for c := range frames {
			frames[c] = AppendSnapshotFrame(frames[c][:0], shared, uint32(3*i+c))
		}
	}
	b.ReportMetric(float64(len(frames[0])), "frame-bytes")
}
