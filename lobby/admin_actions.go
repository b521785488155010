package lobby

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// maxReasonLength bounds an admin's kick or close reason, which travels to
// the client in Left and in the close frame (whose text is cut at 123 bytes).
const maxReasonLength = 200

// serveKick: POST /v1/admin/rooms/{id}/kick {"player": 3, "reason": "..."}.
// The room sends the player Left{KICKED, reason} and releases the seat;
// then the player's connection is closed with KICKED and the reason.
func (a *Admin) serveKick(w http.ResponseWriter, r *http.Request) {
	e, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	var req AdminKickRequest
	if !decodeBody(w, r, &req) {
		return
	}
	reason := strings.TrimSpace(req.Reason)
	switch {
	case req.Player == 0:
		writeAdminError(w, http.StatusBadRequest, "player must be a player id (see the room's player_list)")
		return
	case len(reason) > maxReasonLength:
		writeAdminError(w, http.StatusBadRequest, fmt.Sprintf("reason has %d bytes, at most %d allowed", len(reason), maxReasonLength))
		return
	case reason == "":
		reason = "kicked by an admin"
	}
	ctx, cancel := context.WithTimeout(r.Context(), inspectTimeout)
	defer cancel()
	seat, err := e.room.Kick(ctx, game.PlayerID(req.Player), reason)
	if errors.Is(err, game.ErrUnknownPlayer) {
		writeAdminError(w, http.StatusNotFound, fmt.Sprintf("unknown player %d in room %q", req.Player, e.room.ID()))
		return
	}
	if err != nil {
		roomError(w, e.room.ID(), err)
		return
	}
	adminKicks.Inc()
	closed := a.srv.dropKicked(e, seat, reason)
	a.log.Info("player kicked", "room", e.room.ID(), "player", req.Player, "reason", reason, "connection_closed", closed)
	writeAdmin(w, http.StatusOK, AdminActionResult{Room: e.room.ID(), Player: req.Player, ConnectionClosed: closed, Result: "kicked"})
}

// dropKicked forgets a seat the room has released on a kick: the session
// holding it lets go and its connection is closed with KICKED and reason, or
// a hold of it is dropped; the registry frees the seat. It reports whether
// a connection was closed.
func (s *Server) dropKicked(entry *roomEntry, seat *game.Seat, reason string) bool {
	s.mu.Lock()
	conns := make([]*session, 0, len(s.conns))
	for sess := range s.conns {
		conns = append(conns, sess)
	}
	s.mu.Unlock()
	var holder *session
	for _, sess := range conns {
		sess.mu.Lock()
		if sess.seat == seat {
			sess.entry, sess.seat = nil, nil
			holder = sess
		}
		sess.mu.Unlock()
		if holder != nil {
			break
		}
	}
	if holder == nil {
		// Held for a reconnection: claim the hold so it never expires
		// into a second release.
		for _, id := range s.holds.cache.Keys() {
			if h, ok := s.holds.cache.Peek(id); ok && h.seat == seat && h.claimed.CompareAndSwap(false, true) {
				s.holds.cache.Remove(id)
				break
			}
		}
	}
	s.registry.Forget(entry, seat)
	if holder == nil {
		return false
	}
	holder.conn.Close(pb.CloseReason_CLOSE_REASON_KICKED, reason)
	return true
}

// serveClose: POST /v1/admin/rooms/{id}/close {"reason": "..."}. The room
// sends its players the results and Left{ROOM_CLOSED, reason}, then ends.
func (a *Admin) serveClose(w http.ResponseWriter, r *http.Request) {
	e, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	var req AdminCloseRequest
	if !decodeBody(w, r, &req) {
		return
	}
	reason := strings.TrimSpace(req.Reason)
	if len(reason) > maxReasonLength {
		writeAdminError(w, http.StatusBadRequest, fmt.Sprintf("reason has %d bytes, at most %d allowed", len(reason), maxReasonLength))
		return
	}
	if reason == "" {
		reason = "closed by an admin"
	}
	e.room.CloseWithResults(reason)
	a.log.Info("room closed by admin", "room", e.room.ID(), "reason", reason)
	writeAdmin(w, http.StatusAccepted, AdminActionResult{Room: e.room.ID(), Result: "closing"})
}

// serveDebug: POST /v1/admin/rooms/{id}/debug {"command": "..."}, answered
// by the game's debug handler.
func (a *Admin) serveDebug(w http.ResponseWriter, r *http.Request) {
	e, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	var req AdminDebugRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Command) == "" {
		writeAdminError(w, http.StatusBadRequest, "command is empty")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), inspectTimeout)
	defer cancel()
	reply, err := e.room.Debug(ctx, req.Command)
	switch {
	case errors.Is(err, game.ErrNoDebug):
		writeAdminError(w, http.StatusNotImplemented, fmt.Sprintf("the %s game of room %q takes no debug commands", e.mode, e.room.ID()))
	case err != nil && (errors.Is(err, game.ErrRoomClosed) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)):
		roomError(w, e.room.ID(), err)
	case err != nil:
		// The game refused the command: its text is the answer.
		writeAdminError(w, http.StatusBadRequest, err.Error())
	default:
		writeAdmin(w, http.StatusOK, AdminDebugReply{Reply: reply})
	}
}
