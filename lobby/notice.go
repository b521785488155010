package lobby

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// MaxNoticeChars is the longest notice text, in characters.
const MaxNoticeChars = 500

// ErrBadNotice wraps the reasons Notify refuses a notice it was asked to
// send (empty or too long a text, an unknown scope or severity, a scope
// without its room or player).
var ErrBadNotice = errors.New("bad notice")

// Notice is a message of the server's operator to its players, such as
// "maintenance in 5 minutes" (pb.Notice on the wire).
type Notice struct {
	// Scope is who gets it: every connection of the server, every player
	// (and spectator) of Room, or Player of Room.
	Scope pb.NoticeScope
	// Room names the room of the ROOM and PLAYER scopes.
	Room string
	// Player is the player of the PLAYER scope, as Joined numbered it.
	Player uint32
	// Severity is how much it matters.
	Severity pb.NoticeSeverity
	// Text is what it says: 1 to MaxNoticeChars characters.
	Text string
}

var noticesSent = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "tickwire_notices_total",
	Help: "Operator notices sent, by scope (server, room, player).",
}, []string{"scope"})

// Notify sends n to its scope and returns how many connections (players,
// and spectators of the rooms reached) it was sent to. The admin API calls
// it for POST /v1/admin/notices, and a graceful drain to warn everyone
// before it closes. It returns an error wrapping ErrBadNotice,
// ErrUnknownRoom or game.ErrUnknownPlayer, or ctx's.
func (s *Server) Notify(ctx context.Context, n Notice) (int, error) {
	text := strings.TrimSpace(n.Text)
	switch c := utf8.RuneCountInString(text); {
	case c == 0:
		return 0, fmt.Errorf("notify: %w: empty text", ErrBadNotice)
	case c > MaxNoticeChars:
		return 0, fmt.Errorf("notify: %w: text of %d characters, at most %d", ErrBadNotice, c, MaxNoticeChars)
	case pb.NoticeSeverity_name[int32(n.Severity)] == "":
		return 0, fmt.Errorf("notify: %w: unknown severity %d", ErrBadNotice, n.Severity)
	}
	msg := &pb.Notice{Severity: n.Severity, Text: text, ServerTimeUs: wire.ServerTimeUS(), Scope: n.Scope}
	switch n.Scope {
	case pb.NoticeScope_NOTICE_SCOPE_SERVER:
		reached := s.notifyAll(msg)
		noticesSent.WithLabelValues("server").Inc()
		return reached, nil
	case pb.NoticeScope_NOTICE_SCOPE_ROOM, pb.NoticeScope_NOTICE_SCOPE_PLAYER:
	default:
		return 0, fmt.Errorf("notify: %w: unknown scope %d", ErrBadNotice, n.Scope)
	}
	if n.Room == "" {
		return 0, fmt.Errorf("notify: %w: scope %v names no room", ErrBadNotice, n.Scope)
	}
	live, ok := s.Room(n.Room)
	if !ok {
		return 0, fmt.Errorf("notify: room %q: %w", n.Room, ErrUnknownRoom)
	}
	p := game.Observer
	label := "room"
	if n.Scope == pb.NoticeScope_NOTICE_SCOPE_PLAYER {
		if n.Player == 0 {
			return 0, fmt.Errorf("notify: %w: scope %v names no player", ErrBadNotice, n.Scope)
		}
		p, label = game.PlayerID(n.Player), "player"
	}
	reached, err := live.Room.Notify(ctx, p, msg)
	if err != nil {
		return 0, fmt.Errorf("notify: room %q: %w", n.Room, err)
	}
	noticesSent.WithLabelValues(label).Inc()
	return reached, nil
}

// notifyAll sends msg to every welcomed connection and every room's
// spectators, and returns how many connections it was sent to.
func (s *Server) notifyAll(msg *pb.Notice) int {
	s.mu.Lock()
	sessions := make([]*session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		sessions = append(sessions, sess)
	}
	s.mu.Unlock()
	out := &pb.ServerMessage{Body: &pb.ServerMessage_Notice{Notice: msg}}
	for _, sess := range sessions {
		sess.conn.Send(out)
	}
	for _, r := range s.Rooms() {
		r.Room.NotifySpectators(msg)
	}
	return len(sessions)
}
