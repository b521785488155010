package main

import (
	"math/rand/v2"
	"reflect"
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

// arenaRows builds an arena view from its entities, which must come in
// ascending id order.
func arenaRows(entities ...arenaEntity) *wire.Rows {
	rows := wire.NewRows(wire.NewLayout(arena.Schema), len(entities))
	for _, e := range entities {
		f := rows.Append(e.id, e.kind)
		if e.kind == arena.KindPlayer {
			f[arena.PlayerX], f[arena.PlayerY], f[arena.PlayerOwner] = e.x, e.y, int32(e.owner)
			if e.alive {
				f[arena.PlayerFlags] = arena.FlagAlive
			}
		} else {
			f[arena.ProjectileX], f[arena.ProjectileY], f[arena.ProjectileOwner] = e.x, e.y, int32(e.owner)
		}
	}
	return rows
}

// arenaEntity is one row of arenaRows.
type arenaEntity struct {
	id, kind, owner uint32
	x, y            int32
	alive           bool
}

func player(id, owner uint32, x, y int32, alive bool) arenaEntity {
	return arenaEntity{id: id, kind: arena.KindPlayer, owner: owner, x: x, y: y, alive: alive}
}

func shot(id, owner uint32, x, y int32) arenaEntity {
	return arenaEntity{id: id, kind: arena.KindProjectile, owner: owner, x: x, y: y}
}

// arenaView is the view of the bot whose entity is self in entities.
func arenaView(t *testing.T, self uint32, entities ...arenaEntity) *view {
	t.Helper()
	v := &view{}
	buildView(v, arena.Schema, arenaRows(entities...), self, self)
	if !v.haveSelf {
		t.Fatalf("no entity %d in the view", self)
	}
	return v
}

// checkInput fails the test unless values are a valid input of s: no more
// values than the schema's input has, each already within its field (so
// the server's clamping changes nothing).
func checkInput(t *testing.T, s *wire.Schema, values []int32) {
	t.Helper()
	if len(values) > len(s.Input) {
		t.Fatalf("input %v has %d values, the schema %d", values, len(values), len(s.Input))
	}
	for i, v := range values {
		if f := &s.Input[i]; f.Clamp(v) != v {
			t.Fatalf("input %v: %s = %d is outside the schema (clamps to %d)", values, f.Name, v, f.Clamp(v))
		}
	}
}

// arenaInput checks values against the arena's input schema and reads
// them.
func arenaInput(t *testing.T, values []int32) arena.Input {
	t.Helper()
	checkInput(t, arena.Schema, values)
	return arena.InputFromValues(values)
}

func TestBuildView(t *testing.T) {
	world := arenaRows(
		player(1, 1, 0, 0, true),
		player(2, 2, 100, 0, true), // self
		player(3, 3, 200, 0, false),
		player(4, 4, 300, 0, true),
		shot(9, 1, 0, 0),
	)
	var v view
	buildView(&v, arena.Schema, world, 2, 2)
	if !v.haveSelf || v.rows.ID(v.self) != 2 {
		t.Fatalf("self = index %d (have %v), want entity 2", v.self, v.haveSelf)
	}
	// Without an entity id from Joined, the owner field names the player's
	// entity, as client.Predicted finds it.
	buildView(&v, arena.Schema, world, 4, 0)
	if !v.haveSelf || v.rows.ID(v.self) != 4 {
		t.Fatalf("self by owner = index %d (have %v), want entity 4", v.self, v.haveSelf)
	}
	buildView(&v, arena.Schema, arenaRows(player(1, 1, 0, 0, true), player(3, 3, 200, 0, false)), 2, 2)
	if v.haveSelf {
		t.Error("self found in a world without it")
	}
	buildView(&v, arena.Schema, arenaRows(player(1, 1, 0, 0, true)), 2, 0)
	if v.haveSelf {
		t.Error("self found by owner in a world without it")
	}
}

// TestNearestPlayerSeesLiveOthers: a chaser's targets are the other live
// players only: never itself, a dead player or a projectile, however near.
func TestNearestPlayerSeesLiveOthers(t *testing.T) {
	tests := []struct {
		name   string
		world  []arenaEntity
		wantX  int32
		wantOK bool
	}{
		{"nearest live one", []arenaEntity{
			player(1, 1, 0, 0, true), player(2, 2, 100, 0, true), player(3, 3, 110, 0, false),
			player(4, 4, 300, 0, true), shot(9, 1, 101, 0),
		}, 0, true},
		{"past a dead one", []arenaEntity{
			player(1, 1, 0, 0, false), player(2, 2, 100, 0, true), player(3, 3, 110, 0, false),
			player(4, 4, 300, 0, true), shot(9, 1, 101, 0),
		}, 300, true},
		{"only the dead and shots", []arenaEntity{
			player(1, 1, 0, 0, false), player(2, 2, 100, 0, true), shot(9, 1, 101, 0),
		}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _, ok := nearestPlayer(arenaView(t, 2, tt.world...))
			if ok != tt.wantOK || x != tt.wantX {
				t.Errorf("nearest x %d (found %v), want %d (%v)", x, ok, tt.wantX, tt.wantOK)
			}
		})
	}
	if _, _, ok := nearestPlayer(&view{}); ok {
		t.Error("a bot without its own entity found a target")
	}
}

// TestChaseTurnsThenFires: a chaser turns toward the nearest live player at
// a bounded rate and fires only once aimed, while closing in.
func TestChaseTurnsThenFires(t *testing.T) {
	const hz = 30
	c := newChaseBrain(hz, rand.New(rand.NewPCG(1, 1)))
	// Near is straight "up" (bearing a quarter turn); far is farther away.
	v := arenaView(t, 1, player(1, 1, 0, 0, true), player(2, 2, 0, 10000, true), player(3, 3, 20000, 0, true))
	now := time.Unix(0, 0)
	quarter := int32(arena.AngleSteps / 4)
	fired := false
	for i := range hz {
		m := arenaInput(t, c.next(now.Add(time.Duration(i)*time.Second/hz), v))
		aimed := abs32(angleDiff(quarter, m.Aim)) <= chaseFireWithin
		if m.Buttons&arena.ButtonFire != 0 {
			fired = true
			if !aimed {
				t.Fatalf("input %d fired with aim %d, bearing %d", i, m.Aim, quarter)
			}
		}
		if i == 0 && m.Aim != c.maxTurn {
			t.Errorf("first aim %d, want one bounded turn step %d", m.Aim, c.maxTurn)
		}
		if m.MoveY <= 0 || m.MoveX != 0 {
			t.Errorf("input %d moves (%d, %d), want straight toward the nearest player", i, m.MoveX, m.MoveY)
		}
	}
	if !fired {
		t.Error("never fired within a second of aiming at a target a quarter turn away")
	}
	// Close by, it stands and shoots.
	v = arenaView(t, 1, player(1, 1, 0, 0, true), player(2, 2, 0, 10, true))
	if m := arenaInput(t, c.next(now.Add(2*time.Second), v)); m.MoveX != 0 || m.MoveY != 0 {
		t.Errorf("at close range moves (%d, %d), want standing", m.MoveX, m.MoveY)
	}
}

func TestChaseWandersWithoutTarget(t *testing.T) {
	c := newChaseBrain(30, rand.New(rand.NewPCG(1, 1)))
	m := arenaInput(t, c.next(time.Unix(0, 0), arenaView(t, 1, player(1, 1, 0, 0, true))))
	if m.Buttons != 0 || (m.MoveX == 0 && m.MoveY == 0) {
		t.Errorf("with nobody to chase: %+v, want wandering without firing", m)
	}
}

// TestWanderTurnsAboutOnceASecond counts direction changes over a minute of
// simulated inputs: about sixty, at full speed along the aim.
func TestWanderTurnsAboutOnceASecond(t *testing.T) {
	const hz = 30
	w := &wanderBrain{turn: turnTimer{rng: rand.New(rand.NewPCG(5, 5))}}
	start := time.Unix(0, 0)
	turns, prev := 0, int32(-1)
	for i := range 60 * hz {
		m := arenaInput(t, w.next(start.Add(time.Duration(i)*time.Second/hz), nil))
		if m.Aim != prev {
			turns++
			prev = m.Aim
		}
		speed := float64(m.MoveX)*float64(m.MoveX) + float64(m.MoveY)*float64(m.MoveY)
		if speed < 120*120 || speed > 2*127*127 || m.Buttons != 0 {
			t.Fatalf("input %d = %+v, want full speed and no fire", i, m)
		}
	}
	if turns < 50 || turns > 70 {
		t.Errorf("%d direction changes in 60 s, want about 60", turns)
	}
}

func TestIdleSendsNothing(t *testing.T) {
	if m := (idleBrain{}).next(time.Now(), nil); len(m) != 0 {
		t.Errorf("idle input = %v, want empty", m)
	}
}

// TestPlanIsSeeded: the same seed plans the same fleet; mixed draws every
// behaviour; chaos shares land near their probability.
func TestPlanIsSeeded(t *testing.T) {
	c := config{seed: 42, behavior: behaviorMixed, chaosSlow: 0.25, chaosGarbage: 0.1, modes: []string{""}}
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
	other := planBot(config{seed: 43, behavior: behaviorMixed, modes: []string{""}}, 0)
	if planBot(c, 0).rng.Uint64() == other.rng.Uint64() {
		t.Error("seeds 42 and 43 drew the same numbers")
	}
}

// TestPlanSpreadsModes: with -mode a,b bot i plays the i-th mode in turn,
// and a lone mode (or none, the server's default) is every bot's.
func TestPlanSpreadsModes(t *testing.T) {
	tests := []struct {
		modes []string
		want  []string // bots 0..len-1
	}{
		{[]string{""}, []string{"", "", ""}},
		{[]string{"drones"}, []string{"drones", "drones", "drones"}},
		{[]string{"arena", "drones"}, []string{"arena", "drones", "arena", "drones", "arena"}},
		{[]string{"drones", "arena", "arena"}, []string{"drones", "arena", "arena", "drones"}},
	}
	for _, tt := range tests {
		c := config{seed: 1, behavior: behaviorWander, modes: tt.modes}
		for i, want := range tt.want {
			if got := planBot(c, i).mode; got != want {
				t.Errorf("modes %q: bot %d plays %q, want %q", tt.modes, i, got, want)
			}
		}
	}
}

// TestNewBrainPerMode: each mode gets its own brains for each behaviour,
// and a mode tickbot does not know gets an idle one.
func TestNewBrainPerMode(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		mode, behavior string
		want           brain
	}{
		{"arena", behaviorWander, &wanderBrain{}},
		{"arena", behaviorChase, &chaseBrain{}},
		{"arena", behaviorIdle, idleBrain{}},
		{"drones", behaviorWander, &droneWanderBrain{}},
		{"drones", behaviorChase, &pilotBrain{}},
		{"drones", behaviorIdle, idleBrain{}},
		{"ctf", behaviorChase, idleBrain{}},
		{"", behaviorWander, idleBrain{}},
	}
	for _, tt := range tests {
		got := newBrain(tt.mode, tt.behavior, 30, rng, nil)
		if reflect.TypeOf(got) != reflect.TypeOf(tt.want) {
			t.Errorf("newBrain(%q, %q) = %T, want %T", tt.mode, tt.behavior, got, tt.want)
		}
	}
}
