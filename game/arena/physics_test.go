package arena

import (
	"errors"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
)

func TestTopSpeedIsExact(t *testing.T) {
	for _, hz := range []int{20, 30, 60, 128} {
		t.Run("", func(t *testing.T) {
			g := newTestGame(t, game.Config{TickHz: hz, Seed: 1}, Options{}, 1)
			place(t, g, 1, 100, 500)
			pl := g.byPlayer[1]
			g.ApplyInput(1, gameInput(right()))
			warm := hz/8 + 1 // 800 units/s² reaches 100 units/s in 1/8 s
			for i := 0; i < warm; i++ {
				g.Step(uint32(i))
			}
			if pl.body.vx != 100*velScale || pl.body.vy != 0 {
				t.Fatalf("%d Hz: velocity after %d ticks = (%d, %d), want (%d, 0)", hz, warm, pl.body.vx, pl.body.vy, 100*velScale)
			}
			x0 := fieldsOf(t, g, 1)[PlayerX]
			for i := 0; i < hz; i++ { // one second
				g.Step(0)
			}
			dx := fieldsOf(t, g, 1)[PlayerX] - x0
			if want := int32(100 * PositionScale); dx < want-1 || dx > want+1 {
				t.Errorf("%d Hz: moved %d grid units in 1 s, want %d±1", hz, dx, want)
			}
		})
	}
}

func TestDiagonalSpeedCapped(t *testing.T) {
	maxV := int64(100 * velScale)
	tests := []struct {
		name   string
		mx, my int32
	}{
		{"diagonal", 127, 127},
		{"steep", -30, 127},
		{"half", 64, 0},
		{"out of range", 500, -500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vx, vy := targetVelocity(Input{MoveX: tt.mx, MoveY: tt.my}, maxV)
			if s2 := vx*vx + vy*vy; s2 > maxV*maxV {
				t.Errorf("speed² %d exceeds max² %d", s2, maxV*maxV)
			}
			if tt.name == "diagonal" && vx != vy {
				t.Errorf("diagonal not symmetric: %d, %d", vx, vy)
			}
		})
	}
}

func TestWallsStopPlayers(t *testing.T) {
	tests := []struct {
		name   string
		hz     int
		speed  int32
		x, y   int64
		in     Input
		wantX  int32 // grid; -1 = don't care
		wantDY bool  // expect it to keep sliding in +y
	}{
		{"centre block", 60, 0, 640, 500, right(), (720 - PlayerRadius) * PositionScale, false},
		{"left border", 60, 0, 100, 100, Input{MoveX: -127}, PlayerRadius * PositionScale, false},
		// 2000 units/s at 10 Hz is 200 units a tick, five times the
		// 40-unit pillar: only substeps keep it from tunnelling.
		{"fast into thin pillar", 10, 2000, 100, 300, right(), (300 - PlayerRadius) * PositionScale, false},
		{"slides along a wall", 60, 0, 690, 440, Input{MoveX: 90, MoveY: 90}, (720 - PlayerRadius) * PositionScale, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGame(t, game.Config{TickHz: tt.hz, Seed: 1}, Options{MaxSpeed: tt.speed}, 1)
			place(t, g, 1, tt.x, tt.y)
			g.ApplyInput(1, gameInput(tt.in))
			y0 := fieldsOf(t, g, 1)[PlayerY]
			for i := 0; i < tt.hz; i++ { // one second: enough to arrive, too short to slide past the wall
				g.Step(0)
				x := fieldsOf(t, g, 1)[PlayerX]
				if tt.in.MoveX > 0 && x > tt.wantX || tt.in.MoveX < 0 && x < tt.wantX {
					t.Fatalf("tick %d: x = %d passed the wall at %d", i, x, tt.wantX)
				}
			}
			f := fieldsOf(t, g, 1)
			if x := f[PlayerX]; x != tt.wantX {
				t.Errorf("x = %d, want resting against the wall at %d", x, tt.wantX)
			}
			if dy := f[PlayerY] - y0; tt.wantDY && dy <= 0 {
				t.Errorf("did not slide: dy = %d", dy)
			}
		})
	}
}

func TestPlayersDoNotOverlap(t *testing.T) {
	tests := []struct {
		name        string
		ax, bx      int64
		ain, bin    Input
		wantMeeting bool
	}{
		{"head on", 400, 500, right(), Input{MoveX: -127}, true},
		{"stacked", 450, 450, Input{}, Input{}, true},
		{"chase", 400, 440, right(), right(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGame(t, game.Config{Seed: 1}, Options{}, 2)
			place(t, g, 1, tt.ax, 500)
			place(t, g, 2, tt.bx, 500)
			g.ApplyInput(1, gameInput(tt.ain))
			g.ApplyInput(2, gameInput(tt.bin))
			minD := int64(2 * PlayerRadius * PositionScale)
			tolerance := int64(PositionScale) // one world unit
			met := false
			for i := 0; i < 90; i++ {
				g.Step(0)
				a, b := fieldsOf(t, g, 1), fieldsOf(t, g, 2)
				dx := int64(b[PlayerX] - a[PlayerX])
				dy := int64(b[PlayerY] - a[PlayerY])
				d := fixed.Isqrt(dx*dx + dy*dy)
				if d < minD-tolerance {
					t.Fatalf("tick %d: players %d grid units apart, want ≥ %d", i, d, minD-tolerance)
				}
				if d <= minD+tolerance {
					met = true
				}
			}
			if tt.wantMeeting && !met {
				t.Errorf("players never touched; the test did not exercise separation")
			}
		})
	}
}

func TestJoinRefusals(t *testing.T) {
	g := newTestGame(t, game.Config{MaxPlayers: 2, Seed: 1}, Options{}, 2)
	tests := []struct {
		name string
		p    game.PlayerID
		want error
	}{
		{"full", 3, ErrFull},
		{"duplicate", 1, ErrAlreadyJoined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := g.Join(tt.p, "x"); !errors.Is(err, tt.want) {
				t.Errorf("Join(%d) = %v, want %v", tt.p, err, tt.want)
			}
		})
	}
	old := g.byPlayer[2].ent
	g.Leave(2)
	id, err := g.Join(3, "x")
	if err != nil {
		t.Fatalf("join after a leave: %v", err)
	}
	if id <= old {
		t.Errorf("new entity id %d not above earlier id %d", id, old)
	}
	if _, ok := worldView(g).Find(old); ok {
		t.Errorf("left player's entity %d still in view", old)
	}
}

func TestZeroConfigDefaults(t *testing.T) {
	g := NewWithOptions(game.Config{}, Options{})
	if c := g.Config(); c.TickHz != game.DefaultTickHz || c.MaxPlayers != game.DefaultMaxPlayers {
		t.Errorf("config = %+v, want defaults", c)
	}
	if g.Options() != DefaultOptions() {
		t.Errorf("options = %+v, want defaults", g.Options())
	}
}
