package drones

import (
	"math/rand/v2"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// scriptedInputs returns an input log for players drones: each changes its
// controls now and then and boosts in bursts.
func scriptedInputs(seed uint64, players, ticks int) [][]Input {
	r := rand.New(rand.NewPCG(seed, 1))
	log := make([][]Input, ticks)
	cur := make([]Input, players)
	for t := range log {
		for p := range cur {
			if r.IntN(45) == 0 {
				cur[p].Thrust = int32(r.IntN(2*AxisMax+1)) - AxisMax
				cur[p].Strafe = int32(r.IntN(2*AxisMax+1)) - AxisMax
				cur[p].Lift = int32(r.IntN(2*AxisMax+1)) - AxisMax
			}
			if r.IntN(20) == 0 {
				cur[p].Yaw = int32(r.IntN(AngleSteps))
				cur[p].Pitch = int32(r.IntN(AngleSteps))
			}
			if r.IntN(40) == 0 {
				cur[p].Buttons ^= ButtonBoost
			}
		}
		log[t] = append([]Input(nil), cur...)
	}
	return log
}

// trace is what a run shows: the observer view's checksum after every
// tick and every event.
type trace struct {
	sums   []uint32
	events []wire.Event
}

// firstDifference returns the first tick whose checksums differ, or -1.
func (a trace) firstDifference(b trace) int {
	for i := range min(len(a.sums), len(b.sums)) {
		if a.sums[i] != b.sums[i] {
			return i
		}
	}
	return -1
}

// runLog plays log on a fresh game of len(log[0]) drones.
func runLog(t *testing.T, seed int64, log [][]Input) trace {
	t.Helper()
	n := len(log[0])
	g := newTestGame(t, game.Config{Seed: seed}, endless, n)
	rows := wire.NewRows(Layout(), 64)
	var tr trace
	for tick, ins := range log {
		for p, in := range ins {
			g.ApplyInput(game.PlayerID(p+1), in.GameInput(uint32(tick+1)))
		}
		g.Step(uint32(tick + 1))
		rows.Reset()
		g.View(game.Observer, rows)
		tr.sums = append(tr.sums, wire.Checksum(rows))
		tr.events = g.DrainEvents(tr.events)
	}
	return tr
}

// runPilots plays n Pilot-driven drones for ticks: the inputs depend on
// the views, so any difference anywhere spreads.
func runPilots(t *testing.T, seed int64, n, ticks int) trace {
	t.Helper()
	g := newTestGame(t, game.Config{Seed: seed}, endless, n)
	rngs := pilotRNGs(uint64(seed), n)
	rows := wire.NewRows(Layout(), 64)
	var tr trace
	for range ticks {
		pilotStep(g, n, rngs, rows)
		rows.Reset()
		g.View(game.Observer, rows)
		tr.sums = append(tr.sums, wire.Checksum(rows))
		tr.events = g.DrainEvents(tr.events)
	}
	return tr
}

func TestDeterministicReplay(t *testing.T) {
	const ticks = 600
	log := scriptedInputs(42, 12, ticks)
	base := runLog(t, 9, log)

	// Drone 6 turns round and thrusts for a sixth of a second from tick 300.
	changed := make([][]Input, len(log))
	copy(changed, log)
	for i := 300; i < 310; i++ {
		changed[i] = append([]Input(nil), log[i]...)
		changed[i][5] = Input{Thrust: AxisMax, Yaw: log[i][5].Yaw + AngleSteps/2}
	}

	tests := []struct {
		name     string
		seed     int64
		log      [][]Input
		wantSame bool
	}{
		{"same seed and inputs", 9, log, true},
		{"different seed", 10, log, false},
		{"one input changed", 9, changed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runLog(t, tt.seed, tt.log)
			diff := base.firstDifference(got)
			if tt.wantSame {
				if diff >= 0 {
					t.Fatalf("checksums differ first at tick %d", diff)
				}
				if !equalEvents(got.events, base.events) {
					t.Fatalf("events differ")
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

func TestDeterministicPilots(t *testing.T) {
	const ticks = 1200
	a := runPilots(t, 5, 12, ticks)
	// The run must exercise the rules, or identical output proves little.
	for _, k := range []uint32{EventPickup, EventTag, EventCoreSpawn, EventDroneSpawn} {
		if countEvents(a.events, k) == 0 {
			t.Fatalf("the pilots' run produced no events of kind %d", k)
		}
	}
	b := runPilots(t, 5, 12, ticks)
	if d := a.firstDifference(b); d >= 0 || !equalEvents(a.events, b.events) {
		t.Fatalf("same seed: checksums differ first at tick %d (events equal %v)", d, equalEvents(a.events, b.events))
	}
	if c := runPilots(t, 6, 12, ticks); a.firstDifference(c) < 0 {
		t.Fatal("different seed: identical checksum sequence")
	}
}

func equalEvents(a, b []wire.Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
