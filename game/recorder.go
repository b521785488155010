package game

import "context"

// Recorder is a room's recording hook (RoomConfig.Recorder): the room calls
// it for every call it makes into its Game, on its own goroutine, in the
// order it makes them, right after the call. A replay that makes the same
// calls on a fresh Game of the mode reproduces the room, so a Recorder that
// keeps them all can write a recording that replays (package game/record
// does; docs/recording.md describes its format).
//
// The room never waits for a Recorder and holds no lock while calling it:
// every method runs on the room goroutine and must return at once. Other
// goroutines act on what a Recorder owns through Room.Exec, so that no lock
// sits on the tick path.
type Recorder interface {
	// Open is called once by NewRoom, with the room and its configuration
	// (defaults filled in), before the room runs.
	Open(room *Room, cfg RoomConfig)
	// Join follows Game.Join of player p named name: entity is what it
	// returned, refused that it returned an error.
	Join(p PlayerID, name string, entity uint32, refused bool)
	// Leave follows Game.Leave(p).
	Leave(p PlayerID)
	// Disconnected and Reconnected follow the PlayerConnection hooks.
	Disconnected(p PlayerID)
	Reconnected(p PlayerID)
	// Input follows Game.ApplyInput(p, in).
	Input(p PlayerID, in Input)
	// StartMatch follows MatchStarter.StartMatch(tick).
	StartMatch(tick uint32)
	// Debug precedes DebugHandler.HandleDebug(command), so that a command
	// that panics the game is still recorded.
	Debug(command string)
	// Step follows Game.Step(tick) (and Game.DrainEvents).
	Step(tick uint32)
	// WantsChecksum reports whether Checksum is wanted for the snapshot
	// tick at hand: the room builds the whole world's view for it only
	// then (or when spectators watch).
	WantsChecksum() bool
	// Checksum is the checksum of the whole world's view,
	// Game.View(Observer), at snapshot tick tick.
	Checksum(tick, sum uint32)
	// EndTick is called after every tick and its calls, so that a Recorder
	// can hand on a tick's entries at once.
	EndTick()
	// Close is called once as Run returns, after the room's last call into
	// its Game (a room that never runs never closes its Recorder).
	Close()
}

// Exec runs f on the room goroutine, between ticks, and returns its error:
// the way for the owner of a room's hook (RoomConfig.Recorder) to act on
// what the hook keeps in step with the calls the room makes into it,
// without a lock. f must return at once and must not call the room's
// methods that wait for its goroutine (Join, Inspect, Exec, ...), which is
// busy running f. Exec returns op: ErrRoomClosed once the room has ended
// (f then never runs) and op: ctx's error when the caller gave up before
// the room took f.
func (r *Room) Exec(ctx context.Context, op string, f func() error) error {
	_, err := do(ctx, r, op, func() (struct{}, error) { return struct{}{}, f() })
	return err
}

// noRecorder is the Recorder of a room that records nothing.
type noRecorder struct{}

func (noRecorder) Open(*Room, RoomConfig)              {}
func (noRecorder) Join(PlayerID, string, uint32, bool) {}
func (noRecorder) Leave(PlayerID)                      {}
func (noRecorder) Disconnected(PlayerID)               {}
func (noRecorder) Reconnected(PlayerID)                {}
func (noRecorder) Input(PlayerID, Input)               {}
func (noRecorder) StartMatch(uint32)                   {}
func (noRecorder) Debug(string)                        {}
func (noRecorder) Step(uint32)                         {}
func (noRecorder) WantsChecksum() bool                 { return false }
func (noRecorder) Checksum(uint32, uint32)             {}
func (noRecorder) EndTick()                            {}
func (noRecorder) Close()                              {}
