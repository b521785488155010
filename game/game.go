package game

import "github.com/tickwire/tickwire/netcode/wire"

// PlayerID identifies a seat in a room for the life of the seat.
type PlayerID uint32

// Input is one decoded, validated input of a player, still quantized so the
// simulation stays deterministic.
type Input struct {
	// Seq is the client's sequence number of this input.
	Seq uint32
	// Buttons is the game-defined button bitmask.
	Buttons uint32
	// MoveX and MoveY are the move vector, each -wire.MoveAxisMax..MoveAxisMax.
	MoveX, MoveY int32
	// Aim is the aim angle in 1/wire.AngleSteps turns.
	Aim int32
}

// PlayerResult is one player's line in a match's results.
type PlayerResult struct {
	Player   PlayerID
	Name     string
	EntityID uint32
	Score    int32
	Kills    uint32
	Deaths   uint32
}

// Game is the simulation a game developer plugs into a room. The room calls
// every method from its own goroutine, so a Game needs no locks. A Game must
// be deterministic given its seed and the calls it receives: no wall clock,
// no global random source, no map iteration order in anything it outputs.
type Game interface {
	// Join seats a player and returns the entity it controls (0 for none).
	// An error refuses the seat and is shown to the client.
	Join(p PlayerID, name string) (entityID uint32, err error)
	// Leave removes a player and whatever the game keeps for it.
	Leave(p PlayerID)
	// ApplyInput applies one input of player p before the next Step. A tick
	// may see several inputs of one player (in seq order) or none.
	ApplyInput(p PlayerID, in Input)
	// Step advances the simulation to tick, one fixed timestep later.
	Step(tick uint32)
	// View appends every visible entity, sorted by ID ascending, to dst.
	View(dst []wire.Entity) []wire.Entity
	// DrainEvents appends the events since the last call to dst and forgets
	// them; the room stamps each with the current tick.
	DrainEvents(dst []wire.Event) []wire.Event
	// Results reports whether the match has ended, and its results (best
	// first) once it has.
	Results() (results []PlayerResult, ended bool)
}

// Config is what a room tells a new Game about itself.
type Config struct {
	// TickHz is the simulation rate; each Step is 1/TickHz seconds.
	TickHz int
	// SnapshotHz is the room's snapshot rate, a divisor of TickHz.
	SnapshotHz int
	// MaxPlayers is the number of seats.
	MaxPlayers int
	// Seed seeds the game's random source.
	Seed int64
	// Options are the mode's own options (Mode.Options), nil when it has
	// none. Every room of a mode gets the same value, so a Game copies
	// what it keeps and never modifies it.
	Options any
}

// Factory creates the Game of a new room. An error refuses the room (for
// example options of the wrong type); a join that would have opened it is
// refused with the error's text.
type Factory func(cfg Config) (Game, error)
