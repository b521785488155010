package drones

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// TestLongRandomRun plays 10,000 ticks of 24 seats with random raw inputs
// (unclamped values included), joins, leaves, disconnects, match starts
// and debug commands. It must never panic; views must always ascend (Append
// panics otherwise), hold each drone at most once and keep it in the box
// and under the boost speed; and every event must name entities that are
// still in the world when the next snapshot could carry it, unless they
// went with a Leave or a StartMatch (which clears the warm-up's cores).
func TestLongRandomRun(t *testing.T) {
	const (
		seats = 24
		ticks = 10000
	)
	r := rand.New(rand.NewPCG(77, 78))
	opts := Options{MatchDuration: endless.MatchDuration, CoreLimit: endless.CoreLimit, CoreCount: 12, ViewRadius: 500}
	g := NewWithOptions(game.Config{TickHz: 30, MaxPlayers: seats, Seed: 77}, opts)
	rows := wire.NewRows(Layout(), 64)
	joined := make([]bool, seats+1)
	raw := func() int32 {
		switch r.IntN(4) {
		case 0:
			return int32(r.Uint32())
		case 1:
			return []int32{math.MinInt32, -AxisMax, AxisMax, math.MaxInt32, AngleSteps - 1}[r.IntN(5)]
		}
		return int32(r.IntN(2*AxisMax+1)) - AxisMax
	}
	var pending []wire.Event
	gone := map[uint32]bool{} // entities removed by Leave or StartMatch
	kinds := map[uint32]int{}
	maxV := int64(g.opts.BoostSpeed) * velScale
	for tick := 1; tick <= ticks; tick++ {
		p := game.PlayerID(1 + r.IntN(seats))
		switch r.IntN(200) {
		case 0, 1:
			if !joined[p] {
				if _, err := g.Join(p, "p"); err != nil {
					t.Fatalf("tick %d: join %d: %v", tick, p, err)
				}
				joined[p] = true
			}
		case 2:
			if d, ok := g.byPlayer[p]; ok {
				gone[d.ent] = true
			}
			g.Leave(p)
			joined[p] = false
		case 3:
			g.Disconnected(p)
		case 4:
			if r.IntN(10) == 0 {
				for _, c := range g.cores {
					gone[c.id] = true
				}
				g.StartMatch(uint32(tick))
			}
		case 5:
			if _, err := g.HandleDebug([]string{"standings", "cores", "help"}[r.IntN(3)]); err != nil {
				t.Fatalf("debug: %v", err)
			}
		}
		for q := 1; q <= seats; q++ {
			if joined[q] && r.IntN(3) == 0 {
				var in game.Input
				for i := range in.Values {
					in.Values[i] = raw()
				}
				g.ApplyInput(game.PlayerID(q), in)
			}
		}
		g.Step(uint32(tick))
		n := len(pending)
		pending = g.DrainEvents(pending)
		for _, e := range pending[n:] {
			kinds[e.Kind]++
		}
		if tick%3 != 0 {
			continue
		}
		// A snapshot tick: every event of the last three ticks names
		// entities the observer still sees.
		rows.Reset()
		g.View(game.Observer, rows)
		for _, e := range pending {
			for _, id := range []uint32{e.Actor, e.Target} {
				if id != 0 && !has(rows, id) && !gone[id] {
					t.Fatalf("tick %d: event %+v names entity %d, which is gone", tick, e, id)
				}
			}
		}
		pending = pending[:0]
		checkRows(t, rows, maxV)
		for q := 1; q <= seats; q++ {
			rows.Reset()
			g.View(game.PlayerID(q), rows)
			checkRows(t, rows, maxV)
			if joined[q] && !has(rows, g.byPlayer[game.PlayerID(q)].ent) {
				t.Fatalf("tick %d: player %d does not see its own drone", tick, q)
			}
		}
	}
	t.Logf("events by kind: %v", kinds)
	for _, k := range []uint32{EventPickup, EventTag, EventCoreSpawn, EventDroneSpawn} {
		if kinds[k] == 0 {
			t.Errorf("no events of kind %d: the run does not exercise the rules", k)
		}
	}
}

// checkRows checks one view: kinds known, positions in the box, speeds
// under maxV.
func checkRows(t *testing.T, rows *wire.Rows, maxV int64) {
	t.Helper()
	hi := [3]int32{WorldX * PositionScale, WorldY * PositionScale, WorldZ * PositionScale}
	for i := range rows.Len() {
		f := rows.Fields(i)
		for a := range 3 {
			if f[a] < 0 || f[a] > hi[a] {
				t.Fatalf("entity %d at %v, outside the box", rows.ID(i), f[:3])
			}
		}
		switch rows.Kind(i) {
		case KindCore:
		case KindDrone:
			v := vec{int64(f[DroneVX]), int64(f[DroneVY]), int64(f[DroneVZ])}
			// The wire rounds each component: allow a step per axis.
			top := maxV*VelocityScale/velScale + 2
			if v.dot(v) > top*top {
				t.Fatalf("drone %d flies at %v (wire), over the boost speed", rows.ID(i), v)
			}
			if e := f[DroneEnergy]; e < 0 || e > EnergyMax {
				t.Fatalf("drone %d energy %d", rows.ID(i), e)
			}
		default:
			t.Fatalf("entity %d has kind %d", rows.ID(i), rows.Kind(i))
		}
	}
}
