package lobby

import (
	"errors"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// talk hands a game message or chat line to the session's seat through
// push, and tells the client of a refusal (a quiet one, a repeat within
// the second, is only counted by the room). Outside a room the answer is
// code (CHAT_REFUSED or MESSAGE_REFUSED, never a code a request's answer
// may carry), counted as outside.
func (s *session) talk(push func(*game.InputPort) error, code pb.ErrorCode, outside, what string) {
	port := s.currentPort()
	if port == nil {
		requestsRefused.WithLabelValues(outside).Inc()
		s.conn.Send(wire.ErrorMessage(code, what+": not in a room"))
		return
	}
	err := push(port)
	var ref *game.Refusal
	switch {
	case err == nil:
	case errors.As(err, &ref):
		if !ref.Quiet {
			s.conn.Send(wire.ErrorMessage(ref.Code, ref.Text))
		}
	default:
		s.conn.Send(wire.ErrorMessage(code, err.Error()))
	}
}

// gameMessage hands a game message to the session's seat.
func (s *session) gameMessage(m *pb.GameMessage) {
	s.talk(func(p *game.InputPort) error { return p.PushMessage(m) }, pb.ErrorCode_ERROR_CODE_MESSAGE_REFUSED, "message_outside_room", "game message")
}

// chat hands a chat line to the session's seat.
func (s *session) chat(c *pb.SendChat) {
	s.talk(func(p *game.InputPort) error { return p.PushChat(c.GetChannel(), c.GetText()) }, pb.ErrorCode_ERROR_CODE_CHAT_REFUSED, "chat_outside_room", "chat")
}
