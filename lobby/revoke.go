package lobby

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Revocation is what RevokeSession did.
type Revocation struct {
	// Known says the session table knew the session (a server that
	// restarted knows only the sessions seen since; the revocation holds
	// all the same).
	Known bool
	// ConnectionClosed says the session's live connection was closed
	// (AUTH_FAILED).
	ConnectionClosed bool
	// SeatReleased says a seat held for the session's reconnection was
	// released.
	SeatReleased bool
}

// RevokeSession revokes session id: none of its tokens is accepted again
// (a Hello with one gets INVALID_TOKEN), its live connection, if any, is
// told so and closed with AUTH_FAILED, and its seat is released rather
// than held. It implements Operator.
func (s *Server) RevokeSession(id string) Revocation {
	var rev Revocation
	// Tokens live SessionTTL from their issue at the latest.
	rev.Known = s.store.Revoke(id, time.Now().Add(s.cfg.SessionTTL))
	sessionsRevoked.Inc()
	s.mu.Lock()
	sess := s.sessions[id]
	s.mu.Unlock()
	if sess != nil {
		sess.closeRevoked()
		rev.ConnectionClosed = true
	}
	if held, ok := s.holds.take(id); ok {
		s.registry.Leave(held.entry, held.seat)
		rev.SeatReleased = true
	}
	s.log.Info("session revoked", "session", id, "known", rev.Known, "connection_closed", rev.ConnectionClosed, "seat_released", rev.SeatReleased)
	return rev
}

// closeRevoked tells the connection of a revoked session so and closes it
// with AUTH_FAILED; its seat is then released, not held.
func (s *session) closeRevoked() {
	s.revoked.Store(true) // before the close: disconnected reads it
	s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_INVALID_TOKEN, ErrSessionRevoked.Error()))
	s.conn.Close(pb.CloseReason_CLOSE_REASON_AUTH_FAILED, ErrSessionRevoked.Error())
}

var sessionsRevoked = promauto.NewCounter(prometheus.CounterOpts{
	Name: "tickwire_sessions_revoked_total",
	Help: "Sessions revoked by an operator (admin API).",
})
