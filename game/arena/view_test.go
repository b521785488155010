package arena

import (
	"math"
	"slices"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// fogScene returns five players on open floor, with one shot of player 1
// (toward +x) and one of player 4 (toward -x) just fired, and the entity
// id of each shot:
//
//	1 (100, 500)   2 (300, 500)   5 (400, 501)        4 (1500, 500)
//	3 (100, 800)
//
// Player 3 is exactly 300 units from player 1; player 5 just over 300.
func fogScene(t *testing.T, opts Options) (g *Game, shot1, shot4 uint32) {
	t.Helper()
	g = newTestGame(t, game.Config{TickHz: 60, Seed: 1}, opts, 5)
	place(t, g, 1, 100, 500)
	place(t, g, 2, 300, 500)
	place(t, g, 3, 100, 800)
	place(t, g, 4, 1500, 500)
	place(t, g, 5, 400, 501)
	g.ApplyInput(1, gameInput(Input{Buttons: ButtonFire}))
	g.ApplyInput(4, gameInput(Input{Buttons: ButtonFire, Aim: AngleSteps / 2}))
	g.Step(1)
	for _, s := range g.projectiles {
		switch s.owner {
		case 1:
			shot1 = s.id
		case 4:
			shot4 = s.id
		}
	}
	if len(g.projectiles) != 2 || shot1 == 0 || shot4 == 0 {
		t.Fatalf("projectiles %+v, want one of player 1 and one of player 4", g.projectiles)
	}
	return g, shot1, shot4
}

func TestFogView(t *testing.T) {
	g, shot1, shot4 := fogScene(t, Options{FogRadius: 300})
	ent := func(p game.PlayerID) uint32 { return g.byPlayer[p].ent }
	world := worldView(g)
	if world.Len() != 7 {
		t.Fatalf("world view has %d entities, want 5 players and 2 shots", world.Len())
	}
	tests := []struct {
		name string
		p    game.PlayerID
		want []uint32
	}{
		{"observer sees everything", game.Observer, ids(world)},
		{"player 1: near ones and 3 at exactly the radius", 1, []uint32{ent(1), ent(2), ent(3), shot1}},
		{"player 2", 2, []uint32{ent(1), ent(2), ent(5), shot1}},
		{"player 3: 1 at exactly the radius", 3, []uint32{ent(1), ent(3)}},
		{"player 4: alone with its shot", 4, []uint32{ent(4), shot4}},
		{"player 5: 1 just out of reach", 5, []uint32{ent(2), ent(5), shot1}},
		{"a player not in the game sees everything", 99, ids(world)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			view := viewOf(g, tt.p)
			if got := ids(view); !slices.Equal(got, tt.want) {
				t.Fatalf("view ids %v, want %v", got, tt.want)
			}
			// Fog leaves entities out; it does not change the ones it keeps.
			for i := range view.Len() {
				j, _ := world.Find(view.ID(i))
				if !slices.Equal(view.Row(i), world.Row(j)) {
					t.Errorf("entity %d: row %v, world's %v", view.ID(i), view.Row(i), world.Row(j))
				}
			}
		})
	}
}

func TestFogViewAlwaysHoldsOwnAvatar(t *testing.T) {
	// A radius of one unit hides everyone else, even the shot just fired
	// 22 units away, but never the viewer itself, alive or dead.
	g, _, _ := fogScene(t, Options{FogRadius: 1})
	g.byPlayer[2].alive = false
	for p := game.PlayerID(1); p <= 5; p++ {
		if got, want := ids(viewOf(g, p)), []uint32{g.byPlayer[p].ent}; !slices.Equal(got, want) {
			t.Errorf("player %d sees %v, want only itself %v", p, got, want)
		}
	}
}

func TestFogRadiusBeyondTheArena(t *testing.T) {
	// A radius wider than the arena shows everything, however large: the
	// squared radius must not overflow, at any tick rate.
	for _, hz := range []int{60, maxTickHz} {
		for _, r := range []int32{ArenaWidth + ArenaHeight, 50_000, math.MaxInt32} {
			g := newTestGame(t, game.Config{TickHz: hz, Seed: 1}, Options{FogRadius: r}, 4)
			place(t, g, 1, 20, 20)
			place(t, g, 2, ArenaWidth-20, ArenaHeight-20)
			world := worldView(g)
			for p := game.PlayerID(1); p <= 4; p++ {
				if got := viewOf(g, p); !got.Equal(world) {
					t.Errorf("%d Hz, radius %d: player %d sees %v, want the world %v", hz, r, p, ids(got), ids(world))
				}
			}
		}
	}
}

func TestViewGroup(t *testing.T) {
	viewers := []game.PlayerID{game.Observer, 1, 2, 3, 4, 5, 99}
	t.Run("no fog: one group", func(t *testing.T) {
		g, _, _ := fogScene(t, Options{})
		for _, p := range viewers {
			if grp := g.ViewGroup(p); grp != 0 {
				t.Errorf("ViewGroup(%d) = %d, want 0", p, grp)
			}
			// One group means one view: everyone sees the world.
			if !viewOf(g, p).Equal(worldView(g)) {
				t.Errorf("player %d's view differs from the world's without fog", p)
			}
		}
	})
	t.Run("fog: one group each", func(t *testing.T) {
		g, _, _ := fogScene(t, Options{FogRadius: 300})
		seen := make(map[uint64]game.PlayerID)
		for _, p := range viewers {
			grp := g.ViewGroup(p)
			if q, dup := seen[grp]; dup {
				t.Errorf("players %d and %d share view group %d", q, p, grp)
			}
			seen[grp] = p
		}
	})
}

// TestViewSortedByID interleaves players and shots in id order (a player
// joins after shots were fired, another leaves) and builds every view:
// Rows.Append panics unless the ids ascend.
func TestViewSortedByID(t *testing.T) {
	for _, fog := range []int32{0, 300} {
		g := newTestGame(t, game.Config{TickHz: 60, Seed: 1}, Options{FogRadius: fog}, 3)
		place(t, g, 1, 100, 500)
		place(t, g, 2, 100, 800)
		place(t, g, 3, 1500, 500)
		fire := gameInput(Input{Buttons: ButtonFire})
		for p := game.PlayerID(1); p <= 3; p++ {
			g.ApplyInput(p, fire)
		}
		g.Step(1)
		if _, err := g.Join(4, "late"); err != nil {
			t.Fatal(err)
		}
		place(t, g, 4, 300, 700)
		g.ApplyInput(4, fire)
		g.Step(2)
		g.Leave(2)
		g.Step(3)
		world := worldView(g)
		if got := world.Len(); got != 3+len(g.projectiles) || len(g.projectiles) < 4 {
			t.Fatalf("fog %d: world has %d entities with %d shots, want 3 players and at least 4 shots", fog, got, len(g.projectiles))
		}
		if k := world.Kind(world.Len() - 1); k != KindProjectile {
			t.Fatalf("fog %d: last entity has kind %d; the late player's shot should come last", fog, k)
		}
		for _, p := range []game.PlayerID{game.Observer, 1, 3, 4} {
			view := viewOf(g, p)
			if got := ids(view); !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Errorf("fog %d: player %d's view ids %v not strictly ascending", fog, p, got)
			}
		}
	}
}

// TestViewDoesNotAllocate keeps the View path, which the room runs for
// every view group each snapshot, free of allocations once Rows has room.
func TestViewDoesNotAllocate(t *testing.T) {
	g, _, _ := fogScene(t, Options{FogRadius: 300})
	rows := wire.NewRows(layout, 16)
	allocs := testing.AllocsPerRun(100, func() {
		for p := game.PlayerID(0); p <= 5; p++ {
			rows.Reset()
			g.View(p, rows)
		}
	})
	if allocs != 0 {
		t.Errorf("View allocates %.1f times per round", allocs)
	}
}
