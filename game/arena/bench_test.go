package arena

import (
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// benchGame returns a full 16-player room with an endless match, so the
// world never freezes mid-benchmark, and a minute of scripted inputs with
// everyone moving (a new direction about once a second) and firing.
func benchGame(b *testing.B, opts Options) (*Game, [][]game.Input) {
	opts.MatchDuration, opts.ScoreLimit = 1000*time.Hour, 1<<30
	g := newTestGame(b, game.Config{TickHz: 60, MaxPlayers: 16, Seed: 1}, opts, 16)
	log := scriptedInputs(5, 16, 3600)
	for i := range log {
		for p := range log[i] {
			log[i][p].Values[InputButtons] = int32(ButtonFire)
		}
	}
	return g, log
}

// play applies tick's inputs of log and steps g once.
func play(g *Game, log [][]game.Input, tick int) {
	for p, in := range log[tick%len(log)] {
		g.ApplyInput(game.PlayerID(p+1), in)
	}
	g.Step(uint32(tick))
}

// BenchmarkArenaStep16 measures one 60 Hz Step of a full 16-player room with
// everyone moving and firing.
func BenchmarkArenaStep16(b *testing.B) {
	g, log := benchGame(b, Options{})
	tick := 0
	b.ReportAllocs()
	for b.Loop() {
		play(g, log, tick)
		tick++
	}
	b.StopTimer()
	if n := worldView(g).Len(); n < 16 {
		b.Fatalf("view has %d entities, want at least the 16 players", n)
	}
}

// BenchmarkArenaViews16 measures the views of one snapshot of a busy
// 16-player room: the world's alone without fog, and the world's plus
// every player's with a 300-unit fog radius.
func BenchmarkArenaViews16(b *testing.B) {
	for _, bc := range []struct {
		name string
		fog  int32
	}{{"nofog", 0}, {"fog300", 300}} {
		b.Run(bc.name, func(b *testing.B) {
			g, log := benchGame(b, Options{FogRadius: bc.fog})
			for tick := range 600 { // ten seconds: shots in flight everywhere
				play(g, log, tick)
			}
			rows := wire.NewRows(layout, 64)
			viewers := []game.PlayerID{game.Observer}
			if bc.fog > 0 {
				for p := range 16 {
					viewers = append(viewers, game.PlayerID(p+1))
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range viewers {
					rows.Reset()
					g.View(p, rows)
				}
			}
		})
	}
}
