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
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// MaxNameLength is the longest display name, in characters.
const MaxNameLength = 24

// joinTimeout bounds how long a session's reader waits for a room to answer.
const joinTimeout = 5 * time.Second

// session is one connection's state machine: hello, then any number of
// join/leave rounds. Its handlers run on the connection's read goroutine;
// disconnected runs after the connection ended, and the mutex guards what
// another connection of the same session may take over.
type session struct {
	server     *Server
	conn       *netcode.Conn
	helloTimer *time.Timer

	welcomed bool
	id       string
	name     string

	// creates holds the times of this session's recent CreateRoom
	// requests; only the read goroutine touches it.
	creates []time.Time

	// seating is held while a join, create or resume is in flight: the room
	// tells the client Joined before the seat is stored here, so a takeover
	// (handOver) must wait for it to be stored.
	seating sync.Mutex

	mu       sync.Mutex
	entry    *roomEntry
	seat     *game.Seat
	replaced bool // another connection took the session (and its seat)
}

// A session may create createBurst rooms per createWindow, so one client
// cannot fill the server's room limit with empty rooms.
const (
	createBurst  = 5
	createWindow = time.Minute
)

// createAllowed records a CreateRoom at now and says whether it is within
// the session's allowance.
func (s *session) createAllowed(now time.Time) bool {
	kept := s.creates[:0]
	for _, t := range s.creates {
		if now.Sub(t) < createWindow {
			kept = append(kept, t)
		}
	}
	s.creates = kept
	if len(s.creates) >= createBurst {
		return false
	}
	s.creates = append(s.creates, now)
	return true
}

// handle routes one client message; a returned error closes the connection.
func (s *session) handle(msg *pb.ClientMessage) error {
	if !s.welcomed {
		hello := msg.GetHello()
		if hello == nil {
			handshakeFailures.WithLabelValues("hello_required").Inc()
			s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_HELLO_REQUIRED, "the first message must be hello"))
			return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: "hello required"}
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
		} else {
			messagesIgnored.WithLabelValues("resync_outside_room").Inc()
		}
	case *pb.ClientMessage_JoinRoom:
		j := body.JoinRoom
		s.join(func(ctx context.Context) (*game.Seat, *roomEntry, error) {
			req := JoinRequest{Mode: j.GetMode(), RoomID: j.GetRoomId(), Code: j.GetJoinCode()}
			return s.server.registry.Join(ctx, req, s.name, s.conn)
		})
	case *pb.ClientMessage_CreateRoom:
		c := body.CreateRoom
		if !s.createAllowed(time.Now()) {
			requestsRefused.WithLabelValues("create_rate").Inc()
			s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_TOO_MANY_ROOMS,
				fmt.Sprintf("at most %d rooms per session per %v", createBurst, createWindow)))
			return nil
		}
		s.join(func(ctx context.Context) (*game.Seat, *roomEntry, error) {
			seat, entry, err := s.server.registry.Create(ctx, c.GetMode(), int(c.GetMaxPlayers()), c.GetPrivate(), s.name, s.conn)
			if err == nil {
				// The room has queued Joined already; RoomCreated follows.
				s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_RoomCreated{RoomCreated: &pb.RoomCreated{
					Room: s.server.registry.Info(entry), JoinCode: entry.code,
				}}})
			}
			return seat, entry, err
		})
	case *pb.ClientMessage_LeaveRoom:
		s.leave()
	case *pb.ClientMessage_ListRooms:
		rooms := s.server.registry.List(body.ListRooms.GetMode())
		s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_RoomList{RoomList: &pb.RoomList{Rooms: rooms}}})
	case *pb.ClientMessage_SubscribeRooms:
		if body.SubscribeRooms.GetUnsubscribe() {
			s.server.registry.Unsubscribe(s)
			return nil
		}
		rooms := s.server.registry.Subscribe(s, body.SubscribeRooms.GetMode())
		s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_RoomList{RoomList: &pb.RoomList{Rooms: rooms}}})
	case *pb.ClientMessage_Hello:
		requestsRefused.WithLabelValues("second_hello").Inc()
		s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_BAD_MESSAGE, "hello was already received"))
	default:
		requestsRefused.WithLabelValues("unexpected_message").Inc()
		s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_BAD_MESSAGE, fmt.Sprintf("unexpected message %T", msg.Body)))
	}
	return nil
}

func (s *session) hello(h *pb.Hello) error {
	if h.GetProtocolVersion() != uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT) {
		handshakeFailures.WithLabelValues("version").Inc()
		text := fmt.Sprintf("protocol version %d is not supported; this server speaks %d",
			h.GetProtocolVersion(), pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT)
		s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_UNSUPPORTED_VERSION, text))
		return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_VERSION_MISMATCH, Message: text}
	}
	if tok := h.GetSessionToken(); tok != "" {
		claims, err := s.server.signer.Verify(tok)
		if err != nil {
			code, label := pb.ErrorCode_ERROR_CODE_INVALID_TOKEN, "invalid_token"
			if errors.Is(err, ErrExpiredToken) {
				code, label = pb.ErrorCode_ERROR_CODE_EXPIRED_TOKEN, "expired_token"
			}
			handshakeFailures.WithLabelValues(label).Inc()
			s.conn.Send(wire.ErrorMessage(code, err.Error()))
			return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_AUTH_FAILED, Message: err.Error()}
		}
		s.id, s.name = claims.SessionID, claims.Name
	} else {
		name, err := ValidateName(h.GetName())
		if err != nil {
			handshakeFailures.WithLabelValues("name").Inc()
			s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_INVALID_NAME, err.Error()))
			return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: "invalid name"}
		}
		s.id, s.name = newSessionID(), name
	}
	token, claims, err := s.server.signer.Issue(s.id, s.name)
	if err != nil {
		return fmt.Errorf("issue session token: %w", err)
	}
	s.welcomed = true
	s.helloTimer.Stop()

	// Take over the seat of a replaced connection, or of a held one.
	var entry *roomEntry
	var seat *game.Seat
	if old := s.server.claimSession(s); old != nil {
		entry, seat = old.handOver()
		sessionsReplaced.Inc()
		old.conn.Close(pb.CloseReason_CLOSE_REASON_REPLACED, "another connection took over this session")
		if seat != nil {
			entry.room.Disconnect(seat)
		}
	}
	if seat == nil {
		// The old connection may have ended first and left its seat held.
		if held, ok := s.server.holds.take(s.id); ok {
			entry, seat = held.entry, held.seat
		}
	}
	// Welcome's rates are the default mode's, for clients of old; a room's
	// own rates come in its Joined.
	rates := s.server.defaultMode.Settings
	s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Welcome{Welcome: &pb.Welcome{
		ProtocolVersion:    uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT),
		SessionId:          s.id,
		TickHz:             uint32(rates.TickHz),
		SnapshotHz:         uint32(rates.SnapshotHz),
		ServerTimeUs:       wire.ServerTimeUS(),
		MaxFrameBytes:      uint32(s.server.cfg.Conn.MaxFrameBytes),
		SessionToken:       token,
		SessionExpiresUnix: claims.Expires.Unix(),
		Name:               s.name,
		Resumed:            seat != nil,
	}}})
	if seat != nil {
		s.resume(entry, seat)
	}
	return nil
}

// resume reattaches this connection to a seat; the room answers with
// Joined{resumed} and a full snapshot.
func (s *session) resume(entry *roomEntry, seat *game.Seat) {
	s.seating.Lock()
	defer s.seating.Unlock()
	ctx, cancel := context.WithTimeout(s.server.ctx, joinTimeout)
	defer cancel()
	if err := entry.room.Resume(ctx, seat, s.conn); err != nil {
		resumesTotal.WithLabelValues("gone").Inc()
		s.server.registry.Leave(entry, seat)
		s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{
			RoomId: entry.room.ID(), Reason: pb.CloseReason_CLOSE_REASON_ROOM_CLOSED, Message: "the held seat is gone: " + err.Error(),
		}}})
		return
	}
	resumesTotal.WithLabelValues("ok").Inc()
	s.mu.Lock()
	s.entry, s.seat = entry, seat
	s.mu.Unlock()
}

// handOver gives this (replaced) connection's seat to its successor.
func (s *session) handOver() (*roomEntry, *game.Seat) {
	s.seating.Lock()
	defer s.seating.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, seat := s.entry, s.seat
	s.entry, s.seat, s.replaced = nil, nil, true
	return entry, seat
}

// join runs a join or create unless the session is seated already.
func (s *session) join(do func(ctx context.Context) (*game.Seat, *roomEntry, error)) {
	if s.currentSeat() != nil {
		requestsRefused.WithLabelValues("already_in_room").Inc()
		s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_ALREADY_IN_ROOM, "leave the current room first"))
		return
	}
	s.seating.Lock()
	defer s.seating.Unlock()
	ctx, cancel := context.WithTimeout(s.server.ctx, joinTimeout)
	defer cancel()
	seat, entry, err := do(ctx)
	if err != nil {
		s.conn.Send(wire.ErrorMessage(joinErrorCode(err), err.Error()))
		return
	}
	s.mu.Lock()
	if s.replaced {
		// A newer connection took the session while this join was in
		// flight; it did not get this seat, so nobody may keep it.
		s.mu.Unlock()
		s.server.registry.Leave(entry, seat)
		return
	}
	s.entry, s.seat = entry, seat
	s.mu.Unlock()
}

// leave gives up the seat at the client's request.
func (s *session) leave() {
	s.mu.Lock()
	entry, seat := s.entry, s.seat
	s.entry, s.seat = nil, nil
	s.mu.Unlock()
	if seat == nil {
		requestsRefused.WithLabelValues("not_in_room").Inc()
		s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_NOT_IN_ROOM, "not in a room"))
		return
	}
	s.server.registry.Leave(entry, seat)
	s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{
		RoomId: entry.room.ID(), Reason: pb.CloseReason_CLOSE_REASON_NORMAL,
	}}})
}

// currentSeat returns the seat while its room still runs; a room that ended
// (match over, closed) has already told the client so.
func (s *session) currentSeat() *game.Seat {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entry == nil {
		return nil
	}
	select {
	case <-s.entry.room.Done():
		s.entry, s.seat = nil, nil
		return nil
	default:
		return s.seat
	}
}

// disconnected runs after the connection ended: the seat is held for the
// reconnection grace, or released when the server is stopping. It keeps
// s.mu until the hold is visible, so a reconnection racing with it finds
// the seat either here (handOver waits) or among the held seats. The room
// never takes s.mu, so holding it across Disconnect cannot deadlock.
func (s *session) disconnected(serverClosing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, seat := s.entry, s.seat
	s.entry, s.seat = nil, nil
	if seat == nil {
		return
	}
	select {
	case <-entry.room.Done():
		return
	default:
	}
	if serverClosing || s.conn.PeerLeft() {
		// A normal closure (1000) is a goodbye: no seat to hold.
		s.server.registry.Leave(entry, seat)
		return
	}
	entry.room.Disconnect(seat)
	s.server.holds.hold(s.id, &heldSeat{entry: entry, seat: seat})
	seatsHeldTotal.Inc()
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
	case errors.Is(err, ErrUnknownCode):
		return pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE
	case errors.Is(err, ErrUnknownMode):
		return pb.ErrorCode_ERROR_CODE_UNKNOWN_MODE
	case errors.Is(err, ErrTooManyRooms):
		return pb.ErrorCode_ERROR_CODE_TOO_MANY_ROOMS
	case errors.Is(err, ErrBadRequest):
		return pb.ErrorCode_ERROR_CODE_BAD_REQUEST
	case errors.Is(err, ErrShuttingDown):
		return pb.ErrorCode_ERROR_CODE_SHUTTING_DOWN
	default:
		return pb.ErrorCode_ERROR_CODE_JOIN_REFUSED
	}
}
