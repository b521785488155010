package catalog

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
)

// Builtin returns a new catalogue of the shipped modes (arena), each with
// its default settings and options; every call returns modes with options
// of their own.
func Builtin() game.Modes {
	m := game.NewModes()
	m.Register(arena.Mode("arena"))
	return m
}
