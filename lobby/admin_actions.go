package lobby

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tickwire/tickwire/game"
)

// maxReasonLength bounds an admin's kick or close reason, which travels to
// the client in Left and in the close frame (whose text is cut at 123 bytes).
const maxReasonLength = 200

// serveKick: POST /v1/admin/rooms/{id}/kick {"player": 3, "reason": "..."}.
// The room sends the player Left{KICKED, reason}, closes the player's
// connection with KICKED and the reason, and releases the seat.
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
	seat, closed, err := e.room.Kick(ctx, game.PlayerID(req.Player), reason)
	if errors.Is(err, game.ErrUnknownPlayer) {
		writeAdminError(w, http.StatusNotFound, fmt.Sprintf("unknown player %d in room %q", req.Player, e.room.ID()))
		return
	}
	if err != nil {
		roomError(w, e.room.ID(), err)
		return
	}
	adminKicks.Inc()
	a.srv.forgetKicked(e, seat)
	a.log.Info("player kicked", "room", e.room.ID(), "player", req.Player, "reason", reason, "connection_closed", closed)
	writeAdmin(w, http.StatusOK, AdminActionResult{Room: e.room.ID(), Player: req.Player, ConnectionClosed: closed, Result: "kicked"})
}

// forgetKicked drops what the lobby kept for a seat the room released on a
// kick: its hold, if it was held for a reconnection (so that it never
// expires into a second release nor resumes), and its reservation. The
// room has closed the player's connection itself, and the session behind
// it finds its port released (session.disconnected).
func (s *Server) forgetKicked(entry *roomEntry, seat *game.Seat) {
	s.holds.drop(seat)
	s.registry.Forget(entry, seat)
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
