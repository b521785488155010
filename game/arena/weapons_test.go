package arena

import (
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// duel sets up shooter 1 at (400, 500) aiming +x at a stationary victim 2 at
// (600, 500), with a clear line between them.
func duel(t *testing.T, opts Options, extra int) *Game {
	t.Helper()
	g := newTestGame(t, game.Config{Seed: 7}, opts, 2+extra)
	place(t, g, 1, 400, 500)
	place(t, g, 2, 600, 500)
	for i := 0; i < extra; i++ {
		place(t, g, game.PlayerID(3+i), 100, 100+int64(i)*100)
	}
	return g
}

func TestShotsKillAndVictimRespawns(t *testing.T) {
	g := duel(t, Options{}, 0)
	shooter, victim := g.byPlayer[1].ent, g.byPlayer[2].ent
	g.ApplyInput(1, gameInput(Input{Buttons: ButtonFire}))
	var evs []wire.Event
	deathTick := -1
	for i := 0; i < 300 && deathTick < 0; i++ {
		g.Step(0)
		evs = g.DrainEvents(evs)
		if countEvents(evs, EventDeath) > 0 {
			deathTick = i
		}
	}
	if deathTick < 0 {
		t.Fatalf("victim never died; events %+v", evs)
	}
	g.ApplyInput(1, gameInput(Input{})) // cease fire
	want := []wire.Event{
		event(EventHit, shooter, victim, 25),
		event(EventHit, shooter, victim, 25),
		event(EventHit, shooter, victim, 25),
		event(EventHit, shooter, victim, 25),
		event(EventDeath, shooter, victim, 0),
		event(EventScore, shooter, 0, 1),
	}
	if len(evs) != len(want) {
		t.Fatalf("events = %+v, want %+v", evs, want)
	}
	for i := range want {
		if evs[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, evs[i], want[i])
		}
	}
	v := fieldsOf(t, g, 2)
	if v[PlayerFlags]&FlagAlive != 0 || v[PlayerHealth] != 0 {
		t.Errorf("victim after death: flags %b health %d", v[PlayerFlags], v[PlayerHealth])
	}
	if s := fieldsOf(t, g, 1)[PlayerScore]; s != 1 {
		t.Errorf("shooter score = %d, want 1", s)
	}
	// Respawn exactly RespawnDelay (2 s = 120 ticks) after the death tick.
	evs = evs[:0]
	respawnTicks := int(durationTicks(DefaultOptions().RespawnDelay, game.DefaultTickHz))
	for i := 1; i <= respawnTicks; i++ {
		g.Step(0)
		evs = g.DrainEvents(evs)
		alive := fieldsOf(t, g, 2)[PlayerFlags]&FlagAlive != 0
		if i < respawnTicks && (alive || len(evs) > 0) {
			t.Fatalf("%d ticks after death: alive=%v events %+v, want still dead", i, alive, evs)
		}
	}
	if len(evs) != 1 || evs[0] != event(EventRespawn, 0, victim, 0) {
		t.Errorf("events at respawn = %+v, want one respawn of %d", evs, victim)
	}
	v = fieldsOf(t, g, 2)
	if v[PlayerFlags]&FlagAlive == 0 || v[PlayerHealth] != 100 {
		t.Errorf("after respawn: flags %b health %d, want alive at 100", v[PlayerFlags], v[PlayerHealth])
	}
	if r := g.byPlayer[2]; r.deaths != 1 || g.byPlayer[1].kills != 1 {
		t.Errorf("victim deaths %d, shooter kills %d; want 1 and 1", r.deaths, g.byPlayer[1].kills)
	}
}

func TestFireCooldown(t *testing.T) {
	tests := []struct {
		name     string
		cooldown int // ms
		ticks    int
		want     int
	}{
		{"default 250 ms over 1 s", 0, 60, 4},
		{"100 ms over 1 s", 100, 60, 10},
		{"1 s over 1 s", 1000, 60, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{}
			if tt.cooldown > 0 {
				opts.FireCooldown = msDuration(tt.cooldown)
			}
			g := newTestGame(t, game.Config{Seed: 1}, opts, 1)
			place(t, g, 1, 100, 500)
			g.ApplyInput(1, gameInput(Input{Buttons: ButtonFire})) // aim 0: +x, open floor
			shots := 0
			for i := 0; i < tt.ticks; i++ {
				g.Step(0)
				if fieldsOf(t, g, 1)[PlayerFlags]&FlagFiring != 0 {
					shots++
				}
			}
			if shots != tt.want {
				t.Errorf("%d shots, want %d", shots, tt.want)
			}
			if n := len(g.projectiles); n != tt.want {
				t.Errorf("%d projectiles in flight, want %d", n, tt.want)
			}
		})
	}
}

func TestFireTapBetweenTicksCounts(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, Options{}, 1)
	place(t, g, 1, 100, 500)
	g.ApplyInput(1, seqInput(1, Input{Buttons: ButtonFire}))
	g.ApplyInput(1, seqInput(2, Input{}))
	g.Step(0)
	if len(g.projectiles) != 1 {
		t.Fatalf("%d projectiles after a tap, want 1", len(g.projectiles))
	}
	g.Step(0)
	if len(g.projectiles) != 1 {
		t.Errorf("%d projectiles a tick after a released tap, want still 1", len(g.projectiles))
	}
}

func TestProjectileDiesOnWallAndOutlivesOwner(t *testing.T) {
	g := duel(t, Options{}, 0)
	place(t, g, 2, 100, 900) // out of the line of fire
	g.ApplyInput(1, gameInput(Input{Buttons: ButtonFire, Aim: 0}))
	g.Step(0)
	g.ApplyInput(1, gameInput(Input{}))
	if len(g.projectiles) != 1 {
		t.Fatalf("%d projectiles, want 1", len(g.projectiles))
	}
	id := g.projectiles[0].id
	g.Leave(1)
	// The centre block's west face is 720 - 400 - 22 ≈ 300 units away:
	// 0.75 s at 400 units/s. It must survive its owner, then die there.
	for i := 0; i < 30; i++ {
		g.Step(0)
	}
	if len(g.projectiles) != 1 || g.projectiles[0].id != id {
		t.Fatalf("projectile gone before reaching the wall")
	}
	v := worldView(g)
	if last := v.Len() - 1; v.ID(last) != id || v.Kind(last) != KindProjectile || v.Fields(last)[ProjectileOwner] != 1 {
		t.Errorf("view's last entity %d (kind %d) %v, want projectile %d owned by player 1", v.ID(last), v.Kind(last), v.Fields(last), id)
	}
	for i := 0; i < 30; i++ {
		g.Step(0)
	}
	if len(g.projectiles) != 0 {
		t.Fatalf("projectile passed the wall: at x=%d", g.w.toGrid(g.projectiles[0].x)/PositionScale)
	}
}

// A shot whose shooter left still hits, and its events name no shooter:
// an entity that left is in nobody's view, so naming it would keep the
// events from everyone, the victim included.
func TestHitByShooterWhoLeftNamesNoShooter(t *testing.T) {
	g := duel(t, Options{Damage: 100}, 0)
	g.ApplyInput(1, gameInput(Input{Buttons: ButtonFire, Aim: 0}))
	g.Step(0)
	g.ApplyInput(1, gameInput(Input{}))
	g.Leave(1)
	victim := g.byPlayer[2].ent
	var events []wire.Event
	for i := 0; i < 60 && countEvents(events, EventDeath) == 0; i++ {
		g.Step(0)
		events = g.DrainEvents(events)
	}
	if countEvents(events, EventHit) != 1 || countEvents(events, EventDeath) != 1 {
		t.Fatalf("events %+v, want one hit and one death", events)
	}
	for _, e := range events {
		if (e.Kind == EventHit || e.Kind == EventDeath) && (e.Actor != 0 || e.Target != victim) {
			t.Errorf("%d event actor %d target %d, want actor 0 (the shooter left) and target %d", e.Kind, e.Actor, e.Target, victim)
		}
	}
}
