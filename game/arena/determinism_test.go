package arena

import (
	"math/rand/v2"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// scriptedInputs returns a 16-player input log: each player changes its move
// and aim now and then and holds fire a third of the time.
func scriptedInputs(seed uint64, players, ticks int) [][]game.Input {
	r := rand.New(rand.NewPCG(seed, 1))
	log := make([][]game.Input, ticks)
	cur := make([]Input, players)
	for t := range log {
		log[t] = make([]game.Input, players)
		for p := range cur {
			if r.IntN(45) == 0 {
				cur[p].MoveX = int32(r.IntN(255)) - 127
				cur[p].MoveY = int32(r.IntN(255)) - 127
			}
			if r.IntN(20) == 0 {
				cur[p].Aim = int32(r.IntN(AngleSteps))
			}
			if r.IntN(30) == 0 {
				cur[p].Buttons ^= ButtonFire
			}
			log[t][p] = seqInput(uint32(t+1), cur[p])
		}
	}
	return log
}

// runLog plays log on a fresh 16-player game and returns the
// wire.Checksum of the view after every tick, plus every event.
func runLog(t *testing.T, seed int64, log [][]game.Input) ([]uint32, []wire.Event) {
	t.Helper()
	g := newTestGame(t, game.Config{TickHz: 60, MaxPlayers: 16, Seed: seed}, Options{}, 16)
	digests := make([]uint32, len(log))
	var evs []wire.Event
	view := wire.NewRows(layout, 64)
	for tick, ins := range log {
		for p, in := range ins {
			g.ApplyInput(game.PlayerID(p+1), in)
		}
		g.Step(uint32(tick + 1))
		view.Reset()
		g.View(game.Observer, view) // Rows.Append panics unless ids ascend
		for i := 1; i < view.Len(); i++ {
			if view.ID(i) <= view.ID(i-1) {
				t.Fatalf("tick %d: view not sorted by unique ID: %d after %d", tick, view.ID(i), view.ID(i-1))
			}
		}
		digests[tick] = wire.Checksum(view)
		evs = g.DrainEvents(evs)
	}
	return digests, evs
}

func firstDifference(a, b []uint32) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func TestDeterministicReplay(t *testing.T) {
	const ticks = 20 * 60
	log := scriptedInputs(42, 16, ticks)
	base, baseEvents := runLog(t, 9, log)

	// The run must exercise combat, or identical output proves little.
	for _, k := range []uint32{EventHit, EventDeath, EventScore, EventRespawn} {
		if countEvents(baseEvents, k) == 0 {
			t.Fatalf("scripted run produced no events of kind %d", k)
		}
	}

	changed := make([][]game.Input, len(log))
	copy(changed, log)
	changed[300] = append([]game.Input(nil), log[300]...)
	in := InputOf(changed[300][5])
	in.MoveX = -in.MoveX + 1
	changed[300][5] = seqInput(changed[300][5].Seq, in)

	tests := []struct {
		name     string
		seed     int64
		log      [][]game.Input
		wantSame bool
	}{
		{"same seed and inputs", 9, log, true},
		{"different seed", 10, log, false},
		{"one input changed", 9, changed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, evs := runLog(t, tt.seed, tt.log)
			diff := firstDifference(base, got)
			if tt.wantSame {
				if diff >= 0 {
					t.Fatalf("checksums differ first at tick %d", diff)
				}
				if len(evs) != len(baseEvents) {
					t.Fatalf("%d events, want %d", len(evs), len(baseEvents))
				}
				for i := range evs {
					if evs[i] != baseEvents[i] {
						t.Fatalf("event %d = %+v, want %+v", i, evs[i], baseEvents[i])
					}
				}
				return
			}
			if diff < 0 {
				t.Fatalf("identical checksum sequence; the change had no effect")
			}
			if tt.name == "one input changed" && diff < 300 {
				t.Errorf("runs differ at tick %d, before the changed input at 300", diff)
			}
		})
	}
}
