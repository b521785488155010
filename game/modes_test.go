package game

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// fakeMode is a valid mode named name.
func fakeMode(name string) Mode {
	return Mode{Name: name, Schema: fakeSchema, New: func(Config) (Game, error) { return newFakeGame(), nil }, Settings: DefaultSettings()}
}

func TestModes(t *testing.T) {
	m := NewModes()
	m.Register(fakeMode("zeta"))
	slow := fakeMode("arena")
	slow.Settings.TickHz, slow.Settings.SnapshotHz = 30, 10
	m.Register(slow)
	if got := m.Names(); !slices.Equal(got, []string{"arena", "zeta"}) {
		t.Errorf("Names() = %v, want [arena zeta]", got)
	}
	if all := m.All(); len(all) != 2 || all[0].Name != "arena" || all[1].Name != "zeta" {
		t.Errorf("All() = %+v, want arena then zeta", all)
	}
	copied := m
	if mode, ok := copied.Lookup("arena"); !ok || mode.New == nil || mode.Settings.TickHz != 30 {
		t.Errorf("Lookup(arena) on a copy = %+v, %t: want the 30 Hz mode", mode, ok)
	}
	if _, ok := m.Lookup("nope"); ok {
		t.Error("Lookup(nope) found a mode")
	}
	var zero Modes
	if _, ok := zero.Lookup("arena"); ok || len(zero.Names()) != 0 || len(zero.All()) != 0 {
		t.Error("zero Modes is not empty")
	}
}

func TestModesRegisterPanics(t *testing.T) {
	with := func(edit func(*Mode)) Mode {
		m := fakeMode("arena")
		edit(&m)
		return m
	}
	tests := []struct {
		name string
		m    Modes
		mode Mode
		want string
	}{
		{"empty name", NewModes(), with(func(m *Mode) { m.Name = "" }), "mode name"},
		{"capitals", NewModes(), with(func(m *Mode) { m.Name = "Arena" }), "mode name"},
		{"a dot", NewModes(), with(func(m *Mode) { m.Name = "arena.v2" }), "mode name"},
		{"nil factory", NewModes(), with(func(m *Mode) { m.New = nil }), "nil factory"},
		{"bad settings", NewModes(), with(func(m *Mode) { m.Settings.SnapshotHz = 25 }), "snapshot rate 25"},
		{"duplicate", func() Modes { m := NewModes(); m.Register(fakeMode("arena")); return m }(), fakeMode("arena"), "twice"},
		{"zero catalogue", Modes{}, fakeMode("arena"), "NewModes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				p := recover()
				if p == nil {
					t.Fatal("Register did not panic")
				}
				if msg := panicText(p); !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want one about %q", msg, tt.want)
				}
			}()
			tt.m.Register(tt.mode)
		})
	}
}

func panicText(p any) string {
	if err, ok := p.(error); ok {
		return err.Error()
	}
	s, _ := p.(string)
	return s
}

func TestCheckModeName(t *testing.T) {
	for _, ok := range []string{"arena", "a", "arena-2", "ctf-fast", strings.Repeat("a", 32)} {
		if err := CheckModeName(ok); err != nil {
			t.Errorf("CheckModeName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "2arena", "-arena", "arena_x", "arena.x", "Arena", "aréna", strings.Repeat("a", 33)} {
		if CheckModeName(bad) == nil {
			t.Errorf("CheckModeName(%q) accepted", bad)
		}
	}
}

func TestModeNewGame(t *testing.T) {
	var got Config
	m := fakeMode("arena")
	m.Options = "the options"
	m.New = func(cfg Config) (Game, error) { got = cfg; return newFakeGame(), nil }
	if _, err := m.NewGame(Config{TickHz: 30, SnapshotHz: 10, MaxPlayers: 4, Seed: 7, Options: "ignored"}); err != nil {
		t.Fatal(err)
	}
	if want := (Config{TickHz: 30, SnapshotHz: 10, MaxPlayers: 4, Seed: 7, Options: "the options"}); got != want {
		t.Errorf("the factory got %+v, want %+v", got, want)
	}

	refused := errors.New("no")
	m.New = func(Config) (Game, error) { return nil, refused }
	if _, err := m.NewGame(Config{}); !errors.Is(err, refused) || !strings.Contains(err.Error(), "mode arena") {
		t.Errorf("NewGame = %v, want the refusal, naming the mode", err)
	}
	m.New = func(Config) (Game, error) { return nil, nil }
	if g, err := m.NewGame(Config{}); err == nil || g != nil {
		t.Errorf("NewGame with a factory returning nothing = %v, %v: want an error", g, err)
	}
}
