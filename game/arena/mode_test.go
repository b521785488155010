package arena

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
)

func TestNewTakesItsOptions(t *testing.T) {
	fast := Options{MaxSpeed: 250}
	tests := []struct {
		name      string
		options   any
		wantSpeed int32
		wantErr   bool
	}{
		{"none", nil, DefaultOptions().MaxSpeed, false},
		{"a value", fast, 250, false},
		{"a pointer", &fast, 250, false},
		{"another type", "fast please", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(game.Config{TickHz: 60, SnapshotHz: 20, MaxPlayers: 4, Options: tt.options})
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "options of type string") {
					t.Fatalf("New = %v, want a refusal naming the type", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := g.(*Game).Options(); got.MaxSpeed != tt.wantSpeed || got.ScoreLimit != DefaultOptions().ScoreLimit {
				t.Errorf("options %+v, want max speed %d and the other defaults", got, tt.wantSpeed)
			}
		})
	}
}

func TestModeFlagsSetItsOptions(t *testing.T) {
	m := Mode("arena-x")
	if m.Name != "arena-x" || m.Settings != game.DefaultSettings() {
		t.Fatalf("mode %+v, want arena-x with the default settings", m)
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	m.Flags(fs, "arena-x.")
	for _, name := range []string{"match-duration", "score-limit", "max-speed", "acceleration", "fire-cooldown",
		"projectile-speed", "projectile-lifetime", "damage", "max-health", "respawn-delay"} {
		if fs.Lookup("arena-x."+name) == nil {
			t.Errorf("no flag -arena-x.%s", name)
		}
	}
	if f := fs.Lookup("arena-x.match-duration"); f != nil && f.DefValue != "5m0s" {
		t.Errorf("-arena-x.match-duration defaults to %q, want 5m0s", f.DefValue)
	}
	if err := fs.Parse([]string{"-arena-x.score-limit", "5", "-arena-x.respawn-delay", "500ms"}); err != nil {
		t.Fatal(err)
	}
	g, err := m.NewGame(game.Config{TickHz: 60, SnapshotHz: 20, MaxPlayers: 4})
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultOptions()
	want.ScoreLimit, want.RespawnDelay = 5, 500*time.Millisecond
	if got := g.(*Game).Options(); got != want {
		t.Errorf("options %+v, want %+v", got, want)
	}
	if other := Mode("arena-y").Options.(*Options); *other != DefaultOptions() {
		t.Errorf("another mode's options %+v changed with this one's flags", *other)
	}
}

func TestModeFlagsRefuse(t *testing.T) {
	for _, args := range [][]string{
		{"-arena.score-limit", "0"},
		{"-arena.max-speed", "-5"},
		{"-arena.max-speed", "100001"},
		{"-arena.damage", "ten"},
		{"-arena.fire-cooldown", "0s"},
		{"-arena.match-duration", "25h"},
		{"-arena.respawn-delay", "2"},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		Mode("arena").Flags(fs, "arena.")
		if err := fs.Parse(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
