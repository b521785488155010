package arena

import (
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// BenchmarkArenaStep16 measures one 60 Hz Step of a full 16-player room with
// everyone moving (a new direction about once a second) and firing.
func BenchmarkArenaStep16(b *testing.B) {
	// An endless match, so the world never freezes mid-benchmark.
	g := newTestGame(b, game.Config{TickHz: 60, MaxPlayers: 16, Seed: 1},
		Options{MatchDuration: 1000 * time.Hour, ScoreLimit: 1 << 30}, 16)
	log := scriptedInputs(5, 16, 3600)
	for i := range log {
		for p := range log[i] {
			log[i][p].Buttons = ButtonFire
		}
	}
	var view []wire.Entity
	tick := 0
	b.ReportAllocs()
	for b.Loop() {
		ins := log[tick%len(log)]
		for p, in := range ins {
			g.ApplyInput(game.PlayerID(p+1), in)
		}
		g.Step(uint32(tick))
		tick++
	}
	b.StopTimer()
	view = g.View(view[:0])
	if len(view) < 16 {
		b.Fatalf("view has %d entities, want at least the 16 players", len(view))
	}
}
