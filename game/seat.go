package game

import (
	"sync/atomic"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// PlayerLink is the room's handle on a player's connection. The room calls it
// from its own goroutine, so its methods must never block; netcode.Conn
// implements it.
type PlayerLink interface {
	// OfferSnapshot offers a complete ServerMessage snapshot frame; the
	// latest offer wins over one not yet written. The frame is immutable
	// after the call and may be shared with other links.
	OfferSnapshot(frame []byte)
	// Send queues a reliable message in a bounded queue. It returns false
	// when the queue overflowed, in which case the link closes itself.
	Send(msg *pb.ServerMessage) bool
}

// Seat is a player's place in a room and the handle the player's connection
// reader uses to feed the room: PushInputs, Ack and RequestResync are safe to
// call while the room runs and never block. PushInputs must be called from
// one goroutine at a time (the connection's reader).
type Seat struct {
	roomID string
	player PlayerID
	entity uint32
	name   string
	link   PlayerLink
	queue  inputQueue

	// highestQueued is the highest seq queued since the seat was joined or
	// resumed. The producer (PushInputs) owns it while the seat is
	// connected; Resume resets it to lastApplied, so that a new
	// connection's resent, unapplied inputs are accepted. Atomic because
	// a lingering old reader may still race with that reset.
	highestQueued atomic.Uint32

	ack         atomic.Uint32 // highest snapshot tick the client applied
	resync      atomic.Bool   // the client asked for a full snapshot
	lastApplied atomic.Uint32 // highest input seq applied by the room
	lastSent    atomic.Uint32 // tick of the newest snapshot offered
	bytesSent   atomic.Uint64 // snapshot frame bytes offered
	reliable    atomic.Uint64 // reliable message bytes sent by the room
	dropped     atomic.Uint64 // inputs dropped, duplicates aside
	left        atomic.Bool   // Leave was called; inputs are ignored
	detached    atomic.Bool   // Disconnect was called and no Resume since

	// floor is the oldest tick usable as a baseline: acks older than the
	// first snapshot sent, or than a requested full resync, refer to state
	// the client does not hold. Room goroutine only.
	floor uint32
	// held is set while the seat has no link (between the room's handling
	// of Disconnect and of Resume). Room goroutine only, like link.
	held bool
	// rate samples the bytes sent to the seat. Room goroutine only.
	rate rateWindow
	// offers are the views the seat was offered, one per history slot,
	// and view its view of the snapshot being taken. Room goroutine only.
	offers []offer
	view   *view
	// input is the schema's input fields, which PushInputs validates
	// against; shared and read-only.
	input []wire.Field
}

// newSeat returns a seat with an input queue of queueSize.
func newSeat(roomID string, p PlayerID, entity uint32, name string, link PlayerLink, queueSize int, input []wire.Field) *Seat {
	return &Seat{roomID: roomID, player: p, entity: entity, name: name, link: link, queue: newInputQueue(queueSize), input: input}
}

// Player returns the player's id in the room.
func (s *Seat) Player() PlayerID { return s.player }

// EntityID returns the entity the player controls, 0 for none.
func (s *Seat) EntityID() uint32 { return s.entity }

// RoomID returns the id of the seat's room.
func (s *Seat) RoomID() string { return s.roomID }

// Name returns the player's display name.
func (s *Seat) Name() string { return s.name }

// LastAppliedSeq returns the highest input seq the room has applied.
func (s *Seat) LastAppliedSeq() uint32 { return s.lastApplied.Load() }

// AckedTick returns the newest snapshot tick the client acknowledged.
func (s *Seat) AckedTick() uint32 { return s.ack.Load() }

// LastSentTick returns the tick of the newest snapshot offered to the link.
func (s *Seat) LastSentTick() uint32 { return s.lastSent.Load() }

// SnapshotBytes returns the bytes of snapshot frames offered to the link.
func (s *Seat) SnapshotBytes() uint64 { return s.bytesSent.Load() }

// DroppedInputs returns how many of the player's inputs the room dropped:
// queue overflows, stale, invalid or sent while disconnected (resent
// duplicates, which clients send on purpose, aside).
func (s *Seat) DroppedInputs() uint64 { return s.dropped.Load() }

// ReliableBytes returns the bytes of reliable messages the room sent the
// player (their marshaled size, as the connection frames them).
func (s *Seat) ReliableBytes() uint64 { return s.reliable.Load() }

// InputQueueDepth returns how many inputs wait for the next tick.
func (s *Seat) InputQueueDepth() int { return len(s.queue.ch) }

// send sends msg, of marshaled size n, to the seat's link and counts its
// bytes. Room goroutine only; the seat must be sendable.
func (s *Seat) send(msg *pb.ServerMessage, n int) bool {
	s.reliable.Add(uint64(n))
	return s.link.Send(msg)
}

// Connected reports whether the seat has a live link: it has neither left
// nor been disconnected without a resume since.
func (s *Seat) Connected() bool { return !s.left.Load() && !s.detached.Load() }

// sendable reports whether the room may send to the seat's link. Room
// goroutine only.
func (s *Seat) sendable() bool { return s.link != nil && s.Connected() }

// PushInputs validates inputs (oldest first) and queues them for the next
// tick. Each value is made valid for its schema field (wire.Field.Clamp);
// seq 0 and more values than the schema names are invalid, and a seq not
// above the highest one already queued is a duplicate (clients resend
// recent inputs).
// When the queue is full the oldest queued input is dropped. Inputs of a
// seat that left are ignored, and of a disconnected one dropped. Every drop
// is counted in tickwire_inputs_dropped_total.
func (s *Seat) PushInputs(inputs []*pb.Input) {
	if s.left.Load() {
		return
	}
	if s.detached.Load() {
		droppedDisconnected.Add(float64(len(inputs)))
		s.dropped.Add(uint64(len(inputs)))
		return
	}
	start := s.highestQueued.Load()
	highest := start
	for _, in := range inputs {
		seq := in.GetSeq()
		switch {
		case seq == 0 || len(in.GetValues()) > len(s.input):
			droppedInvalid.Inc()
			s.dropped.Add(1)
			continue
		case seq <= highest:
			droppedDuplicate.Inc()
			continue
		}
		highest = seq
		if n := s.queue.push(validInput(seq, in.GetValues(), s.input)); n > 0 {
			droppedQueueFull.Add(float64(n))
			s.dropped.Add(uint64(n))
		}
	}
	if highest != start {
		s.highestQueued.Store(highest)
	}
}

// Ack records that the client applied the snapshot of tick; older acks than
// the newest one are ignored (messages may be reordered by redundancy).
func (s *Seat) Ack(tick uint32) {
	for {
		old := s.ack.Load()
		if tick <= old || s.ack.CompareAndSwap(old, tick) {
			return
		}
	}
}

// RequestResync makes the next snapshot of this seat a full one, and stops
// the room from using any baseline acknowledged before it.
func (s *Seat) RequestResync() { s.resync.Store(true) }

// validInput returns the input of seq with values (at most len(fields))
// made valid for their fields.
func validInput(seq uint32, values []int32, fields []wire.Field) Input {
	in := Input{Seq: seq}
	for i, v := range values {
		in.Values[i] = fields[i].Clamp(v)
	}
	return in
}
