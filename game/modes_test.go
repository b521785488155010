package game

import (
	"slices"
	"testing"
)

func TestModes(t *testing.T) {
	m := NewModes()
	factory := func(Config) Game { return newFakeGame() }
	m.Register("zeta", fakeSchema, factory)
	m.Register("arena", fakeSchema, factory)
	if got := m.Names(); !slices.Equal(got, []string{"arena", "zeta"}) {
		t.Errorf("Names() = %v, want [arena zeta]", got)
	}
	copied := m
	if f, ok := copied.Lookup("arena"); !ok || f == nil {
		t.Error("Lookup(arena) on a copy found nothing")
	}
	if _, ok := m.Lookup("nope"); ok {
		t.Error("Lookup(nope) found a factory")
	}
	var zero Modes
	if _, ok := zero.Lookup("arena"); ok || len(zero.Names()) != 0 {
		t.Error("zero Modes is not empty")
	}
}

func TestModesRegisterPanics(t *testing.T) {
	factory := func(Config) Game { return newFakeGame() }
	tests := []struct {
		name string
		m    Modes
		mode string
		f    Factory
	}{
		{"empty name", NewModes(), "", factory},
		{"nil factory", NewModes(), "arena", nil},
		{"duplicate", func() Modes { m := NewModes(); m.Register("arena", fakeSchema, factory); return m }(), "arena", factory},
		{"zero registry", Modes{}, "arena", factory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Register did not panic")
				}
			}()
			tt.m.Register(tt.mode, fakeSchema, tt.f)
		})
	}
}
