package admin

import (
	"fmt"
	"net/http"
)

// maxSessionIDLength bounds a session id in a revoke request; the lobby's
// ids are 24 hex characters and a token holds at most 255 bytes.
const maxSessionIDLength = 255

// RevokeResult answers POST /v1/admin/sessions/{id}/revoke.
type RevokeResult struct {
	Session string `json:"session"`
	// Known says the server's session table knew the session; a server
	// restarted since the session signed in does not, and revokes it all
	// the same.
	Known bool `json:"known"`
	// ConnectionClosed says the session's live connection was closed
	// (AUTH_FAILED); SeatReleased that a seat held for it was released.
	ConnectionClosed bool   `json:"connection_closed"`
	SeatReleased     bool   `json:"seat_released"`
	Result           string `json:"result"`
}

// serveRevoke: POST /v1/admin/sessions/{id}/revoke. Every token of the
// session is refused from now on (INVALID_TOKEN), its live connection is
// closed with AUTH_FAILED and a seat it holds is released.
func (a *API) serveRevoke(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" || len(id) > maxSessionIDLength {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("session id must have 1 to %d bytes", maxSessionIDLength))
		return
	}
	rev := a.op.RevokeSession(id)
	a.log.Info("session revoked", "session", id, "known", rev.Known, "connection_closed", rev.ConnectionClosed)
	writeJSON(w, http.StatusOK, RevokeResult{Session: id, Known: rev.Known, ConnectionClosed: rev.ConnectionClosed,
		SeatReleased: rev.SeatReleased, Result: "revoked"})
}
