package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/lobby"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// NoticeRequest is the body of POST /v1/admin/notices.
type NoticeRequest struct {
	// Scope is "server" (the default), "room" or "player".
	Scope string `json:"scope"`
	// Room names the room of the room and player scopes.
	Room string `json:"room,omitempty"`
	// Player is the player of the player scope.
	Player uint32 `json:"player,omitempty"`
	// Severity is "info" (the default), "warning" or "critical".
	Severity string `json:"severity"`
	Text     string `json:"text"`
}

// NoticeResult answers POST /v1/admin/notices.
type NoticeResult struct {
	Scope string `json:"scope"`
	// Reached counts the connections the notice was sent to.
	Reached int `json:"reached"`
}

// MuteRequest is the body of POST /v1/admin/rooms/{id}/mute.
type MuteRequest struct {
	Player uint32 `json:"player"`
	// Muted false lifts a mute.
	Muted bool `json:"muted"`
}

// noticeScopes and noticeSeverities name the scopes and severities in
// requests.
var (
	noticeScopes = map[string]pb.NoticeScope{
		"": pb.NoticeScope_NOTICE_SCOPE_SERVER, "server": pb.NoticeScope_NOTICE_SCOPE_SERVER,
		"room": pb.NoticeScope_NOTICE_SCOPE_ROOM, "player": pb.NoticeScope_NOTICE_SCOPE_PLAYER,
	}
	noticeSeverities = map[string]pb.NoticeSeverity{
		"": pb.NoticeSeverity_NOTICE_SEVERITY_INFO, "info": pb.NoticeSeverity_NOTICE_SEVERITY_INFO,
		"warning": pb.NoticeSeverity_NOTICE_SEVERITY_WARNING, "critical": pb.NoticeSeverity_NOTICE_SEVERITY_CRITICAL,
	}
)

// serveNotice: POST /v1/admin/notices {"scope": "room", "room": "...",
// "severity": "warning", "text": "..."}. The lobby sends the notice and
// says how many connections it reached.
func (a *API) serveNotice(w http.ResponseWriter, r *http.Request) {
	var req NoticeRequest
	if !decodeBody(w, r, &req) {
		return
	}
	scope, ok := noticeScopes[strings.ToLower(req.Scope)]
	if !ok {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("scope %q: want server, room or player", req.Scope))
		return
	}
	severity, ok := noticeSeverities[strings.ToLower(req.Severity)]
	if !ok {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("severity %q: want info, warning or critical", req.Severity))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), inspectTimeout)
	defer cancel()
	reached, err := a.op.Notify(ctx, lobby.Notice{Scope: scope, Room: req.Room, Player: req.Player, Severity: severity, Text: req.Text})
	switch {
	case errors.Is(err, lobby.ErrBadNotice):
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case errors.Is(err, lobby.ErrUnknownRoom):
		unknownRoom(w, req.Room)
		return
	case err != nil:
		playerError(w, req.Room, req.Player, err)
		return
	}
	notices.Inc()
	a.log.Info("notice sent", "scope", req.Scope, "room", req.Room, "player", req.Player, "severity", req.Severity, "reached", reached)
	writeJSON(w, http.StatusOK, NoticeResult{Scope: strings.TrimPrefix(strings.ToLower(scope.String()), "notice_scope_"), Reached: reached})
}

// serveMute: POST /v1/admin/rooms/{id}/mute {"player": 3, "muted": true}.
// The room refuses the player's chat lines until the mute is lifted.
func (a *API) serveMute(w http.ResponseWriter, r *http.Request) {
	room, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	var req MuteRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.Player == 0 {
		writeError(w, http.StatusBadRequest, errNoPlayer)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), inspectTimeout)
	defer cancel()
	if err := room.Room.Mute(ctx, game.PlayerID(req.Player), req.Muted); err != nil {
		playerError(w, room.Room.ID(), req.Player, err)
		return
	}
	result := "muted"
	if !req.Muted {
		result = "unmuted"
	}
	a.log.Info("player "+result, "room", room.Room.ID(), "player", req.Player)
	writeJSON(w, http.StatusOK, ActionResult{Room: room.Room.ID(), Player: req.Player, Result: result})
}
