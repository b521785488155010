package game

import (
	"context"
	"errors"
	"fmt"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// MaxDebugCommandBytes bounds a debug command, which every recording keeps.
const MaxDebugCommandBytes = 1024

// Errors of the control methods.
var (
	// ErrUnknownPlayer means no seat of the room has the player id.
	ErrUnknownPlayer = errors.New("unknown player")
	// ErrNoDebug means the room's Game does not implement DebugHandler.
	ErrNoDebug = errors.New("game has no debug commands")
)

// DebugHandler is an optional interface of a Game: it takes game-defined
// debug commands (from the admin API) on the room goroutine. Every command
// is recorded before it is handed over, so a command that changes the game
// replays like an input; it must be deterministic like every other call.
type DebugHandler interface {
	// HandleDebug runs command and returns a reply for the developer.
	HandleDebug(command string) (reply string, err error)
}

// StandingsReporter is an optional interface of a Game: the current
// standings, best first, for CloseWithResults and Drain to send when the
// match has not ended. game/arena implements it.
type StandingsReporter interface {
	// Standings returns every seated player's line, best first.
	Standings() []PlayerResult
}

// Kick removes player p: when the seat has a connection, the room sends
// it Left{KICKED, reason} and closes its link with KICKED and reason; then
// it releases the seat (Game.Leave) like Leave. It returns the seat kicked,
// so that the caller can forget what it kept for it (a held seat's hold,
// say), and whether a link was closed; ErrUnknownPlayer when no seat has
// p, ErrRoomClosed once Run has returned, or ctx's error.
func (r *Room) Kick(ctx context.Context, p PlayerID, reason string) (*Seat, bool, error) {
	k, err := do(ctx, r, "kick", func() (kicked, error) { return r.kick(p, reason) })
	return k.seat, k.closed, err
}

// kicked is what kick did.
type kicked struct {
	seat   *Seat
	closed bool // the seat's link was closed
}

// kick removes player p's seat. Room goroutine only.
func (r *Room) kick(p PlayerID, reason string) (kicked, error) {
	seat := r.seatOf(p)
	if seat == nil {
		adminRefused.WithLabelValues(refuseUnknownPlayer).Inc()
		return kicked{}, fmt.Errorf("kick player %d: %w", p, ErrUnknownPlayer)
	}
	var link PlayerLink
	if seat.sendable() {
		link = seat.link
		left := &pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{
			RoomId: r.cfg.ID, Reason: pb.CloseReason_CLOSE_REASON_KICKED, Message: reason}}}
		seat.send(left, proto.Size(left))
	}
	// The port is retired before the link closes, so whoever sees the
	// connection end sees a port no longer attached.
	r.leave(seat)
	if link != nil {
		link.Close(pb.CloseReason_CLOSE_REASON_KICKED, reason)
	}
	playersKicked.Inc()
	r.cfg.Logger.Info("player kicked", "room", r.cfg.ID, "player", p, "reason", reason)
	return kicked{seat: seat, closed: link != nil}, nil
}

// seatOf returns the seat of player p, or nil.
func (r *Room) seatOf(p PlayerID) *Seat {
	for _, s := range r.seats {
		if s.player == p {
			return s
		}
	}
	return nil
}

// CloseWithResults ends the room now: every connected player (and
// spectator) gets MatchResults (Game.Results if the match ended, else the
// game's StandingsReporter, else the seats with no scores), then
// Left{ROOM_CLOSED, reason}; Run returns nil. It never blocks; only the first
// call of Close, CloseWithResults or Drain counts.
func (r *Room) CloseWithResults(reason string) {
	r.once.Do(func() {
		r.reason = pb.CloseReason_CLOSE_REASON_ROOM_CLOSED
		r.closeMessage = reason
		r.withResults = true
		close(r.closing)
	})
}

// closeResults returns the results CloseWithResults sends. Room goroutine
// only.
func (r *Room) closeResults() []PlayerResult {
	r.calling = CallResults
	res, ended := r.game.Results()
	r.calling = ""
	if ended {
		return res
	}
	if sr, ok := r.game.(StandingsReporter); ok {
		r.calling = CallStandings
		res = sr.Standings()
		r.calling = ""
		return res
	}
	return r.seatResults()
}

// Debug hands command to the Game if it implements DebugHandler, on the
// room goroutine, and returns its reply. The command is recorded first, so
// a replay makes the same call. It returns ErrNoDebug when the game has no
// debug commands, the game's error wrapped, ErrRoomClosed once Run has
// returned, or ctx's error.
func (r *Room) Debug(ctx context.Context, command string) (string, error) {
	if len(command) > MaxDebugCommandBytes {
		adminRefused.WithLabelValues(refuseDebugTooLong).Inc()
		return "", fmt.Errorf("debug: command of %d bytes exceeds %d", len(command), MaxDebugCommandBytes)
	}
	return do(ctx, r, "debug", func() (string, error) { return r.debug(command) })
}

// debug runs a debug command. Room goroutine only.
func (r *Room) debug(command string) (string, error) {
	dh, ok := r.game.(DebugHandler)
	if !ok {
		adminRefused.WithLabelValues(refuseNoDebug).Inc()
		return "", ErrNoDebug
	}
	r.rec.Debug(command)
	debugCommands.Inc()
	r.calling = CallDebug
	reply, err := dh.HandleDebug(command)
	r.calling = ""
	r.cfg.Logger.Info("debug command", "room", r.cfg.ID, "tick", r.tick, "command", command, "err", err)
	if err != nil {
		return reply, fmt.Errorf("debug %q: %w", command, err)
	}
	return reply, nil
}
