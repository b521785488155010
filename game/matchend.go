package game

import (
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// How a room's match ended (MatchEnd.Reason).
const (
	// EndMatchOver: the game reported the match over (Results).
	EndMatchOver = "ended"
	// EndDrained: the server drained (Drain): the match was cut short at
	// shutdown with the standings of the moment.
	EndDrained = "drained"
	// EndClosed: an operator closed the room (Close, CloseWithResults).
	EndClosed = "closed"
	// EndCrashed: the game (or the room) panicked.
	EndCrashed = "crashed"
	// EndAbandoned: every player left and the room timed out empty.
	EndAbandoned = "abandoned"
	// EndShutdown: the server stopped without draining the room (Close
	// with SERVER_SHUTDOWN, or Run's context ended).
	EndShutdown = "shutdown"
)

// MatchEnd is what a room reports through RoomConfig.OnEnd when it ends:
// once per room, for a room whose match started, that had seats when it
// ended, or that crashed.
type MatchEnd struct {
	// RoomID and Mode name the room.
	RoomID, Mode string
	// Reason says how it ended (EndMatchOver, EndDrained, ...).
	Reason string
	// Started says whether the match began (the room reached RUNNING);
	// StartTick is its first tick, EndTick the room's last stepped one.
	Started            bool
	StartTick, EndTick uint32
	// TickHz is the room's simulation rate.
	TickHz int
	// Results are the players' lines, best first: the game's results or
	// standings when it gave them, else one line per seat without scores
	// (a crash, a close without results).
	Results []PlayerResult
	// ResultNames names the values of each line (the schema's Results).
	ResultNames []string
}

// Ticks is the match's length in ticks: StartTick to EndTick, both
// stepped (0 for a match that never started, or ended before its first
// tick).
func (m MatchEnd) Ticks() uint32 {
	if !m.Started || m.EndTick < m.StartTick {
		return 0
	}
	return m.EndTick - m.StartTick + 1
}

// Duration is the match's length in game time, Ticks at TickHz.
func (m MatchEnd) Duration() time.Duration {
	if m.TickHz <= 0 {
		return 0
	}
	return time.Duration(m.Ticks()) * time.Second / time.Duration(m.TickHz)
}

// Drain ends the room for a server that stops: every connected player (and
// spectator) gets MatchResults as CloseWithResults sends them, then
// Left{SERVER_SHUTDOWN}; the room reports its end as EndDrained. It never
// blocks; only the first call of Close, CloseWithResults or Drain counts.
func (r *Room) Drain() {
	r.once.Do(func() {
		r.reason = pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN
		r.closeMessage = "server shutting down"
		r.withResults = true
		r.drained = true
		close(r.closing)
	})
}

// reportEnd hands the room's end to OnEnd, once, when there is something to
// report. Room goroutine only; results nil means one line per seat.
func (r *Room) reportEnd(reason string, results []PlayerResult) {
	if r.reported || r.cfg.OnEnd == nil {
		return
	}
	r.reported = true
	if !r.matchStarted && len(r.seats) == 0 && reason != EndCrashed {
		return // a room nobody played in
	}
	if results == nil {
		results = r.seatResults()
	}
	names := make([]string, len(r.cfg.Schema.Results))
	for i, f := range r.cfg.Schema.Results {
		names[i] = f.Name
	}
	r.cfg.OnEnd(MatchEnd{
		RoomID: r.cfg.ID, Mode: r.cfg.Mode, Reason: reason,
		Started: r.matchStarted, StartTick: r.matchStart, EndTick: r.tick, TickHz: r.cfg.TickHz,
		Results: CloneResults(results), ResultNames: names,
	})
}

// seatResults is one line per seat, without scores: the results of a room
// whose game gave none.
func (r *Room) seatResults() []PlayerResult {
	res := make([]PlayerResult, 0, len(r.seats))
	for _, s := range r.seats {
		res = append(res, PlayerResult{Player: s.player, Name: s.name, EntityID: s.entity})
	}
	return res
}
