package drones

import (
	"slices"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// busyGame returns a 64-drone game that has flown a few seconds of
// scripted inputs, and the inputs to go on with.
func busyGame(b *testing.B) (*Game, [][]Input) {
	g := newTestGame(b, game.Config{TickHz: 60, MaxPlayers: 64, Seed: 1}, endless, 64)
	log := scriptedInputs(5, 64, 3600)
	for tick := range 300 {
		for p, in := range log[tick] {
			g.ApplyInput(game.PlayerID(p+1), in.GameInput(uint32(tick+1)))
		}
		g.Step(uint32(tick + 1))
	}
	g.DrainEvents(nil)
	return g, log
}

// BenchmarkStep64 measures one 60 Hz Step of 64 drones flying scripted
// inputs (a new course about once a second, boosting in bursts).
func BenchmarkStep64(b *testing.B) {
	g, log := busyGame(b)
	var evs []wire.Event
	tick := 300
	b.ReportAllocs()
	for b.Loop() {
		for p, in := range log[tick%len(log)] {
			g.ApplyInput(game.PlayerID(p+1), in.GameInput(uint32(tick+1)))
		}
		g.Step(uint32(tick + 1))
		evs = g.DrainEvents(evs[:0])
		tick++
	}
}

// BenchmarkViews64 measures the 64 per-player views of one snapshot tick
// (view radius and line of sight on, the defaults).
func BenchmarkViews64(b *testing.B) {
	g, _ := busyGame(b)
	rows := wire.NewRows(Layout(), 128)
	seen := 0
	b.ReportAllocs()
	for b.Loop() {
		seen = 0
		for p := game.PlayerID(1); p <= 64; p++ {
			rows.Reset()
			g.View(p, rows)
			seen += rows.Len()
		}
	}
	b.ReportMetric(float64(seen)/64, "entities/view")
}

// BenchmarkDeltaBytes64 measures what the whole box costs on the wire at
// the mode's 15 snapshots a second (a snapshot every 4 ticks of 60 Hz):
// the observer's view of 64 flying drones and the cores, delta against the
// previous snapshot. It reports bytes per changed drone, the figure arena's
// BenchmarkEncodeDeltaArenaMove reports per moving player.
func BenchmarkDeltaBytes64(b *testing.B) {
	g, log := busyGame(b)
	tick := 300
	prev, cur := wire.NewRows(Layout(), 128), wire.NewRows(Layout(), 128)
	g.View(game.Observer, prev)
	var delta []byte
	var bytes, drones int
	b.ReportAllocs()
	for b.Loop() {
		for range 4 {
			for p, in := range log[tick%len(log)] {
				g.ApplyInput(game.PlayerID(p+1), in.GameInput(uint32(tick+1)))
			}
			g.Step(uint32(tick + 1))
			g.DrainEvents(nil)
			tick++
		}
		cur.Reset()
		g.View(game.Observer, cur)
		delta = wire.EncodeDelta(delta[:0], prev, cur)
		bytes += len(delta)
		for i := range cur.Len() {
			if j, ok := prev.Find(cur.ID(i)); cur.Kind(i) == KindDrone && (!ok || !slices.Equal(prev.Row(j), cur.Row(i))) {
				drones++
			}
		}
		prev, cur = cur, prev
	}
	if drones > 0 {
		b.ReportMetric(float64(bytes)/float64(drones), "bytes/changed-drone")
	}
	b.ReportMetric(float64(bytes)/float64(b.N), "delta-bytes")
}
