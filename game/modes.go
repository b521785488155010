package game

import (
	"fmt"
	"sort"

	"github.com/tickwire/tickwire/netcode/wire"
)

// Modes maps game mode names to the factories of their games. A server builds
// one at start-up with NewModes and Register, then only reads it; copies
// share the same registrations.
type Modes struct {
	factories map[string]Factory
	schemas   map[string]*wire.Schema
}

// NewModes returns an empty registry.
func NewModes() Modes {
	return Modes{factories: make(map[string]Factory), schemas: make(map[string]*wire.Schema)}
}

// Register adds mode name, whose games show their state in rows of
// schema. It panics when name is empty, f is nil, the schema does not
// validate, the mode is already registered or m was not made by NewModes:
// each is a start-up bug.
func (m Modes) Register(name string, schema *wire.Schema, f Factory) {
	switch {
	case m.factories == nil:
		panic("game: Modes.Register on a registry not made by NewModes")
	case name == "":
		panic("game: empty mode name")
	case f == nil:
		panic(fmt.Sprintf("game: nil factory for mode %q", name))
	case schema == nil:
		panic(fmt.Sprintf("game: nil schema for mode %q", name))
	}
	if err := schema.Validate(); err != nil {
		panic(fmt.Sprintf("game: mode %q: %v", name, err))
	}
	if _, dup := m.factories[name]; dup {
		panic(fmt.Sprintf("game: mode %q registered twice", name))
	}
	m.factories[name] = f
	m.schemas[name] = schema
}

// Schema returns the state schema of mode name, or nil.
func (m Modes) Schema(name string) *wire.Schema { return m.schemas[name] }

// Lookup returns the factory of mode name.
func (m Modes) Lookup(name string) (Factory, bool) {
	f, ok := m.factories[name]
	return f, ok
}

// Names returns the registered mode names, sorted.
func (m Modes) Names() []string {
	names := make([]string, 0, len(m.factories))
	for name := range m.factories {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
