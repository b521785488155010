package catalog

import (
	"slices"
	"testing"

	"github.com/tickwire/tickwire/game"
)

func TestBuiltin(t *testing.T) {
	m := Builtin()
	if got := m.Names(); !slices.Equal(got, []string{"arena"}) {
		t.Fatalf("Names() = %v, want [arena]", got)
	}
	for _, mode := range m.All() {
		if mode.Settings != game.DefaultSettings() {
			t.Errorf("mode %s: settings %+v, want the defaults", mode.Name, mode.Settings)
		}
		g, err := mode.NewGame(game.Config{TickHz: mode.Settings.TickHz, SnapshotHz: mode.Settings.SnapshotHz,
			MaxPlayers: mode.Settings.MaxPlayers, Seed: 1})
		if err != nil || g == nil {
			t.Errorf("mode %s: NewGame = %v, %v", mode.Name, g, err)
		}
	}
}
