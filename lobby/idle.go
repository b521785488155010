package lobby

import (
	"fmt"
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// The lobby idle rule: a signed-in connection that holds no seat for
// Limits.LobbyIdleTimeout is closed with IDLE_TIMEOUT. The clock starts at
// Welcome and again whenever the session's seat ends; only a seat stops
// it. Listings, subscriptions, pings and failed joins do not count as
// activity: a lobby screen that only watches the room list is a
// connection held for nothing. A seat that ends by the client's LeaveRoom
// restarts the clock at once; one that ends otherwise (the match ended,
// the room closed) is noticed by the next check, which runs every quarter
// of the timeout while the session is seated, so such a client gets
// between one and one and a quarter timeouts in the lobby.

// startIdle starts the lobby idle clock at Welcome.
func (s *session) startIdle() {
	d := s.server.cfg.Limits.LobbyIdleTimeout
	if d <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idleSince = time.Now()
	s.idle = time.AfterFunc(d, s.checkIdle)
}

// stopIdle stops the lobby idle clock once the connection has ended.
func (s *session) stopIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idle != nil {
		s.idle.Stop()
		s.idle = nil
	}
}

// checkIdle runs on the idle timer: it closes the connection when the
// session has held no seat for the timeout, or sets the timer for the next
// check.
func (s *session) checkIdle() {
	d := s.server.cfg.Limits.LobbyIdleTimeout
	seated := s.currentPort() != nil
	now := time.Now()
	s.mu.Lock()
	if s.idle == nil {
		s.mu.Unlock()
		return // the connection has ended
	}
	var wait time.Duration
	switch {
	case seated:
		s.seatSeen, wait = true, d/4
	case s.seatSeen:
		// The seat ended since the last check: the clock starts now.
		s.seatSeen, s.idleSince, wait = false, now, d
	default:
		wait = d - now.Sub(s.idleSince)
	}
	if wait > 0 {
		s.idle.Reset(wait)
		s.mu.Unlock()
		return
	}
	s.idle = nil
	s.mu.Unlock()
	lobbyIdleClosed.Inc()
	s.conn.Close(pb.CloseReason_CLOSE_REASON_IDLE_TIMEOUT, fmt.Sprintf("no room joined for %v", d))
}
