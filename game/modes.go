package game

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/tickwire/tickwire/netcode/wire"
)

// Mode is one game mode: its name, the factory of its games, the settings
// of its rooms and its own options. It is the single source of a mode's
// configuration: the lobby opens the mode's rooms with Settings and builds
// their games with NewGame, replays rebuild games the same way, and the
// command line offers a flag for every setting and option.
type Mode struct {
	// Name is what clients ask for (JoinRoom.mode) and what listings, flags
	// and environment variables show: a lowercase letter, then lowercase
	// letters, digits and dashes, at most 32 characters.
	Name string
	// Schema describes the state, input, events and results of the mode's
	// games; the mode's rooms send it in Joined and GET /v1/modes lists it.
	// It must be valid (wire.Schema.Validate).
	Schema *wire.Schema
	// New creates the Game of a new room of the mode.
	New Factory
	// Settings are the rates and sizes of the mode's rooms.
	Settings Settings
	// Options are the mode's own options, handed to New in Config.Options
	// (nil when it has none); typically a pointer that Flags fills in.
	Options any
	// Flags, if set, defines on fs a flag for each of the mode's own
	// options, named prefix followed by the option's name (cmd/tickwire
	// passes "arena." for the mode arena, so "arena.score-limit"), which
	// sets it in Options. A flag's Set refuses a value out of range, so a
	// bad option stops the server at start-up rather than failing rooms.
	Flags func(fs *flag.FlagSet, prefix string)
}

// NewGame builds a game of the mode with cfg and the mode's options. The
// lobby builds every room's game this way, and so does a replay, so that a
// replay's game is the room's. A factory that panics is recovered: NewGame
// then returns a *PanicError (Where CallFactory) and counts it.
func (m Mode) NewGame(cfg Config) (g Game, err error) {
	cfg.Options = m.Options
	defer func() {
		if p := recover(); p != nil {
			g, err = nil, fmt.Errorf("mode %s: %w", m.Name, recovered(CallFactory, p))
		}
	}()
	g, err = m.New(cfg)
	switch {
	case err != nil:
		return nil, fmt.Errorf("mode %s: %w", m.Name, err)
	case g == nil:
		return nil, fmt.Errorf("mode %s: the factory returned no game", m.Name)
	}
	return g, nil
}

// OptionValues returns the mode's own options as they are set now, by
// option name (without a prefix), as their flags print them; nil for a
// mode without options. Recordings keep them, so that a replay can run the
// same rules (SetOptions).
func (m Mode) OptionValues() map[string]string {
	if m.Flags == nil {
		return nil
	}
	fs := flag.NewFlagSet(m.Name, flag.ContinueOnError)
	m.Flags(fs, "")
	values := make(map[string]string)
	fs.VisitAll(func(f *flag.Flag) { values[f.Name] = f.Value.String() })
	return values
}

// SetOptions sets the mode's own options from values, by option name, as
// OptionValues gives them. An unknown option or a refused value is an
// error naming it.
func (m Mode) SetOptions(values map[string]string) error {
	if len(values) == 0 {
		return nil
	}
	if m.Flags == nil {
		return fmt.Errorf("mode %s has no options", m.Name)
	}
	fs := flag.NewFlagSet(m.Name, flag.ContinueOnError)
	m.Flags(fs, "")
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if fs.Lookup(name) == nil {
			return fmt.Errorf("mode %s has no option %q", m.Name, name)
		}
		if err := fs.Set(name, values[name]); err != nil {
			return fmt.Errorf("mode %s option %s=%q: %w", m.Name, name, values[name], err)
		}
	}
	return nil
}

// OptionsOf returns cfg.Options as a mode's options type T: a T, a *T, or
// the zero T when there are none (modes fill zero options with their
// defaults). Options of another type are an error, for a factory to
// return.
func OptionsOf[T any](cfg Config) (T, error) {
	var opts T
	switch o := cfg.Options.(type) {
	case nil:
	case T:
		opts = o
	case *T:
		opts = *o
	default:
		return opts, fmt.Errorf("options of type %T, want %T", cfg.Options, opts)
	}
	return opts, nil
}

// maxModeName bounds a mode name.
const maxModeName = 32

// CheckModeName reports whether name is a valid Mode.Name.
func CheckModeName(name string) error {
	if name == "" || len(name) > maxModeName {
		return fmt.Errorf("mode name %q: want 1 to %d characters", name, maxModeName)
	}
	for i, c := range name {
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return fmt.Errorf("mode name %q: want a lowercase letter, then lowercase letters, digits and dashes", name)
		}
	}
	return nil
}

// errNotMade is the panic of a Register on a zero Modes.
var errNotMade = errors.New("game: Modes.Register on a catalogue not made by NewModes")

// Modes is the catalogue of the game modes a server plays. A server builds
// one at start-up with NewModes and Register, then only reads it (the
// catalogue is fixed once the server starts); copies share the same
// registrations.
type Modes struct {
	modes map[string]Mode
}

// NewModes returns an empty catalogue.
func NewModes() Modes {
	return Modes{modes: make(map[string]Mode)}
}

// Register adds mode. It panics when m was not made by NewModes, the name
// is invalid (CheckModeName) or taken, the factory or schema is nil, or
// the schema or the settings are invalid (wire.Schema.Validate,
// Settings.Validate): each is a start-up bug. A command line
// that sets a mode's settings validates them itself first, to name its
// flag.
func (m Modes) Register(mode Mode) {
	if m.modes == nil {
		panic(errNotMade)
	}
	if err := CheckModeName(mode.Name); err != nil {
		panic("game: " + err.Error())
	}
	if mode.New == nil {
		panic(fmt.Sprintf("game: nil factory for mode %q", mode.Name))
	}
	if mode.Schema == nil {
		panic(fmt.Sprintf("game: nil schema for mode %q", mode.Name))
	}
	if err := mode.Schema.Validate(); err != nil {
		panic(fmt.Sprintf("game: mode %q: %v", mode.Name, err))
	}
	if _, dup := m.modes[mode.Name]; dup {
		panic(fmt.Sprintf("game: mode %q registered twice", mode.Name))
	}
	if err := mode.Settings.Validate(); err != nil {
		panic(fmt.Sprintf("game: mode %q: %v", mode.Name, err))
	}
	m.modes[mode.Name] = mode
}

// Lookup returns mode name.
func (m Modes) Lookup(name string) (Mode, bool) {
	mode, ok := m.modes[name]
	return mode, ok
}

// Names returns the registered mode names, sorted.
func (m Modes) Names() []string {
	names := make([]string, 0, len(m.modes))
	for name := range m.modes {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// All returns the registered modes, sorted by name.
func (m Modes) All() []Mode {
	all := make([]Mode, 0, len(m.modes))
	for _, name := range m.Names() {
		all = append(all, m.modes[name])
	}
	return all
}
