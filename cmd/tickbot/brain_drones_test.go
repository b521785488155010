package main

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/drones"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
)

// droneRows builds a drones view: the drone self at (x, y, z) world units,
// and a free core at (cx, cy, cz).
func droneRows(self uint32, x, y, z, cx, cy, cz int32) *wire.Rows {
	rows := wire.NewRows(drones.Layout(), 2)
	f := rows.Append(self, drones.KindDrone)
	f[drones.DroneX], f[drones.DroneY], f[drones.DroneZ] = x*drones.PositionScale, y*drones.PositionScale, z*drones.PositionScale
	f[drones.DroneEnergy], f[drones.DroneOwner] = drones.EnergyMax, int32(self)
	c := rows.Append(self+1, drones.KindCore)
	c[drones.CoreX], c[drones.CoreY], c[drones.CoreZ] = cx*drones.PositionScale, cy*drones.PositionScale, cz*drones.PositionScale
	c[drones.CoreValue] = 1
	return rows
}

// dronesInput checks values against the drones' input schema and reads
// them.
func dronesInput(t *testing.T, values []int32) drones.Input {
	t.Helper()
	checkInput(t, drones.Schema, values)
	if len(values) != len(drones.Schema.Input) {
		t.Fatalf("drones input %v: want all %d values", values, len(drones.Schema.Input))
	}
	return drones.InputFromValues(values)
}

// TestDroneWanderCruises: wander flies level at full thrust, without
// boosting, in a heading it changes about once a second.
func TestDroneWanderCruises(t *testing.T) {
	const hz = 30
	w := newDronesBrain(behaviorWander, rand.New(rand.NewPCG(5, 5)))
	if w.wantsView() {
		t.Error("a cruising drone asks for the view it never reads")
	}
	start := time.Unix(0, 0)
	turns, prev := 0, int32(-1)
	for i := range 60 * hz {
		in := dronesInput(t, w.next(start.Add(time.Duration(i)*time.Second/hz), nil))
		if in.Yaw != prev {
			turns++
			prev = in.Yaw
		}
		if in != (drones.Input{Thrust: drones.AxisMax, Yaw: in.Yaw}) {
			t.Fatalf("input %d = %+v, want full thrust, level, no boost", i, in)
		}
	}
	if turns < 50 || turns > 70 {
		t.Errorf("%d heading changes in 60 s, want about 60", turns)
	}
}

// TestPilotBrainFliesThePilot: chase sends what drones.Pilot decides for
// the bot's own drone in its view, drawing from the bot's random source;
// before its drone is in view it sends nothing.
func TestPilotBrainFliesThePilot(t *testing.T) {
	br := newDronesBrain(behaviorChase, rand.New(rand.NewPCG(7, 7)))
	if !br.wantsView() {
		t.Fatal("the pilot does not ask for the view it flies by")
	}
	if got := br.next(time.Unix(0, 0), &view{}); len(got) != 0 {
		t.Errorf("without its drone in view: %v, want nothing", got)
	}
	same := rand.New(rand.NewPCG(7, 7))
	for _, tt := range []struct {
		name     string
		rows     *wire.Rows
		climbing bool
	}{
		// Clear of every pillar (game/drones/mapdata.go).
		{"core ahead, level", droneRows(3, 700, 300, 200, 900, 300, 200), false},
		{"core above", droneRows(3, 700, 300, 100, 700, 320, 400), true},
		{"core behind", droneRows(3, 700, 300, 200, 300, 300, 200), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var v view
			buildView(&v, drones.Schema, tt.rows, 9, 3)
			values := br.next(time.Unix(0, 0), &v)
			in := dronesInput(t, values)
			if want := drones.Pilot(3, tt.rows, same); in != want {
				t.Errorf("input %+v, want the pilot's %+v", in, want)
			}
			if in.Thrust != drones.AxisMax {
				t.Errorf("thrust %d toward a free core, want full", in.Thrust)
			}
			if up := in.Pitch > 0 && in.Pitch <= drones.PitchLimit; up != tt.climbing {
				t.Errorf("pitch %d, want climbing %v", in.Pitch, tt.climbing)
			}
		})
	}
}

// TestDronesBrainsMoveADrone plays each drones brain through tickbot's own
// loop (render the view, decide, send) against a real server: every input
// it sends is a valid drones input, and its drone really flies, moving over
// one second of the room's ticks.
func TestDronesBrainsMoveADrone(t *testing.T) {
	modes := game.NewModes()
	modes.Register(arena.Mode("arena"))
	d := drones.Mode("drones")
	d.Settings.Countdown = 0 // the match, and flying, start at once
	modes.Register(d)
	url := startServerModes(t, modes, nil)
	for _, behavior := range []string{behaviorWander, behaviorChase} {
		t.Run(behavior, func(t *testing.T) {
			moved := flyDrone(t, url, behavior)
			t.Logf("%s: moved %.1f units in a second", behavior, moved)
			// Full thrust for a second covers well over this, from rest.
			if moved < 20 {
				t.Errorf("the %s bot's drone moved %.1f units in a second of play, want at least 20", behavior, moved)
			}
		})
	}
}

// flyDrone seats one bot playing behavior in a drones room at url and
// plays it until its drone has flown for one second of ticks (TickHz
// ticks) since it was first seen; it returns how far the drone moved, in
// world units.
func flyDrone(t *testing.T, url, behavior string) float64 {
	t.Helper()
	const inputHz = 30
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // only turns a hang into a failure
	defer cancel()
	c, err := client.Dial(ctx, client.ClientConfig{URL: url, Name: "pilot-" + behavior, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	j, err := c.Join(ctx, "drones", "")
	if err != nil {
		t.Fatal(err)
	}
	if j.GetMode() != "drones" {
		t.Fatalf("joined mode %q, want drones", j.GetMode())
	}
	br := newBrain(j.GetMode(), behavior, inputHz, rand.New(rand.NewPCG(3, 4)), nil)
	var (
		v         view
		world     *wire.Rows
		firstTick uint32
		from      [3]int32
	)
	tick := time.NewTicker(time.Second / inputHz)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			t.Fatalf("the drone was not seen flying for a second: %v", ctx.Err())
		case <-c.Done():
			t.Fatalf("connection ended: %v", c.Err())
		case now := <-tick.C:
			if br.wantsView() {
				world = c.Interpolated(now, world)
				buildView(&v, c.Schema(), world, j.GetPlayerId(), j.GetEntityId())
			}
			values := br.next(now, &v)
			checkInput(t, c.Schema(), values)
			if _, err := c.SendInput(values...); err != nil {
				t.Fatal(err)
			}
		}
		at, rows := c.State()
		i, ok := client.OwnEntity(c.Schema(), rows, j.GetEntityId(), j.GetPlayerId())
		if !ok {
			continue
		}
		f := rows.Fields(i)
		pos := [3]int32{f[drones.DroneX], f[drones.DroneY], f[drones.DroneZ]}
		switch {
		case firstTick == 0:
			firstTick, from = at, pos
		case at >= firstTick+j.GetTickHz():
			dx, dy, dz := float64(pos[0]-from[0]), float64(pos[1]-from[1]), float64(pos[2]-from[2])
			return math.Sqrt(dx*dx+dy*dy+dz*dz) / drones.PositionScale
		}
	}
}
