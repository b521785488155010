package lobby

import (
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/record"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Operator is the lobby as the admin API operates it: the live rooms with
// their game.Room handles (which the admin API inspects, controls and
// watches through the rooms' own methods), the server's counts, and the
// one step of the lobby's bookkeeping that an admin action needs. Its
// methods take the lobby's locks for a moment and never hand them out, so
// that no admin request holds up a join or a tick; they are safe to call
// from any goroutine. *Server implements it.
type Operator interface {
	// Rooms returns the live rooms, oldest first, private ones included.
	Rooms() []LiveRoom
	// Room returns the live room id, private or not, and whether there is
	// one.
	Room(id string) (LiveRoom, bool)
	// ReleaseKicked forgets what the lobby kept for seat, which the room
	// id released on a Kick: its hold, if it was held for a reconnection
	// (so that it never expires into a second release nor resumes), and
	// its reservation. The room has closed the player's connection itself.
	ReleaseKicked(id string, seat *game.Seat)
	// Counters returns the server's counts of connections and seats.
	Counters() Counters
}

// LiveRoom is the lobby's record of a live room, copied under the
// registry's lock: read it without one, and look the room up again for
// fresh counts.
type LiveRoom struct {
	// Room is the room itself.
	Room *game.Room
	// Recorder is the room's recorder: its recordings start and stop
	// there.
	Recorder *record.Recorder
	// Mode, JoinCode and Private are the room's mode, its join code and
	// whether it is reached by that code only.
	Mode     string
	JoinCode string
	Private  bool
	// MaxPlayers is the room's number of seats; Players counts the seats
	// taken, held for a reconnection or being taken.
	MaxPlayers, Players int
	// Phase is the room's phase as the registry last heard of it.
	Phase pb.RoomPhase
	// Created is when the room opened.
	Created time.Time
}

// Counters are a server's counts for the admin overview.
type Counters struct {
	// Connections counts open game WebSocket connections; Sessions those
	// of them past the hello.
	Connections, Sessions int
	// Rooms counts the live rooms; Players the seats they have taken,
	// connected or held; HeldSeats those held for a reconnection.
	Rooms, Players, HeldSeats int
}

var _ Operator = (*Server)(nil)

// Rooms implements Operator.
func (s *Server) Rooms() []LiveRoom {
	r := s.registry
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]LiveRoom, 0, len(r.order))
	for _, e := range r.order {
		if !e.ended {
			out = append(out, e.liveLocked())
		}
	}
	return out
}

// Room implements Operator.
func (s *Server) Room(id string) (LiveRoom, bool) {
	r := s.registry
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.rooms[id]
	if !ok || e.ended {
		return LiveRoom{}, false
	}
	return e.liveLocked(), true
}

// ReleaseKicked implements Operator.
func (s *Server) ReleaseKicked(id string, seat *game.Seat) {
	s.holds.drop(seat)
	s.registry.mu.Lock()
	e := s.registry.rooms[id]
	s.registry.mu.Unlock()
	if e != nil { // a room that ended took its seats with it
		s.registry.Forget(e, seat)
	}
}

// Counters implements Operator.
func (s *Server) Counters() Counters {
	var c Counters
	s.mu.Lock()
	c.Connections, c.Sessions = len(s.conns), len(s.sessions)
	s.mu.Unlock()
	c.HeldSeats = s.holds.cache.Len()
	r := s.registry
	r.mu.Lock()
	for _, e := range r.order {
		if !e.ended {
			c.Rooms++
			c.Players += e.reserved
		}
	}
	r.mu.Unlock()
	return c
}

// liveLocked copies e for the admin API; the registry's mu must be held.
func (e *roomEntry) liveLocked() LiveRoom {
	return LiveRoom{
		Room: e.room, Recorder: e.recorder, Mode: e.mode, JoinCode: e.code, Private: e.private,
		MaxPlayers: e.maxPlayers, Players: e.reserved, Phase: e.phase, Created: e.created,
	}
}
