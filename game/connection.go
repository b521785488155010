package game

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"google.golang.org/protobuf/proto"
)

// errResumeRoomGone answers a Resume in a room that has ended or is
// ending: the room is closed, and with it every seat.
var errResumeRoomGone = fmt.Errorf("%w: %w", ErrRoomClosed, ErrSeatGone)

// resumeCmd is a pending Resume; its state races like a joinCmd's.
type resumeCmd struct {
	seat  *Seat
	link  PlayerLink
	reply chan error // buffered, so the room never blocks on it
	state atomic.Int32
}

// Disconnect detaches seat from its link after the player's connection
// dropped: the room sends the link nothing more and ignores inputs pushed to
// the seat from now on, but keeps the seat, its entity and score, and tells
// a Game that implements PlayerConnection. The seat stays held until Resume
// reattaches a link or Leave releases it. Disconnect returns once the
// request is queued (at once when the room has ended) and is a no-op for a
// seat already left, already held, or of another room.
func (r *Room) Disconnect(seat *Seat) {
	if seat == nil || seat.left.Load() {
		return
	}
	// Set here, not on the room goroutine, so that inputs and sends stop
	// now; the command does the rest.
	seat.detached.Store(true)
	select {
	case r.cmds <- command{disconnect: seat}:
	case <-r.done:
	}
}

// Resume reattaches link to seat, normally one held since Disconnect (a
// still connected seat is taken over: its old link gets nothing more). The
// room sends link Joined with resumed set, the same player and entity ids
// and the current phase; then, at the next snapshot tick, a full snapshot,
// then deltas against what the new link acknowledges. The seat's last
// applied input seq is kept, so a client's resent inputs are applied
// exactly once. It returns ErrSeatGone when the seat was released, an error
// matching both ErrRoomClosed and ErrSeatGone when the room has ended, or
// ctx's error.
func (r *Room) Resume(ctx context.Context, seat *Seat, link PlayerLink) error {
	switch {
	case seat == nil:
		return errors.New("resume: nil seat")
	case link == nil:
		return errors.New("resume: nil link")
	case seat.left.Load():
		return ErrSeatGone
	}
	c := &resumeCmd{seat: seat, link: link, reply: make(chan error, 1)}
	select {
	case r.cmds <- command{resume: c}:
	case <-r.closing:
		return errResumeRoomGone
	case <-r.done:
		return errResumeRoomGone
	case <-ctx.Done():
		return fmt.Errorf("resume: %w", ctx.Err())
	}
	select {
	case err := <-c.reply:
		return err
	case <-r.done:
		// Run may have answered just before returning.
		select {
		case err := <-c.reply:
			return err
		default:
			return errResumeRoomGone
		}
	case <-ctx.Done():
		if c.state.CompareAndSwap(joinPending, joinAbandoned) {
			return fmt.Errorf("resume: %w", ctx.Err())
		}
		// The room took the command: the link is attached, so report it.
		select {
		case err := <-c.reply:
			return err
		case <-r.done:
			return errResumeRoomGone
		}
	}
}

// disconnect holds seat: no link, no inputs, the game told.
func (r *Room) disconnect(seat *Seat) {
	if seat.held || seat.left.Load() || r.seatIndex(seat) < 0 {
		return
	}
	seat.held = true
	seat.link = nil
	seat.detached.Store(true)
	r.dropQueued(seat)
	r.connected--
	seatsHeld.Inc()
	if pc, ok := r.game.(PlayerConnection); ok {
		pc.Disconnected(seat.player)
		r.rec.player(entryDisconnected, seat.player)
	}
	r.cfg.Logger.Debug("player disconnected", "room", r.cfg.ID, "player", seat.player)
	r.changed(false)
}

// resume attaches link to seat and sends it Joined{resumed}.
func (r *Room) resume(seat *Seat, link PlayerLink) error {
	if seat.left.Load() || r.seatIndex(seat) < 0 {
		return ErrSeatGone
	}
	wasHeld := seat.held
	if wasHeld {
		seat.held = false
		r.connected++
		seatsHeld.Dec()
	}
	seat.link = link
	// Whatever was queued came from the old connection; the client
	// resends what the room has not applied.
	r.dropQueued(seat)
	seat.highestQueued.Store(seat.lastApplied.Load())
	// The new link holds no snapshot yet: the next one is full, and no ack
	// sent before it can serve as a baseline (encodeFor raises the floor
	// when lastSent is 0).
	seat.ack.Store(0)
	seat.lastSent.Store(0)
	seat.resync.Store(false)
	// Last, so that a reader seeing it clear sees the state above.
	seat.detached.Store(false)
	joined := r.joinedMessage(seat, true)
	seat.send(joined, proto.Size(joined))
	r.sendCountdown(seat)
	seatResumes.Inc()
	if pc, ok := r.game.(PlayerConnection); wasHeld && ok {
		pc.Reconnected(seat.player)
		r.rec.player(entryReconnected, seat.player)
	}
	r.cfg.Logger.Debug("player resumed", "room", r.cfg.ID, "player", seat.player, "was_held", wasHeld)
	r.changed(false)
	return nil
}

// dropQueued empties seat's input queue, counting the inputs dropped.
func (r *Room) dropQueued(seat *Seat) {
	r.inputs = seat.queue.drain(r.inputs[:0])
	if n := len(r.inputs); n > 0 {
		droppedDisconnected.Add(float64(n))
		seat.dropped.Add(uint64(n))
	}
}
