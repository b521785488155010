package arena

import "github.com/tickwire/tickwire/game"

// Mode returns the arena as a game mode named name, with the default room
// settings (game.DefaultSettings) and DefaultOptions, whose flags set them
// (see Options.RegisterFlags). Each call has options of its own.
func Mode(name string) game.Mode {
	opts := DefaultOptions()
	return game.Mode{
		Name:     name,
		Schema:   Schema,
		New:      New,
		Settings: game.DefaultSettings(),
		Options:  &opts,
		Flags:    opts.RegisterFlags,
	}
}
