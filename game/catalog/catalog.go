package catalog

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/drones"
)

// Builtin returns a new catalogue of the shipped modes (arena and drones),
// each with its default settings and options; every call returns modes
// with options of their own.
func Builtin() game.Modes {
	m := game.NewModes()
	m.Register(arena.Mode("arena"))
	m.Register(drones.Mode("drones"))
	return m
}
