package admin

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
func (a *API) serveKick(w http.ResponseWriter, r *http.Request) {
	room, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	var req KickRequest
	if !decodeBody(w, r, &req) {
		return
	}
	reason := strings.TrimSpace(req.Reason)
	switch {
	case req.Player == 0:
		writeError(w, http.StatusBadRequest, errNoPlayer)
		return
	case len(reason) > maxReasonLength:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("reason has %d bytes, at most %d allowed", len(reason), maxReasonLength))
		return
	case reason == "":
		reason = "kicked by an admin"
	}
	ctx, cancel := context.WithTimeout(r.Context(), inspectTimeout)
	defer cancel()
	seat, closed, err := room.Room.Kick(ctx, game.PlayerID(req.Player), reason)
	if err != nil {
		playerError(w, room.Room.ID(), req.Player, err)
		return
	}
	kicks.Inc()
	a.op.ReleaseKicked(room.Room.ID(), seat)
	a.log.Info("player kicked", "room", room.Room.ID(), "player", req.Player, "reason", reason, "connection_closed", closed)
	writeJSON(w, http.StatusOK, ActionResult{Room: room.Room.ID(), Player: req.Player, ConnectionClosed: closed, Result: "kicked"})
}

// serveClose: POST /v1/admin/rooms/{id}/close {"reason": "..."}. The room
// sends its players the results and Left{ROOM_CLOSED, reason}, then ends.
func (a *API) serveClose(w http.ResponseWriter, r *http.Request) {
	room, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	var req CloseRequest
	if !decodeBody(w, r, &req) {
		return
	}
	reason := strings.TrimSpace(req.Reason)
	if len(reason) > maxReasonLength {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("reason has %d bytes, at most %d allowed", len(reason), maxReasonLength))
		return
	}
	if reason == "" {
		reason = "closed by an admin"
	}
	room.Room.CloseWithResults(reason)
	a.log.Info("room closed by admin", "room", room.Room.ID(), "reason", reason)
	writeJSON(w, http.StatusAccepted, ActionResult{Room: room.Room.ID(), Result: "closing"})
}

// serveDebug: POST /v1/admin/rooms/{id}/debug {"command": "..."}, answered
// by the game's debug handler.
func (a *API) serveDebug(w http.ResponseWriter, r *http.Request) {
	room, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	var req DebugRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Command) == "" {
		writeError(w, http.StatusBadRequest, "command is empty")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), inspectTimeout)
	defer cancel()
	reply, err := room.Room.Debug(ctx, req.Command)
	switch {
	case errors.Is(err, game.ErrNoDebug):
		writeError(w, http.StatusNotImplemented, fmt.Sprintf("the %s game of room %q takes no debug commands", room.Mode, room.Room.ID()))
	case err != nil && (errors.Is(err, game.ErrRoomClosed) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)):
		roomError(w, room.Room.ID(), err)
	case err != nil:
		// The game refused the command: its text is the answer.
		writeError(w, http.StatusBadRequest, err.Error())
	default:
		writeJSON(w, http.StatusOK, DebugReply{Reply: reply})
	}
}
