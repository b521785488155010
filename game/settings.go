package game

import (
	"fmt"
	"strconv"
	"time"
)

// Defaults and bounds of a mode's Settings. The defaults are the
// "arena-move" benchmark scenario; they are defined here and nowhere else.
const (
	// DefaultTickHz is the default simulation rate.
	DefaultTickHz = 60
	// DefaultSnapshotHz is the default snapshot rate.
	DefaultSnapshotHz = 20
	// DefaultMaxPlayers is the default number of seats of a room.
	DefaultMaxPlayers = 16
	// DefaultMinPlayers is the default number of seats that starts the
	// countdown: a player alone may play.
	DefaultMinPlayers = 1
	// DefaultCountdown is the default time from enough players to the
	// match start.
	DefaultCountdown = 3 * time.Second
	// MaxTickHz is the highest allowed simulation rate.
	MaxTickHz = 128
	// MaxRoomSize is the most seats a room may have.
	MaxRoomSize = 256
)

// Settings are the rates and sizes of the rooms of one game mode.
type Settings struct {
	// TickHz is the simulation rate, 1..MaxTickHz.
	TickHz int
	// SnapshotHz is the snapshot rate: a divisor of TickHz, so that a
	// snapshot every TickHz/SnapshotHz ticks comes at exactly this rate,
	// as the protocol promises.
	SnapshotHz int
	// MaxPlayers is the room size: the seats of a quick-play room, and the
	// most a created room may ask for; 1..MaxRoomSize.
	MaxPlayers int
	// MinPlayers is how many seats (connected or held) a room needs before
	// its countdown starts, 1..MaxPlayers.
	MinPlayers int
	// Countdown is the time from enough players to the match start,
	// rounded up to whole ticks; 0 starts the match at once.
	Countdown time.Duration
}

// DefaultSettings returns the settings of the "arena-move" scenario: 60 Hz
// ticks, 20 Hz snapshots, 16 seats, one player to start, a 3 s countdown.
func DefaultSettings() Settings {
	return Settings{
		TickHz:     DefaultTickHz,
		SnapshotHz: DefaultSnapshotHz,
		MaxPlayers: DefaultMaxPlayers,
		MinPlayers: DefaultMinPlayers,
		Countdown:  DefaultCountdown,
	}
}

// Names of the settings, as SettingError.Setting and GET /v1/modes name
// them.
const (
	SettingTickHz     = "tick_hz"
	SettingSnapshotHz = "snapshot_hz"
	SettingMaxPlayers = "max_players"
	SettingMinPlayers = "min_players"
	SettingCountdown  = "countdown"
)

// SettingError is the error Settings.Validate returns: which setting is out
// of range, its value and what it should be, so that a command line can
// name its own flag.
type SettingError struct {
	// Setting is one of the Setting* names.
	Setting string
	// Value is the refused value, as text.
	Value string
	// Want says what the setting must be, e.g. "1 to 128".
	Want string
}

// settingText names the settings in error messages.
var settingText = map[string]string{
	SettingTickHz:     "tick rate",
	SettingSnapshotHz: "snapshot rate",
	SettingMaxPlayers: "room size",
	SettingMinPlayers: "min players",
	SettingCountdown:  "countdown",
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("%s %s: want %s", settingText[e.Setting], e.Value, e.Want)
}

// Validate reports the first setting out of range as a *SettingError. It is
// the one check of a mode's settings: the command line runs it on its
// flags, Modes.Register on every mode and NewRoom on every room.
func (s Settings) Validate() error {
	bad := func(setting string, v int, want string) error {
		return &SettingError{Setting: setting, Value: strconv.Itoa(v), Want: want}
	}
	switch {
	case s.TickHz < 1 || s.TickHz > MaxTickHz:
		return bad(SettingTickHz, s.TickHz, fmt.Sprintf("1 to %d", MaxTickHz))
	case s.SnapshotHz < 1 || s.SnapshotHz > s.TickHz || s.TickHz%s.SnapshotHz != 0:
		return bad(SettingSnapshotHz, s.SnapshotHz, fmt.Sprintf("a divisor of the tick rate (%d), so snapshots come at exactly that rate", s.TickHz))
	case s.MaxPlayers < 1 || s.MaxPlayers > MaxRoomSize:
		return bad(SettingMaxPlayers, s.MaxPlayers, fmt.Sprintf("1 to %d", MaxRoomSize))
	case s.MinPlayers < 1 || s.MinPlayers > s.MaxPlayers:
		return bad(SettingMinPlayers, s.MinPlayers, fmt.Sprintf("1 to the room size (%d)", s.MaxPlayers))
	case s.Countdown < 0:
		return &SettingError{Setting: SettingCountdown, Value: s.Countdown.String(), Want: "0 or more"}
	}
	return nil
}
