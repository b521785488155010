package arena

import (
	"slices"
	"testing"

	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestReplayMatchesServer(t *testing.T) {
	// A lone player from a spawn point: exact grid start, at rest. The path
	// runs into the centre block and slides along it, so walls are covered.
	inputs := []Input{}
	for i := 0; i < 200; i++ {
		in := Input{MoveX: 127, MoveY: int32(i%50) - 25, Aim: int32(i * 7)}
		if i > 120 {
			in.MoveX, in.MoveY = 40, 127
		}
		inputs = append(inputs, in)
	}
	for _, hz := range []int{20, 60} {
		t.Run("", func(t *testing.T) {
			g := newTestGame(t, game.Config{TickHz: hz, Seed: 3}, Options{}, 1)
			place(t, g, 1, 640, 450)
			got := fieldsOf(t, g, 1)
			for i, in := range inputs {
				g.ApplyInput(1, seqInput(uint32(i+1), in))
				g.Step(uint32(i + 1))
			}
			want := fieldsOf(t, g, 1)
			v := NewPredictor(hz, Options{}).Replay(KindPlayer, got, Velocity{}, inputs)
			if !slices.Equal(got, want) {
				t.Errorf("%d Hz: predicted %v, server %v", hz, got, want)
			}
			pl := g.byPlayer[1]
			if v != (Velocity{X: int32(pl.body.vx), Y: int32(pl.body.vy)}) {
				t.Errorf("%d Hz: predicted velocity %+v, server (%d, %d)", hz, v, pl.body.vx, pl.body.vy)
			}
		})
	}
}

func TestPredictorWrapsAimLikeTheServer(t *testing.T) {
	// The server takes aim modulo AngleSteps (Input's schema field); a
	// Predictor fed an unwrapped aim must report the same angle.
	tests := []struct {
		aim, want int32
	}{
		{AngleSteps + 5, 5},
		{-1, AngleSteps - 1},
		{3 * AngleSteps, 0},
	}
	for _, tt := range tests {
		g := newTestGame(t, game.Config{TickHz: 60, Seed: 3}, Options{}, 1)
		place(t, g, 1, 640, 450)
		start := fieldsOf(t, g, 1)
		in := Input{MoveX: 127, Aim: tt.aim}
		g.ApplyInput(1, seqInput(1, in))
		g.Step(1)
		if got := fieldsOf(t, g, 1)[PlayerAngle]; got != tt.want {
			t.Fatalf("aim %d: server angle %d, want %d", tt.aim, got, tt.want)
		}
		pr := NewPredictor(60, Options{})
		replayed := slices.Clone(start)
		pr.Replay(KindPlayer, replayed, Velocity{}, []Input{in})
		stepped := slices.Clone(start)
		pr.Step(KindPlayer, stepped, 1, in)
		if replayed[PlayerAngle] != tt.want || stepped[PlayerAngle] != tt.want {
			t.Errorf("aim %d: Replay angle %d, Step angle %d, want %d", tt.aim, replayed[PlayerAngle], stepped[PlayerAngle], tt.want)
		}
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
				in := protoInput(seq, Input{MoveX: tt.mx, MoveY: tt.my})
				g.ApplyInput(1, seqInput(seq, InputFromValues(in.GetValues())))
				g.Step(seq)
				return in
			}
			for i := 0; i < 20; i++ { // reach steady speed
				step()
			}
			pred := fieldsOf(t, g, 1)
			for i := 0; i < 40; i++ {
				PredictPlayer(KindPlayer, pred, step(), 60)
			}
			want := fieldsOf(t, g, 1)
			dx := pred[PlayerX] - want[PlayerX]
			dy := pred[PlayerY] - want[PlayerY]
			if dx < -1 || dx > 1 || dy < -1 || dy > 1 {
				t.Errorf("after 40 inputs predicted is off by (%d, %d) grid units, want within 1", dx, dy)
			}
		})
	}
}

func TestPredictLeavesOthersAlone(t *testing.T) {
	in := protoInput(1, Input{MoveX: 127})
	tests := []struct {
		name   string
		kind   uint32
		fields []int32
	}{
		{"dead player", KindPlayer, []int32{PlayerX: 800, PlayerY: 800, PlayerOwner: 1}},
		{"projectile", KindProjectile, []int32{ProjectileX: 800, ProjectileY: 800, ProjectileOwner: 1}},
		{"short player row", KindPlayer, []int32{PlayerX: 800, PlayerY: 800}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.fields)
			PredictPlayer(tt.kind, got, in, 60)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("PredictPlayer changed %v to %v", tt.fields, got)
			}
			if v := NewPredictor(60, Options{}).Replay(tt.kind, got, Velocity{X: 5}, []Input{right()}); v != (Velocity{X: 5}) || !slices.Equal(got, tt.fields) {
				t.Errorf("Replay changed %v to %v, velocity to %+v", tt.fields, got, v)
			}
		})
	}
	alive := slices.Clone(tests[0].fields)
	alive[PlayerFlags] = FlagAlive
	f := PredictFunc(Options{MaxSpeed: 200})
	f(KindPlayer, alive, in, 60)
	if alive[PlayerX] <= tests[0].fields[PlayerX] {
		t.Errorf("PredictFunc did not move a living player right: %v", alive)
	}
}
