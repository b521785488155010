package arena

import (
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestReplayMatchesServer(t *testing.T) {
	// A lone player from a spawn point: exact grid start, at rest. The path
	// runs into the centre block and slides along it, so walls are covered.
	inputs := []game.Input{}
	for i := 0; i < 200; i++ {
		in := game.Input{Seq: uint32(i + 1), MoveX: 127, MoveY: int32(i%50) - 25, Aim: int32(i * 7)}
		if i > 120 {
			in.MoveX, in.MoveY = 40, 127
		}
		inputs = append(inputs, in)
	}
	for _, hz := range []int{20, 60} {
		t.Run("", func(t *testing.T) {
			g := newTestGame(t, game.Config{TickHz: hz, Seed: 3}, Options{}, 1)
			place(t, g, 1, 640, 450)
			start := entityOf(t, g, 1)
			for i, in := range inputs {
				g.ApplyInput(1, in)
				g.Step(uint32(i + 1))
			}
			want := entityOf(t, g, 1)
			got, v := NewPredictor(hz, Options{}).Replay(start, Velocity{}, inputs)
			if got != want {
				t.Errorf("%d Hz: predicted %+v, server %+v", hz, got.Fields, want.Fields)
			}
			pl := g.byPlayer[1]
			if v != (Velocity{X: int32(pl.body.vx), Y: int32(pl.body.vy)}) {
				t.Errorf("%d Hz: predicted velocity %+v, server (%d, %d)", hz, v, pl.body.vx, pl.body.vy)
			}
		})
	}
}

func TestStepPredictsSteadyMotionWithoutDrift(t *testing.T) {
	tests := []struct {
		name   string
		mx, my int32
	}{
		{"right", 127, 0},
		{"diagonal", -90, 90},
		{"slow", 33, -71},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGame(t, game.Config{TickHz: 60, Seed: 3}, Options{}, 1)
			place(t, g, 1, 400, 650)
			seq := uint32(0)
			step := func() *pb.Input {
				seq++
				in := &pb.Input{Seq: seq, MoveX: tt.mx, MoveY: tt.my}
				g.ApplyInput(1, InputFromProto(in))
				g.Step(seq)
				return in
			}
			for i := 0; i < 20; i++ { // reach steady speed
				step()
			}
			pred := entityOf(t, g, 1)
			for i := 0; i < 40; i++ {
				pred = PredictPlayer(pred, step(), 60)
			}
			want := entityOf(t, g, 1)
			dx := pred.Fields[wire.FieldX] - want.Fields[wire.FieldX]
			dy := pred.Fields[wire.FieldY] - want.Fields[wire.FieldY]
			if dx < -1 || dx > 1 || dy < -1 || dy > 1 {
				t.Errorf("after 40 inputs predicted is off by (%d, %d) grid units, want within 1", dx, dy)
			}
		})
	}
}

func TestPredictLeavesOthersAlone(t *testing.T) {
	in := &pb.Input{Seq: 1, MoveX: 127}
	tests := []struct {
		name string
		e    wire.Entity
	}{
		{"dead player", wire.Entity{ID: 1, Fields: [wire.FieldCount]int32{KindPlayer, 800, 800, 0, 0, 0, 0, 1}}},
		{"projectile", wire.Entity{ID: 2, Fields: [wire.FieldCount]int32{KindProjectile, 800, 800, 0, 0, 0, 0, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PredictPlayer(tt.e, in, 60); got != tt.e {
				t.Errorf("PredictPlayer changed %+v to %+v", tt.e, got)
			}
		})
	}
	alive := tests[0].e
	alive.Fields[wire.FieldFlags] = FlagAlive
	f := PredictFunc(Options{MaxSpeed: 200})
	if got := f(alive, in, 60); got.Fields[wire.FieldX] <= alive.Fields[wire.FieldX] {
		t.Errorf("PredictFunc did not move a living player right: %+v", got.Fields)
	}
}
