package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/game"
)

// settingFlags names the flag of each mode setting, after "<mode>.".
var settingFlags = map[string]string{
	game.SettingTickHz:     "tick-hz",
	game.SettingSnapshotHz: "snapshot-hz",
	game.SettingMaxPlayers: "room-size",
	game.SettingMinPlayers: "min-players",
	game.SettingCountdown:  "countdown",
}

// defineModeFlags defines, for every mode of catalogue, the flags of its
// room settings (-<mode>.tick-hz, -snapshot-hz, -room-size, -min-players,
// -countdown) and, through its Flags hook, those of its own options. It
// returns the modes, whose settings the flags edit in place (their options
// are the mode's own to set), and the sections of -h that list the flags.
func defineModeFlags(fs *flag.FlagSet, catalogue game.Modes) ([]*game.Mode, []cli.Section) {
	var modes []*game.Mode
	var sections []cli.Section
	for _, m := range catalogue.All() {
		s := &m.Settings
		name := func(setting string) string { return m.Name + "." + settingFlags[setting] }
		fs.IntVar(&s.TickHz, name(game.SettingTickHz), s.TickHz,
			fmt.Sprintf("simulation ticks per second of a room (1-%d)", game.MaxTickHz))
		fs.IntVar(&s.SnapshotHz, name(game.SettingSnapshotHz), s.SnapshotHz,
			fmt.Sprintf("snapshots per second, a divisor of -%s", name(game.SettingTickHz)))
		fs.IntVar(&s.MaxPlayers, name(game.SettingMaxPlayers), s.MaxPlayers,
			fmt.Sprintf("players per room (1-%d); a created room may ask for fewer, down to -%s", game.MaxRoomSize, name(game.SettingMinPlayers)))
		fs.IntVar(&s.MinPlayers, name(game.SettingMinPlayers), s.MinPlayers,
			fmt.Sprintf("players a room needs before its countdown starts (1 to -%s)", name(game.SettingMaxPlayers)))
		fs.DurationVar(&s.Countdown, name(game.SettingCountdown), s.Countdown,
			"countdown from enough players to the match start (0s = none)")
		rooms := cli.Section{Title: fmt.Sprintf("Mode %s, room settings", m.Name)}
		for _, setting := range []string{game.SettingTickHz, game.SettingSnapshotHz, game.SettingMaxPlayers, game.SettingMinPlayers, game.SettingCountdown} {
			rooms.Flags = append(rooms.Flags, name(setting))
		}
		sections = append(sections, rooms)
		if m.Flags != nil {
			before := flagNames(fs)
			m.Flags(fs, m.Name+".")
			own := cli.Section{Title: fmt.Sprintf("Mode %s, game options", m.Name)}
			fs.VisitAll(func(f *flag.Flag) { // sorted by name
				if !before[f.Name] {
					own.Flags = append(own.Flags, f.Name)
				}
			})
			sections = append(sections, own)
		}
		modes = append(modes, &m)
	}
	return modes, sections
}

// flagNames returns the names of the flags defined on fs.
func flagNames(fs *flag.FlagSet) map[string]bool {
	names := make(map[string]bool)
	fs.VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	return names
}

// buildModes checks every mode's settings as the flags left them and
// returns the catalogue the server plays; an error names the flag.
func buildModes(modes []*game.Mode) (game.Modes, error) {
	catalogue := game.NewModes()
	for _, m := range modes {
		if err := m.Settings.Validate(); err != nil {
			if se, ok := errors.AsType[*game.SettingError](err); ok {
				return catalogue, fmt.Errorf("-%s.%s %s: want %s", m.Name, settingFlags[se.Setting], se.Value, se.Want)
			}
			return catalogue, fmt.Errorf("mode %s: %w", m.Name, err)
		}
		catalogue.Register(*m)
	}
	return catalogue, nil
}
