package lobby

import (
	"context"
	"fmt"
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Drain is the first step of a graceful stop (SIGTERM): the server takes
// no new players (JoinRoom and CreateRoom get SHUTTING_DOWN, /healthz
// answers 503) but keeps its connections, so players whose matches run
// can resume their seats; rooms whose match is not running end at once;
// running matches play on until they end, their last player leaves or ctx
// ends, and are then ended with their standings (game.Room.Drain:
// MatchResults, then Left{SERVER_SHUTDOWN}). Shutdown follows, and closes
// the connections.
// Drain returns once no room is left, or ctx ended and every room has been
// told to end; it reports how many matches it cut short.
func (s *Server) Drain(ctx context.Context) (cut int) {
	s.mu.Lock()
	s.draining = true
	s.mu.Unlock()
	// Joins are refused before the notice says they are: a player told of
	// the drain who joins at once must not find a seat.
	s.registry.refuseNew()
	s.announceDrain(ctx)
	return s.registry.Drain(ctx)
}

// announceDrain tells every connection of the drain with a WARNING notice
// of the server scope, before any room ends, so that players learn why
// new games are refused and how long theirs may last.
func (s *Server) announceDrain(ctx context.Context) {
	text := "The server is shutting down: no new games; running matches play on until they end."
	if deadline, ok := ctx.Deadline(); ok {
		text = fmt.Sprintf("The server is shutting down: no new games; running matches play on for at most %s.",
			time.Until(deadline).Round(time.Second))
	}
	reached, err := s.Notify(ctx, Notice{Scope: pb.NoticeScope_NOTICE_SCOPE_SERVER, Severity: pb.NoticeSeverity_NOTICE_SEVERITY_WARNING, Text: text})
	s.log.Info("draining: no new players; running matches play on", "notified", reached, "err", err)
}

// Drain refuses new joins and rooms, ends every room whose match is not
// running, and waits for the running ones to end or ctx to; it then drains
// those left (game.Room.Drain) and returns how many it cut short. A running
// match with no seat taken, from the start or once its last player leaves,
// is drained at once: nobody plays on in it, and nobody may join it.
func (r *Registry) Drain(ctx context.Context) (cut int) {
	r.refuseNew()
	r.mu.Lock()
	entries := append([]*roomEntry(nil), r.order...)
	r.mu.Unlock()
	var running []*roomEntry
	for _, e := range entries {
		if e.room.Phase() == pb.RoomPhase_ROOM_PHASE_RUNNING {
			running = append(running, e)
			continue
		}
		e.room.Drain() // nothing under way: results of whoever sat there
	}
	look := time.NewTicker(drainLook)
	defer look.Stop()
	for {
		running = r.endEmptyMatches(running, &cut)
		if len(running) == 0 {
			break
		}
		select {
		case <-running[0].room.Done():
			continue
		case <-look.C:
			continue
		case <-ctx.Done():
		}
		for _, left := range running {
			select {
			case <-left.room.Done():
			default:
				left.room.Drain()
				cut++
			}
		}
		break
	}
	// Every room has been told to end; wait (briefly: a room ends within a
	// tick) for their last messages to be queued.
	wait := make(chan struct{})
	go func() { r.wg.Wait(); close(wait) }()
	select {
	case <-wait:
	case <-time.After(drainSettle):
	}
	drainsCut.Add(float64(cut))
	return cut
}

// drainSettle bounds the wait for drained rooms to end; Shutdown waits for
// whatever is left.
const drainSettle = 2 * time.Second

// drainLook is how often a drain looks for running matches that ended or
// emptied while it waited.
const drainLook = 250 * time.Millisecond

// endEmptyMatches returns the rooms of running still to wait for: it
// leaves out those that ended, and drains (counting in cut) those whose
// match runs with no seat taken. A room whose match is over but which has
// not ended yet is waited for: it ends by itself.
func (r *Registry) endEmptyMatches(running []*roomEntry, cut *int) []*roomEntry {
	still := running[:0]
	for _, e := range running {
		select {
		case <-e.room.Done():
			continue
		default:
		}
		r.mu.Lock()
		empty := e.reserved == 0
		r.mu.Unlock()
		if empty && e.room.Phase() == pb.RoomPhase_ROOM_PHASE_RUNNING {
			e.room.Drain()
			*cut++
			continue
		}
		still = append(still, e)
	}
	return still
}

// refuseNew makes the registry refuse new joins and rooms with
// SHUTTING_DOWN from now on.
func (r *Registry) refuseNew() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
}
