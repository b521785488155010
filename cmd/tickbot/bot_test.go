package main

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/wire"
)

func TestAngleDiff(t *testing.T) {
	tests := []struct {
		b, a, want int32
	}{
		{100, 0, 100},
		{0, 100, -100},
		{10, 4090, 16},   // across zero, counter-clockwise
		{4090, 10, -16},  // across zero, clockwise
		{2048, 0, 2048},  // half a turn: positive
		{3000, 0, -1096}, // shorter the other way
		{5, 5, 0},
	}
	for _, tt := range tests {
		if got := angleDiff(tt.b, tt.a); got != tt.want {
			t.Errorf("angleDiff(%d, %d) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func player(id uint32, owner int32, x, y int32, alive bool) wire.Entity {
	e := wire.Entity{ID: id}
	e.Set(wire.FieldKind, arena.KindPlayer)
	e.Set(wire.FieldX, x)
	e.Set(wire.FieldY, y)
	e.Set(wire.FieldOwner, owner)
	if alive {
		e.Set(wire.FieldFlags, arena.FlagAlive)
	}
	return e
}

func TestBuildView(t *testing.T) {
	shot := wire.Entity{ID: 9}
	shot.Set(wire.FieldKind, arena.KindProjectile)
	world := []wire.Entity{
		player(1, 1, 0, 0, true),
		player(2, 2, 100, 0, true), // self
		player(3, 3, 200, 0, false),
		player(4, 4, 300, 0, true),
		shot,
	}
	var v view
	buildView(&v, world, 2, 2)
	if !v.haveSelf || v.self.ID != 2 {
		t.Fatalf("self = %v (have %v), want entity 2", v.self.ID, v.haveSelf)
	}
	if len(v.others) != 2 || v.others[0].ID != 1 || v.others[1].ID != 4 {
		t.Errorf("others = %v, want the live players 1 and 4", v.others)
	}
	buildView(&v, world[2:], 2, 2)
	if v.haveSelf {
		t.Error("self found in a world without it")
	}
}

// TestChaseTurnsThenFires: a chaser turns toward the nearest live player at
// a bounded rate and fires only once aimed, while closing in.
func TestChaseTurnsThenFires(t *testing.T) {
	const hz = 30
	c := newChaseBrain(hz, rand.New(rand.NewPCG(1, 1)))
	self := player(1, 1, 0, 0, true)
	near := player(2, 2, 0, 10000, true) // straight "up": bearing a quarter turn
	far := player(3, 3, 20000, 0, true)  // farther away
	v := &view{self: self, haveSelf: true, others: []wire.Entity{far, near}}
	now := time.Unix(0, 0)
	quarter := int32(wire.AngleSteps / 4)
	fired := false
	for i := range hz {
		m := c.next(now.Add(time.Duration(i)*time.Second/hz), v)
		aimed := abs32(angleDiff(quarter, m.aim)) <= chaseFireWithin
		if m.buttons&arena.ButtonFire != 0 {
			fired = true
			if !aimed {
				t.Fatalf("input %d fired with aim %d, bearing %d", i, m.aim, quarter)
			}
		}
		if i == 0 && m.aim != c.maxTurn {
			t.Errorf("first aim %d, want one bounded turn step %d", m.aim, c.maxTurn)
		}
		if m.moveY <= 0 || m.moveX != 0 {
			t.Errorf("input %d moves (%d, %d), want straight toward the nearest player", i, m.moveX, m.moveY)
		}
	}
	if !fired {
		t.Error("never fired within a second of aiming at a target a quarter turn away")
	}
	// Close by, it stands and shoots.
	v.others = []wire.Entity{player(2, 2, 0, 10, true)}
	if m := c.next(now.Add(2*time.Second), v); m.moveX != 0 || m.moveY != 0 {
		t.Errorf("at close range moves (%d, %d), want standing", m.moveX, m.moveY)
	}
}

func TestChaseWandersWithoutTarget(t *testing.T) {
	c := newChaseBrain(30, rand.New(rand.NewPCG(1, 1)))
	m := c.next(time.Unix(0, 0), &view{self: player(1, 1, 0, 0, true), haveSelf: true})
	if m.buttons != 0 || (m.moveX == 0 && m.moveY == 0) {
		t.Errorf("with nobody to chase: %+v, want wandering without firing", m)
	}
}

// TestWanderTurnsAboutOnceASecond counts direction changes over a minute of
// simulated inputs: about sixty, at full speed along the aim.
func TestWanderTurnsAboutOnceASecond(t *testing.T) {
	const hz = 30
	w := &wanderBrain{rng: rand.New(rand.NewPCG(5, 5))}
	start := time.Unix(0, 0)
	turns, prev := 0, int32(-1)
	for i := range 60 * hz {
		m := w.next(start.Add(time.Duration(i)*time.Second/hz), nil)
		if m.aim != prev {
			turns++
			prev = m.aim
		}
		speed := float64(m.moveX)*float64(m.moveX) + float64(m.moveY)*float64(m.moveY)
		if speed < 120*120 || speed > 2*127*127 || m.buttons != 0 {
			t.Fatalf("input %d = %+v, want full speed and no fire", i, m)
		}
	}
	if turns < 50 || turns > 70 {
		t.Errorf("%d direction changes in 60 s, want about 60", turns)
	}
}

func TestIdleSendsNothing(t *testing.T) {
	if m := (idleBrain{}).next(time.Now(), nil); m != (move{}) {
		t.Errorf("idle input = %+v, want empty", m)
	}
}

// TestPlanIsSeeded: the same seed plans the same fleet; mixed draws every
// behaviour; chaos shares land near their probability.
func TestPlanIsSeeded(t *testing.T) {
	c := config{seed: 42, behavior: behaviorMixed, chaosSlow: 0.25, chaosGarbage: 0.1}
	counts := map[string]int{}
	slow, garbage := 0, 0
	const n = 2000
	for i := range n {
		a, b := planBot(c, i), planBot(c, i)
		if a.behavior != b.behavior || a.slow != b.slow || a.garbage != b.garbage || a.rng.Uint64() != b.rng.Uint64() {
			t.Fatalf("bot %d planned differently from the same seed", i)
		}
		counts[a.behavior]++
		if a.slow {
			slow++
		}
		if a.garbage {
			garbage++
		}
		if a.slow && a.garbage {
			t.Fatalf("bot %d is both slow and garbage", i)
		}
	}
	for beh, want := range map[string]float64{behaviorWander: 0.5, behaviorChase: 0.3, behaviorIdle: 0.2} {
		if got := float64(counts[beh]) / n; got < want-0.05 || got > want+0.05 {
			t.Errorf("mixed drew %.2f %s, want about %.2f", got, beh, want)
		}
	}
	if g := float64(garbage) / n; g < 0.07 || g > 0.13 {
		t.Errorf("garbage share %.3f, want about 0.1", g)
	}
	if s := float64(slow) / n; s < 0.19 || s > 0.27 { // 0.25 of the non-garbage bots
		t.Errorf("slow share %.3f, want about 0.225", s)
	}
	other := planBot(config{seed: 43, behavior: behaviorMixed}, 0)
	if planBot(c, 0).rng.Uint64() == other.rng.Uint64() {
		t.Error("seeds 42 and 43 drew the same numbers")
	}
}
