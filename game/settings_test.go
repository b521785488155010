package game

import (
	"errors"
	"testing"
	"time"
)

func TestSettingsValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(s *Settings)
		setting string // "" = valid
		text    string // the error's text
	}{
		{"defaults", func(s *Settings) {}, "", ""},
		{"tick rate 0", func(s *Settings) { s.TickHz = 0 }, SettingTickHz, "tick rate 0: want 1 to 128"},
		{"tick rate too high", func(s *Settings) { s.TickHz = MaxTickHz + 1 }, SettingTickHz, "tick rate 129: want 1 to 128"},
		{"tick rate at the top", func(s *Settings) { s.TickHz, s.SnapshotHz = MaxTickHz, 32 }, "", ""},
		{"snapshot rate 0", func(s *Settings) { s.SnapshotHz = 0 }, SettingSnapshotHz, ""},
		{"snapshot rate above the tick rate", func(s *Settings) { s.SnapshotHz = 120 }, SettingSnapshotHz, ""},
		{"snapshot rate not a divisor", func(s *Settings) { s.SnapshotHz = 25 }, SettingSnapshotHz,
			"snapshot rate 25: want a divisor of the tick rate (60), so snapshots come at exactly that rate"},
		{"snapshot rate equal to the tick rate", func(s *Settings) { s.SnapshotHz = 60 }, "", ""},
		{"room size 0", func(s *Settings) { s.MaxPlayers = 0 }, SettingMaxPlayers, "room size 0: want 1 to 256"},
		{"room size too big", func(s *Settings) { s.MaxPlayers = MaxRoomSize + 1 }, SettingMaxPlayers, ""},
		{"room size at the top", func(s *Settings) { s.MaxPlayers = MaxRoomSize }, "", ""},
		{"min players 0", func(s *Settings) { s.MinPlayers = 0 }, SettingMinPlayers, ""},
		{"min players above the room size", func(s *Settings) { s.MinPlayers = 17 }, SettingMinPlayers, "min players 17: want 1 to the room size (16)"},
		{"min players at the room size", func(s *Settings) { s.MinPlayers = 16 }, "", ""},
		{"negative countdown", func(s *Settings) { s.Countdown = -time.Second }, SettingCountdown, "countdown -1s: want 0 or more"},
		{"no countdown", func(s *Settings) { s.Countdown = 0 }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			tt.edit(&s)
			err := s.Validate()
			if tt.setting == "" {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v", s, err)
				}
				return
			}
			var se *SettingError
			if !errors.As(err, &se) || se.Setting != tt.setting {
				t.Fatalf("Validate(%+v) = %v, want a SettingError about %s", s, err, tt.setting)
			}
			if tt.text != "" && err.Error() != tt.text {
				t.Errorf("error %q, want %q", err, tt.text)
			}
		})
	}
}

func TestDefaultSettings(t *testing.T) {
	want := Settings{TickHz: 60, SnapshotHz: 20, MaxPlayers: 16, MinPlayers: 1, Countdown: 3 * time.Second}
	if got := DefaultSettings(); got != want {
		t.Errorf("DefaultSettings() = %+v, want the arena-move scenario %+v", got, want)
	}
}
