package lobby

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// MaxNameLength is the longest display name, in characters.
const MaxNameLength = 24

// joinTimeout bounds how long a session's reader waits for a room to answer.
const joinTimeout = 5 * time.Second

// session is one connection's state machine: hello, then any number of
// join/leave rounds. Its methods run on the connection's read goroutine,
// except close, which the server calls on shutdown.
type session struct {
	server *Server
	conn   *netcode.Conn
	id     string

	welcomed bool
	name     string

	helloTimer *time.Timer

	mu   sync.Mutex // guards room and seat, which the server reads at shutdown
	room *game.Room
	seat *game.Seat
}

// handle routes one client message; a returned error closes the connection.
func (s *session) handle(msg *pb.ClientMessage) error {
	if !s.welcomed {
		hello := msg.GetHello()
		if hello == nil {
			handshakeFailures.WithLabelValues("hello_required").Inc()
			s.conn.Send(netcode.ErrorMessage(pb.ErrorCode_ERROR_CODE_HELLO_REQUIRED, "the first message must be hello"))
			return &netcode.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: "hello required"}
		}
		return s.hello(hello)
	}
	switch body := msg.Body.(type) {
	case *pb.ClientMessage_Input:
		if seat := s.currentSeat(); seat != nil {
			seat.PushInputs(body.Input.GetInputs())
			seat.Ack(body.Input.GetAckTick())
		} else {
			messagesIgnored.WithLabelValues("input_outside_room").Inc()
		}
	case *pb.ClientMessage_Ack:
		if seat := s.currentSeat(); seat != nil {
			seat.Ack(body.Ack.GetTick())
		} else {
			messagesIgnored.WithLabelValues("ack_outside_room").Inc()
		}
	case *pb.ClientMessage_Resync:
		if seat := s.currentSeat(); seat != nil {
			seat.RequestResync()
		}
	case *pb.ClientMessage_JoinRoom:
		s.join(body.JoinRoom)
	case *pb.ClientMessage_LeaveRoom:
		s.leave(pb.CloseReason_CLOSE_REASON_NORMAL)
	case *pb.ClientMessage_Hello:
		s.conn.Send(netcode.ErrorMessage(pb.ErrorCode_ERROR_CODE_BAD_MESSAGE, "hello was already received"))
	default:
		s.conn.Send(netcode.ErrorMessage(pb.ErrorCode_ERROR_CODE_BAD_MESSAGE, fmt.Sprintf("unexpected message %T", msg.Body)))
	}
	return nil
}

func (s *session) hello(h *pb.Hello) error {
	if h.GetProtocolVersion() != uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT) {
		handshakeFailures.WithLabelValues("version").Inc()
		text := fmt.Sprintf("protocol version %d is not supported; this server speaks %d",
			h.GetProtocolVersion(), pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT)
		s.conn.Send(netcode.ErrorMessage(pb.ErrorCode_ERROR_CODE_UNSUPPORTED_VERSION, text))
		return &netcode.CloseError{Reason: pb.CloseReason_CLOSE_REASON_VERSION_MISMATCH, Message: text}
	}
	name, err := ValidateName(h.GetName())
	if err != nil {
		handshakeFailures.WithLabelValues("name").Inc()
		s.conn.Send(netcode.ErrorMessage(pb.ErrorCode_ERROR_CODE_INVALID_NAME, err.Error()))
		return &netcode.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: "invalid name"}
	}
	s.name = name
	s.welcomed = true
	s.server.handshakeDone(s)
	settings := s.server.cfg.Rooms
	s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Welcome{Welcome: &pb.Welcome{
		ProtocolVersion: uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT),
		SessionId:       s.id,
		TickHz:          uint32(settings.TickHz),
		SnapshotHz:      uint32(settings.SnapshotHz),
		ServerTimeUs:    netcode.ServerTimeUS(),
		MaxFrameBytes:   uint32(s.server.cfg.Conn.MaxFrameBytes),
	}}})
	return nil
}

func (s *session) join(j *pb.JoinRoom) {
	if s.currentSeat() != nil {
		s.conn.Send(netcode.ErrorMessage(pb.ErrorCode_ERROR_CODE_ALREADY_IN_ROOM, "leave the current room first"))
		return
	}
	ctx, cancel := context.WithTimeout(s.server.ctx, joinTimeout)
	defer cancel()
	seat, room, err := s.server.registry.Join(ctx, j.GetMode(), j.GetRoomId(), s.name, s.conn)
	if err != nil {
		s.conn.Send(netcode.ErrorMessage(joinErrorCode(err), err.Error()))
		return
	}
	s.mu.Lock()
	s.room, s.seat = room, seat
	s.mu.Unlock()
}

// leave gives up the seat, if any, and tells the client with reason.
func (s *session) leave(reason pb.CloseReason) {
	s.mu.Lock()
	room, seat := s.room, s.seat
	s.room, s.seat = nil, nil
	s.mu.Unlock()
	if seat == nil {
		if reason == pb.CloseReason_CLOSE_REASON_NORMAL {
			s.conn.Send(netcode.ErrorMessage(pb.ErrorCode_ERROR_CODE_NOT_IN_ROOM, "not in a room"))
		}
		return
	}
	s.server.registry.Leave(room, seat)
	s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{RoomId: room.ID(), Reason: reason}}})
}

// currentSeat returns the seat while its room still runs; a room that ended
// (match over, closed) has already told the client so.
func (s *session) currentSeat() *game.Seat {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.room == nil {
		return nil
	}
	select {
	case <-s.room.Done():
		s.room, s.seat = nil, nil
		return nil
	default:
		return s.seat
	}
}

// disconnected releases the seat after the connection ended.
func (s *session) disconnected() {
	s.mu.Lock()
	room, seat := s.room, s.seat
	s.room, s.seat = nil, nil
	s.mu.Unlock()
	if seat != nil {
		s.server.registry.Leave(room, seat)
	}
}

// ValidateName trims a display name and checks its length and characters:
// 1 to MaxNameLength letters, digits, spaces and the marks - _ . ' !
func ValidateName(name string) (string, error) {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	if n == 0 {
		return "", errors.New("name is empty")
	}
	if n > MaxNameLength {
		return "", fmt.Errorf("name has %d characters, at most %d allowed", n, MaxNameLength)
	}
	if !utf8.ValidString(name) {
		return "", errors.New("name is not valid UTF-8")
	}
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || strings.ContainsRune("-_.'!", r) {
			continue
		}
		return "", fmt.Errorf("name contains %q (allowed: letters, digits, spaces and - _ . ' !)", r)
	}
	return name, nil
}

func joinErrorCode(err error) pb.ErrorCode {
	switch {
	case errors.Is(err, game.ErrRoomFull):
		return pb.ErrorCode_ERROR_CODE_ROOM_FULL
	case errors.Is(err, ErrUnknownRoom), errors.Is(err, game.ErrRoomClosed):
		return pb.ErrorCode_ERROR_CODE_UNKNOWN_ROOM
	case errors.Is(err, ErrUnknownMode):
		return pb.ErrorCode_ERROR_CODE_UNKNOWN_MODE
	case errors.Is(err, ErrShuttingDown):
		return pb.ErrorCode_ERROR_CODE_SHUTTING_DOWN
	default:
		return pb.ErrorCode_ERROR_CODE_JOIN_REFUSED
	}
}
