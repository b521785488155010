package wire

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// arenaMove is the "arena-move" scenario at snapshot granularity: 16
// players at 100 units/s, 20 snapshots/s, each changing direction and
// facing about once a second.
const (
	arenaPlayers      = 16
	arenaSnapshotHz   = 20
	arenaSpeed        = 100.0 // world units per second
	arenaSnapshots    = 2000  // 100 s of snapshots, cycled by the benchmarks
	arenaTurnEveryOne = 20    // a player turns on average once per this many snapshots
)

// arenaWorlds returns a deterministic sequence of quantized arena worlds.
func arenaWorlds() [][]Entity {
	r := rand.New(rand.NewPCG(2024, 7))
	type player struct{ x, y, dir float64 }
	ps := make([]player, arenaPlayers)
	for k := range ps {
		ps[k] = player{x: r.Float64() * 1000, y: r.Float64() * 1000, dir: r.Float64() * 2 * math.Pi}
	}
	step := arenaSpeed / arenaSnapshotHz // 5 world units = 40 grid units
	worlds := make([][]Entity, arenaSnapshots)
	for i := range worlds {
		w := make([]Entity, arenaPlayers)
		for k := range ps {
			p := &ps[k]
			if r.IntN(arenaTurnEveryOne) == 0 {
				p.dir = r.Float64() * 2 * math.Pi
			}
			p.x += step * math.Cos(p.dir)
			p.y += step * math.Sin(p.dir)
			w[k] = Entity{ID: uint32(k + 1), Fields: [FieldCount]int32{
				FieldKind:   1,
				FieldX:      QuantizePosition(p.x),
				FieldY:      QuantizePosition(p.y),
				FieldAngle:  QuantizeAngle(p.dir), // facing follows movement
				FieldHealth: 100,
				FieldFlags:  1,
				FieldOwner:  int32(k + 1),
			}}
		}
		worlds[i] = w
	}
	return worlds
}

// reportArenaSizes reports the mean delta size over the whole sequence
// (independent of b.N): total, count header, mask-run column, and per
// moving player. Only the nChanged and nRemoved varints count as header;
// everything else, the mask runs included, is charged to the 16 moving
// players: bytes/moving-entity = (delta bytes - header bytes) / 16.
func reportArenaSizes(b *testing.B, worlds [][]Entity) {
	var total, header, masks int
	var buf []byte
	for i := 1; i < len(worlds); i++ {
		buf = EncodeDelta(buf[:0], worlds[i-1], worlds[i])
		l, err := scanDelta(buf)
		if err != nil {
			b.Fatalf("snapshot %d: %v", i, err)
		}
		if l.nChanged != arenaPlayers || l.nRemoved != 0 {
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
	b.ReportMetric(float64(total-header)/pairs/arenaPlayers, "bytes/moving-entity")
}

func BenchmarkEncodeDeltaArenaMove(b *testing.B) {
	worlds := arenaWorlds()
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
	worlds := arenaWorlds()
	deltas := make([][]byte, len(worlds))
	for k := 1; k < len(worlds); k++ {
		deltas[k] = EncodeDelta(nil, worlds[k-1], worlds[k])
	}
	out := make([]Entity, 0, arenaPlayers)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i%(len(worlds)-1) + 1
		var err error
		if out, err = ApplyDelta(out[:0], worlds[k-1], deltas[k]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChecksum16(b *testing.B) {
	w := arenaWorlds()[0]
	b.ReportAllocs()
	b.SetBytes(int64(len(w) * checksumEntityBytes))
	for b.Loop() {
		Checksum(w)
	}
}

// BenchmarkEncodeLatest is the server's per-snapshot codec cost for one
// room whose clients share one baseline: Push the new world, encode it
// against the previous snapshot, frame it for one player.
func BenchmarkEncodeLatest(b *testing.B) {
	worlds := arenaWorlds()
	h := NewHistory(arenaSnapshotHz) // one second
	frame := make([]byte, 0, 256)
	b.ReportAllocs()
	var shared []byte
	for i := 0; b.Loop(); i++ {
		tick := uint32(i + 1)
		h.Push(Snapshot{Tick: tick, ServerTimeUS: int64(tick) * 50_000, Entities: worlds[i%len(worlds)]})
		shared, _ = h.EncodeLatest(tick - 1)
		frame = AppendSnapshotFrame(frame[:0], shared, tick)
	}
	b.ReportMetric(float64(len(frame)), "frame-bytes")
}
