package game

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"
)

// errResumeRoomGone answers a Resume in a room that has ended or is
// ending: the room is closed, and with it every seat.
var errResumeRoomGone = fmt.Errorf("%w: %w", ErrRoomClosed, ErrSeatGone)

// Disconnect tells the room that the connection behind port dropped: the
// port is retired at once (its later inputs are dropped), and the room
// holds the seat, with its entity and score, sends the link nothing more
// and tells a Game that implements PlayerConnection. The seat stays held
// until Resume attaches another connection or Leave releases it.
// Disconnect returns once the request is queued (at once when the room has
// ended) and is a no-op for a port already retired (its seat resumed
// elsewhere, held or left) or of another room.
func (r *Room) Disconnect(port *InputPort) {
	if port == nil || port.seat.roomID != r.cfg.ID {
		return
	}
	// Here, not on the room goroutine, so that inputs and sends stop now;
	// the room does the rest.
	port.retire(portDisconnected)
	r.enqueue(func() { r.disconnect(port) })
}

// Resume attaches link to seat, normally one held since Disconnect (a still
// connected seat is taken over: its port is retired and its old link gets
// nothing more), and returns the new connection's port. The room sends link
// Joined with resumed set, the same player and entity ids and the current
// phase; then, at the next snapshot tick, a full snapshot, then deltas
// against what the new link acknowledges. Input seqs continue: the new port
// takes only seqs above the last one applied, so a client's resent inputs
// are applied exactly once. It returns ErrSeatGone when the seat was
// released, an error matching both ErrRoomClosed and ErrSeatGone when the
// room has ended, or ctx's error.
func (r *Room) Resume(ctx context.Context, seat *Seat, link PlayerLink) (*InputPort, error) {
	switch {
	case seat == nil:
		return nil, errors.New("resume: nil seat")
	case link == nil:
		return nil, errors.New("resume: nil link")
	}
	port, err := do(ctx, r, "resume", func() (*InputPort, error) { return r.resume(seat, link) })
	if errors.Is(err, ErrRoomClosed) {
		return nil, errResumeRoomGone
	}
	return port, err
}

// disconnect holds the seat of port, if port is still its connection: no
// link, no inputs, the game told.
func (r *Room) disconnect(port *InputPort) {
	seat := port.seat
	if r.seatIndex(seat) < 0 || seat.port.Load() != port || seat.link == nil {
		return // left, held already, or resumed by another connection since
	}
	seat.detach(portDisconnected)
	r.connected--
	seatsHeld.Inc()
	if pc, ok := r.game.(PlayerConnection); ok {
		pc.Disconnected(seat.player)
		r.rec.Disconnected(seat.player)
	}
	r.cfg.Logger.Debug("player disconnected", "room", r.cfg.ID, "player", seat.player)
	r.changed(false)
}

// resume attaches link to seat through a fresh port and sends it
// Joined{resumed}.
func (r *Room) resume(seat *Seat, link PlayerLink) (*InputPort, error) {
	if r.seatIndex(seat) < 0 {
		return nil, ErrSeatGone
	}
	// Whatever the old port queued is dropped; the client resends what
	// the room has not applied.
	wasHeld := !seat.detach(portReplaced)
	if wasHeld {
		r.connected++
		seatsHeld.Dec()
	}
	port := seat.attach(link, r.cfg.InputQueueSize)
	// The new link holds no snapshot yet: the next one is full, and no ack
	// sent before it can serve as a baseline (encodeFor raises the floor
	// when lastSent is 0).
	seat.lastSent.Store(0)
	joined := r.joinedMessage(seat, true)
	seat.send(joined, proto.Size(joined))
	r.sendCountdown(seat)
	seatResumes.Inc()
	if pc, ok := r.game.(PlayerConnection); wasHeld && ok {
		pc.Reconnected(seat.player)
		r.rec.Reconnected(seat.player)
	}
	r.cfg.Logger.Debug("player resumed", "room", r.cfg.ID, "player", seat.player, "was_held", wasHeld)
	r.changed(false)
	return port, nil
}
