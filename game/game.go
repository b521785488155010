package game

import (
	"slices"

	"github.com/tickwire/tickwire/netcode/wire"
)

// PlayerID identifies a seat in a room for the life of the seat. Seats
// count from 1; 0 is Observer.
type PlayerID uint32

// Observer is the PlayerID of the whole world's view: Game.View(Observer)
// is what spectators, the admin API's state and recordings' checksums see.
const Observer PlayerID = 0

// Input is one decoded, validated input of a player: its seq and the
// values the mode's schema names (wire.Schema.Input), each already clamped
// into its field's range (wire.Field.Clamp). Values the client did not send
// are 0. It stays integer so the simulation stays deterministic.
type Input struct {
	// Seq is the client's sequence number of this input.
	Seq uint32
	// Values are the input's values in schema order.
	Values [wire.MaxInputFields]int32
}

// PlayerResult is one player's line in a match's results.
type PlayerResult struct {
	Player   PlayerID
	Name     string
	EntityID uint32
	// Score orders the results (best first) and is shown by every client.
	Score int32
	// Values are the game-defined values the schema's Results name, in
	// order (arena: kills, deaths).
	Values []int32
}

// CloneResults returns a copy of rs that shares no memory with it, Values
// included: what a Game's Results returns when it keeps the results.
func CloneResults(rs []PlayerResult) []PlayerResult {
	out := slices.Clone(rs)
	for i := range out {
		out[i].Values = slices.Clone(out[i].Values)
	}
	return out
}

// Game is the simulation a game developer plugs into a room. The room calls
// every method from its own goroutine, so a Game needs no locks. A Game must
// be deterministic given its seed and the calls it receives: no wall clock,
// no global random source, no map iteration order in anything it outputs.
//
// The state a Game shows travels as rows of integers that its mode's
// wire.Schema describes; docs/game-guide.md walks through writing one.
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
	// View appends to dst, with dst.Append in ascending id order, every
	// entity player p may see now; View(Observer, dst) appends the whole
	// world. A player receives no entity outside its view, and no event
	// naming one (see DrainEvents). View must not keep dst.
	View(p PlayerID, dst *wire.Rows)
	// DrainEvents appends the events since the last call to dst and forgets
	// them; the room stamps each with the current tick. An event reaches a
	// player when every entity it names (Actor, Target; 0 names none) is in
	// that player's view of the first snapshot tick at or after it (a delta
	// that covers several snapshot ticks carries each one's events).
	DrainEvents(dst []wire.Event) []wire.Event
	// Results reports whether the match has ended, and its results (best
	// first) once it has.
	Results() (results []PlayerResult, ended bool)
}

// ViewGrouper is an optional interface of a Game whose players' views
// coincide in groups: players (and Observer) with equal ViewGroup see the
// same entities, so the room calls View once per group and snapshot tick.
// A game where everyone sees everything returns 0 for all. Without it the
// room calls View for every player and shares whatever views turn out
// equal, which gives the same bytes at a higher cost.
type ViewGrouper interface {
	// ViewGroup returns p's view group; it may change from tick to tick.
	ViewGroup(p PlayerID) uint64
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
