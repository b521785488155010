package game

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Every call into game code is recovered: a panicking Game ends its own room
// (Run's recover: the players get Left{ROOM_CLOSED, InternalErrorMessage})
// and a panicking factory refuses the room it would have opened
// (Mode.NewGame returns a *PanicError); the process and every other room go
// on. Each panic counts in tickwire_game_panics_total by where it happened.

// InternalErrorMessage is the message of the Left a room sends its players
// when it ends because its game (or the room itself) failed. The reason is
// ROOM_CLOSED; the message tells a client it was no one's doing.
const InternalErrorMessage = "internal error"

// Where a panic happened (the where label of tickwire_game_panics_total):
// the Game method, the optional interface's method, or the factory.
const (
	CallFactory      = "factory"
	CallJoin         = "join"
	CallLeave        = "leave"
	CallApplyInput   = "apply_input"
	CallStep         = "step"
	CallView         = "view"
	CallViewGroup    = "view_group"
	CallDrainEvents  = "drain_events"
	CallResults      = "results"
	CallStandings    = "standings"
	CallStartMatch   = "start_match"
	CallDisconnected = "disconnected"
	CallReconnected  = "reconnected"
	CallDebug        = "debug"
	// CallHandleMessage and CallDrainMessages are Messenger's methods;
	// CallChat covers ChatTeams and ChatModerator while a chat line is
	// sent.
	CallHandleMessage = "handle_message"
	CallDrainMessages = "drain_messages"
	CallChat          = "chat"
	// CallRoom is a panic of the room's own code, outside any game call.
	CallRoom = "room"
)

// ErrGamePanicked is matched (errors.Is) by every *PanicError.
var ErrGamePanicked = errors.New("game panicked")

// PanicError is a recovered panic of game code.
type PanicError struct {
	// Where names the call that panicked (CallFactory, CallStep, ...).
	Where string
	// Value is what the code panicked with.
	Value any
	// Stack is the panicking goroutine's stack, for the log.
	Stack []byte
}

// Error describes the panic; it names the panic's value, so it belongs in
// logs, not in what a client is shown.
func (e *PanicError) Error() string {
	return fmt.Sprintf("game panicked in %s: %v", e.Where, e.Value)
}

// Is makes every PanicError match ErrGamePanicked.
func (e *PanicError) Is(target error) bool { return target == ErrGamePanicked }

// recovered turns a recovered panic value into a *PanicError and counts it.
// Call it in the deferred function that recovered p.
func recovered(where string, p any) *PanicError {
	gamePanics.WithLabelValues(where).Inc()
	return &PanicError{Where: where, Value: p, Stack: debug.Stack()}
}

var gamePanics = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "tickwire_game_panics_total",
	Help: "Panics of game code recovered, by where they happened (factory, join, leave, apply_input, step, view, view_group, drain_events, results, standings, start_match, disconnected, reconnected, debug, room).",
}, []string{"where"})
