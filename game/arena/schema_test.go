package arena

import (
	"math"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

func TestSchemaValid(t *testing.T) {
	if err := Schema.Validate(); err != nil {
		t.Fatalf("Schema.Validate: %v", err)
	}
	if w := Schema.Width(); w != 8 {
		t.Errorf("schema width %d, want 8 (kind + 7 player fields)", w)
	}
	if w := wire.NewLayout(Schema).Width(); w != 8 {
		t.Errorf("layout width %d, want 8", w)
	}
}

// TestSchemaNamesMatchIndexes checks every index constant against the
// schema's name at that index, so the code and the schema clients receive
// cannot drift apart.
func TestSchemaNamesMatchIndexes(t *testing.T) {
	kind := func(k uint32) []wire.Field {
		if e := Schema.Kind(k); e != nil {
			return e.Fields
		}
		t.Fatalf("schema has no entity kind %d", k)
		return nil
	}
	tests := []struct {
		list   string
		fields []wire.Field
		name   string
		index  int
	}{
		{"player", kind(KindPlayer), "x", PlayerX},
		{"player", kind(KindPlayer), "y", PlayerY},
		{"player", kind(KindPlayer), "angle", PlayerAngle},
		{"player", kind(KindPlayer), "health", PlayerHealth},
		{"player", kind(KindPlayer), "score", PlayerScore},
		{"player", kind(KindPlayer), "flags", PlayerFlags},
		{"player", kind(KindPlayer), "owner", PlayerOwner},
		{"projectile", kind(KindProjectile), "x", ProjectileX},
		{"projectile", kind(KindProjectile), "y", ProjectileY},
		{"projectile", kind(KindProjectile), "angle", ProjectileAngle},
		{"projectile", kind(KindProjectile), "owner", ProjectileOwner},
		{"input", Schema.Input, "buttons", InputButtons},
		{"input", Schema.Input, "move_x", InputMoveX},
		{"input", Schema.Input, "move_y", InputMoveY},
		{"input", Schema.Input, "aim", InputAim},
		{"results", Schema.Results, "kills", ResultKills},
		{"results", Schema.Results, "deaths", ResultDeaths},
	}
	for _, tt := range tests {
		if got := wire.FieldIndex(tt.fields, tt.name); got != tt.index {
			t.Errorf("%s field %q at index %d, want %d", tt.list, tt.name, got, tt.index)
		}
	}
	for _, e := range []struct {
		kind uint32
		name string
	}{{KindPlayer, "player"}, {KindProjectile, "projectile"}} {
		if k := Schema.KindNamed(e.name); k == nil || k.Kind != e.kind {
			t.Errorf("entity kind %q = %+v, want number %d", e.name, k, e.kind)
		}
	}
	for _, e := range []struct {
		kind uint32
		name string
	}{{EventHit, "hit"}, {EventDeath, "death"}, {EventScore, "score"}, {EventRespawn, "respawn"}} {
		if ev := Schema.Event(e.kind); ev == nil || ev.Name != e.name {
			t.Errorf("event kind %d = %+v, want %q", e.kind, ev, e.name)
		}
	}
	flags := kind(KindPlayer)[PlayerFlags].Names
	if len(flags) != 2 || flags[0] != "alive" || FlagAlive != 1<<0 || flags[1] != "firing" || FlagFiring != 1<<1 {
		t.Errorf("flag names %v do not match FlagAlive %b, FlagFiring %b", flags, FlagAlive, FlagFiring)
	}
	if b := Schema.Input[InputButtons].Names; len(b) != 1 || b[0] != "fire" || ButtonFire != 1<<0 {
		t.Errorf("button names %v do not match ButtonFire %b", b, ButtonFire)
	}
}

func TestInputFromValuesClampsLikeTheServer(t *testing.T) {
	tests := []struct {
		name   string
		values []int32
		want   Input
	}{
		{"none", nil, Input{}},
		{"in range", []int32{1, -127, 127, 4095}, Input{Buttons: ButtonFire, MoveX: -127, MoveY: 127, Aim: 4095}},
		{"short", []int32{1, 5}, Input{Buttons: ButtonFire, MoveX: 5}},
		{"extra values ignored", []int32{0, 0, 0, 0, 99, 99}, Input{}},
		{"move above range", []int32{0, 128, 1000}, Input{MoveX: 127, MoveY: 127}},
		{"move below range", []int32{0, -128, math.MinInt32}, Input{MoveX: -127, MoveY: -127}},
		{"move extremes", []int32{0, math.MaxInt32, math.MinInt32}, Input{MoveX: 127, MoveY: -127}},
		{"aim one turn", []int32{0, 0, 0, 4096}, Input{Aim: 0}},
		{"aim past a turn", []int32{0, 0, 0, 4096 + 5}, Input{Aim: 5}},
		{"aim negative", []int32{0, 0, 0, -1}, Input{Aim: 4095}},
		{"aim far negative", []int32{0, 0, 0, -3*4096 - 10}, Input{Aim: 4086}},
		{"aim max int", []int32{0, 0, 0, math.MaxInt32}, Input{Aim: math.MaxInt32 % 4096}},
		{"aim min int", []int32{0, 0, 0, math.MinInt32}, Input{Aim: 0}},
		{"unknown button bits", []int32{2 | 4 | 1<<30, 0, 0, 0}, Input{}},
		{"fire among unknown bits", []int32{-1, 0, 0, 0}, Input{Buttons: ButtonFire}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InputFromValues(tt.values); got != tt.want {
				t.Errorf("InputFromValues(%v) = %+v, want %+v", tt.values, got, tt.want)
			}
			var in game.Input
			copy(in.Values[:InputAim+1], tt.values)
			if got := InputOf(in); got != tt.want {
				t.Errorf("InputOf(%v) = %+v, want %+v", in.Values, got, tt.want)
			}
		})
	}
}

func TestInputValuesRoundTrip(t *testing.T) {
	for _, in := range []Input{
		{},
		{Buttons: ButtonFire, MoveX: -127, MoveY: 127, Aim: 4095},
		{MoveX: 33, MoveY: -71, Aim: 1024},
	} {
		v := in.Values()
		if len(v) != len(Schema.Input) {
			t.Errorf("%+v has %d values, want the schema's %d", in, len(v), len(Schema.Input))
		}
		if got := InputFromValues(v); got != in {
			t.Errorf("InputFromValues(%+v.Values()) = %+v", in, got)
		}
	}
}

func TestApplyInputClamps(t *testing.T) {
	// The room clamps inputs already; the arena must not rely on it, so a
	// raw out-of-range input moves and aims like its clamped self.
	raw := game.Input{Seq: 1}
	raw.Values[InputButtons] = 2 // no fire bit
	raw.Values[InputMoveX] = 1000
	raw.Values[InputAim] = AngleSteps + 7
	clamped := gameInput(Input{MoveX: MoveAxisMax, Aim: 7})

	g := newTestGame(t, game.Config{TickHz: 60, Seed: 1}, Options{}, 2)
	place(t, g, 1, 100, 500)
	place(t, g, 2, 100, 900)
	g.ApplyInput(1, raw)
	g.ApplyInput(2, clamped)
	for tick := uint32(1); tick <= 30; tick++ {
		g.Step(tick)
	}
	a, b := fieldsOf(t, g, 1), fieldsOf(t, g, 2)
	if a[PlayerAngle] != 7 || a[PlayerX] != b[PlayerX] || a[PlayerX] <= 100*PositionScale {
		t.Errorf("raw input gave angle %d x %d, clamped one angle %d x %d", a[PlayerAngle], a[PlayerX], b[PlayerAngle], b[PlayerX])
	}
	if len(g.projectiles) != 0 {
		t.Errorf("%d projectiles from an input without the fire bit", len(g.projectiles))
	}
}

func TestResultsSchemaMatchesValues(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, Options{}, 2)
	g.byPlayer[1].kills, g.byPlayer[1].deaths = 4, 2
	for _, r := range g.Standings() {
		if len(r.Values) != len(Schema.Results) {
			t.Errorf("player %d has %d result values, the schema names %d", r.Player, len(r.Values), len(Schema.Results))
		}
	}
	if _, err := g.HandleDebug("end"); err != nil {
		t.Fatal(err)
	}
	res, _ := g.Results()
	if res[0].Player != 1 || res[0].Values[ResultKills] != 4 || res[0].Values[ResultDeaths] != 2 {
		t.Errorf("results %+v, want player 1 first with 4 kills and 2 deaths", res)
	}
}
