package game

import (
	"sync/atomic"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Link is the room's handle on a connection it sends to: a spectator's
// (Spectate), or a player's through PlayerLink. The room calls it from its
// own goroutine, so its methods must never block.
type Link interface {
	// OfferSnapshot offers a complete ServerMessage snapshot frame; the
	// latest offer wins over one not yet written. The link copies what it
	// keeps: the room reuses frame's bytes once the call returns, so that
	// a snapshot costs no allocation per player.
	OfferSnapshot(frame []byte)
	// Send queues a reliable message in a bounded queue. It returns false
	// when the queue overflowed, in which case the link closes itself.
	Send(msg *pb.ServerMessage) bool
}

// PlayerLink is the room's handle on a player's connection, which the room
// may also close itself (a kick); netcode.Conn implements it. Its methods
// must never block.
type PlayerLink interface {
	Link
	// Close closes the connection with reason and message, after the
	// reliable messages already queued.
	Close(reason pb.CloseReason, message string)
}

// Seat is a player's place in a room. It outlives the player's connections:
// each attached connection feeds it through its own InputPort, and a seat
// whose connection dropped is held, with no link and its last port
// retired, until Resume attaches another connection or Leave releases it.
type Seat struct {
	roomID string
	player PlayerID
	entity uint32
	name   string

	// Written by the room goroutine, readable from any goroutine.
	lastApplied atomic.Uint32 // highest input seq applied by the room
	lastSent    atomic.Uint32 // tick of the newest snapshot offered
	bytesSent   atomic.Uint64 // snapshot frame bytes offered
	// port is the port of the attached connection, or of the last one
	// while the seat is held; Leave reads it to retire it at once.
	port atomic.Pointer[InputPort]
	// dropped counts inputs dropped, duplicates aside, by the ports'
	// readers and by the room.
	dropped atomic.Uint64

	// Room goroutine only. link is the attached connection, nil while the
	// seat is held (or left).
	link PlayerLink
	// acks points at the acks of port; embedded so that the tick reads
	// them as s.ack and s.resync.
	*acks
	// floor is the oldest tick usable as a baseline: acks older than the
	// first snapshot sent, or than a requested full resync, refer to state
	// the client does not hold.
	floor uint32
	// reliable counts the bytes of reliable messages sent to the player.
	reliable uint64
	// rate samples the bytes sent to the seat.
	rate rateWindow
	// offers are the views the seat was offered, one per history slot,
	// and view its view of the snapshot being taken. Room goroutine only.
	offers []offer
	view   *view
	// rules are what checkInput validates inputs against; shared and
	// read-only.
	rules *inputRules
	// talk are what the ports check chat and game messages against
	// (shared, read-only; nil takes none), talkState the seat's share of
	// the room's queue of them and its mute.
	talk      *talkRules
	talkState seatTalk
	// linkStart is the tick of the first snapshot offered to the current
	// link (0 before it), from which its ack lag counts until it acks;
	// slow is set once the room closed the link for lagging. Room
	// goroutine only.
	linkStart uint32
	slow      bool
}

// newSeat returns a seat with no connection attached whose inputs follow
// rules.
func newSeat(roomID string, p PlayerID, entity uint32, name string, rules *inputRules) *Seat {
	return &Seat{roomID: roomID, player: p, entity: entity, name: name, rules: rules}
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

// LastSentTick returns the tick of the newest snapshot offered to the link.
func (s *Seat) LastSentTick() uint32 { return s.lastSent.Load() }

// SnapshotBytes returns the bytes of snapshot frames offered to the link.
func (s *Seat) SnapshotBytes() uint64 { return s.bytesSent.Load() }

// DroppedInputs returns how many of the player's inputs the room dropped:
// queue overflows, stale, invalid or sent through a retired port (resent
// duplicates, which clients send on purpose, aside).
func (s *Seat) DroppedInputs() uint64 { return s.dropped.Load() }

// attach makes link, through a fresh port, the seat's connection and
// returns the port. Room goroutine only; the seat must have no link.
func (s *Seat) attach(link PlayerLink, queueSize int) *InputPort {
	p := newPort(s, queueSize)
	s.port.Store(p)
	s.link, s.acks = link, &p.acks
	s.linkStart, s.slow = 0, false
	return p
}

// detach retires the port of the seat's link for why and forgets the link;
// it reports whether the seat had one (false for a held seat). Room
// goroutine only.
func (s *Seat) detach(why int32) bool {
	if s.link == nil {
		return false
	}
	s.port.Load().retire(why)
	s.link = nil
	return true
}

// send sends msg, of marshaled size n, to the seat's link and counts its
// bytes. Room goroutine only; the seat must be sendable. A failed send
// needs no answer: the link closes itself.
func (s *Seat) send(msg *pb.ServerMessage, n int) bool {
	s.reliable += uint64(n)
	return s.link.Send(msg)
}

// sendable reports whether the seat has a link the room may send to: not
// held, and its port not retired by a Disconnect or Leave the room has yet
// to run. Room goroutine only.
func (s *Seat) sendable() bool { return s.link != nil && s.port.Load().Attached() }
