package catalog

import (
	"slices"
	"testing"

	"github.com/tickwire/tickwire/game"
)

func TestBuiltin(t *testing.T) {
	m := Builtin()
	if got := m.Names(); !slices.Equal(got, []string{"arena", "drones"}) {
		t.Fatalf("Names() = %v, want [arena drones]", got)
	}
	for _, mode := range m.All() {
		if err := mode.Settings.Validate(); err != nil {
			t.Errorf("mode %s: settings %+v: %v", mode.Name, mode.Settings, err)
		}
		if err := mode.Schema.Validate(); err != nil {
			t.Errorf("mode %s: schema: %v", mode.Name, err)
		}
		g, err := mode.NewGame(game.Config{TickHz: mode.Settings.TickHz, SnapshotHz: mode.Settings.SnapshotHz,
			MaxPlayers: mode.Settings.MaxPlayers, Seed: 1})
		if err != nil || g == nil {
			t.Errorf("mode %s: NewGame = %v, %v", mode.Name, g, err)
		}
	}
}
