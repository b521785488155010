package lobby

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

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

	// addr is the key of the client's address in the per-address
	// budgets.
	addr string
	// refusals is the connection's budget of refused requests (nil: none);
	// only the read goroutine uses it.
	refusals *rate.Limiter

	welcomed bool
	id       string
	name     string
	// revoked is set when an operator revoked the session (RevokeSession),
	// before its connection is closed: its seat is released, not held.
	revoked atomic.Bool
	// goneRoom is the room of a seat on a cluster node that is gone, told
	// after Welcome (cluster_session.go).
	goneRoom string

	// seating is held while a join, create or resume is in flight (for a
	// resume, from the session's claim in hello): the room tells the client
	// Joined before the port is stored here, so a takeover (handOver) must
	// wait for it to be stored.
	seating sync.Mutex

	mu    sync.Mutex
	entry *roomEntry
	// port is this connection's way into its seat (port.Seat()).
	port     *game.InputPort
	replaced bool // another connection took the session (and its seat)
	// idle is the lobby idle timer (idle.go), nil when off or stopped;
	// idleSince is when the session last had no seat, and seatSeen says
	// a check found it seated since.
	idle      *time.Timer
	idleSince time.Time
	seatSeen  bool
}

// refused spends a token of the connection's budget of refused requests,
// after a refusal the client has been told of, and returns the close of a
// client that keeps asking regardless.
func (s *session) refused() error {
	if s.refusals == nil || s.refusals.Allow() {
		return nil
	}
	requestsRefused.WithLabelValues("refusals_conn").Inc()
	return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: "too many refused requests"}
}

// refuseBudget answers a request refused by budget b with refusal (a
// label of b.allow or b.reserve): counted, told to the client, and
// spent from the connection's budget of refusals.
func (s *session) refuseBudget(b *budget, refusal string) error {
	requestsRefused.WithLabelValues(refusal).Inc()
	s.conn.SendFrame(b.refusal(refusal))
	return s.refused()
}

// helloRequired refuses a first message that is not Hello.
func (s *session) helloRequired() error {
	handshakeFailures.WithLabelValues("hello_required").Inc()
	s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_HELLO_REQUIRED, "the first message must be hello"))
	return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: "hello required"}
}

// handleInputs takes an input batch the connection decoded on its fast
// path (netcode.Conn.HandleInputs), as handle takes an InputBatch message.
func (s *session) handleInputs(b *wire.InputBatch) error {
	if !s.welcomed {
		return s.helloRequired()
	}
	if port := s.currentPort(); port != nil {
		port.PushDecodedInputs(b.Inputs)
		port.Ack(b.AckTick)
	} else {
		messagesIgnored.WithLabelValues("input_outside_room").Inc()
	}
	return nil
}

// handle routes one client message; a returned error closes the connection.
func (s *session) handle(msg *pb.ClientMessage) error {
	if !s.welcomed {
		hello := msg.GetHello()
		if hello == nil {
			return s.helloRequired()
		}
		return s.hello(hello)
	}
	switch body := msg.Body.(type) {
	case *pb.ClientMessage_Input:
		// Only batches the fast decoder leaves alone come this way (see
		// handleInputs).
		if port := s.currentPort(); port != nil {
			port.PushInputs(body.Input.GetInputs())
			port.Ack(body.Input.GetAckTick())
		} else {
			messagesIgnored.WithLabelValues("input_outside_room").Inc()
		}
	case *pb.ClientMessage_Ack:
		if port := s.currentPort(); port != nil {
			port.Ack(body.Ack.GetTick())
		} else {
			messagesIgnored.WithLabelValues("ack_outside_room").Inc()
		}
	case *pb.ClientMessage_Resync:
		if port := s.currentPort(); port != nil {
			port.RequestResync()
		} else {
			messagesIgnored.WithLabelValues("resync_outside_room").Inc()
		}
	case *pb.ClientMessage_GameMessage:
		s.gameMessage(body.GameMessage)
	case *pb.ClientMessage_Chat:
		s.chat(body.Chat)
	case *pb.ClientMessage_JoinRoom:
		return s.joinRoom(body.JoinRoom)
	case *pb.ClientMessage_CreateRoom:
		c := body.CreateRoom
		if s.refuseSeated() {
			return nil // before the budget: a refused create spends none
		}
		if refusal := s.server.creates.allow(s.addr, s.id, time.Now()); refusal != "" {
			return s.refuseBudget(s.server.creates, refusal)
		}
		s.join(func(ctx context.Context) (*game.InputPort, *roomEntry, error) {
			port, entry, err := s.server.registry.Create(ctx, c.GetMode(), int(c.GetMaxPlayers()), c.GetPrivate(), s.name, s.conn)
			if err == nil {
				// The room has queued Joined already; RoomCreated follows.
				s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_RoomCreated{RoomCreated: &pb.RoomCreated{
					Room: s.server.registry.Info(entry), JoinCode: entry.code,
				}}})
			}
			return port, entry, err
		})
	case *pb.ClientMessage_LeaveRoom:
		s.leave()
	case *pb.ClientMessage_ListRooms:
		l := body.ListRooms
		return s.list(l.GetMode(), l.GetCursor(), l.GetLimit(), false)
	case *pb.ClientMessage_SubscribeRooms:
		if body.SubscribeRooms.GetUnsubscribe() {
			s.server.registry.Unsubscribe(s)
			return nil
		}
		sub := body.SubscribeRooms
		return s.list(sub.GetMode(), "", sub.GetLimit(), true)
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
	// gen is the generation of the token this Hello is answered with;
	// fresh says the session is new.
	var gen uint64
	var fresh bool
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
		next, err := s.server.store.Renew(claims.SessionID, claims.Generation, claims.Expires)
		if err != nil {
			label := "retired_token"
			if errors.Is(err, ErrSessionRevoked) {
				label = "revoked_session"
			}
			handshakeFailures.WithLabelValues(label).Inc()
			s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_INVALID_TOKEN, err.Error()))
			return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_AUTH_FAILED, Message: err.Error()}
		}
		s.id, s.name, gen = claims.SessionID, claims.Name, next
		if redirected, err := s.clusterHello(); redirected || err != nil {
			return err
		}
	} else {
		if refusal := s.server.signIns.allow(s.addr, "", time.Now()); refusal != "" {
			handshakeFailures.WithLabelValues(refusal).Inc()
			s.conn.SendFrame(s.server.signIns.refusal(refusal))
			return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: "too many sign-ins"}
		}
		name, err := ValidateName(h.GetName())
		if err != nil {
			handshakeFailures.WithLabelValues("name").Inc()
			s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_INVALID_NAME, err.Error()))
			return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: "invalid name"}
		}
		s.id, s.name, gen, fresh = newSessionID(), name, 1, true
	}
	token, claims, err := s.server.signer.IssueGeneration(s.id, s.name, gen)
	if err != nil {
		return fmt.Errorf("issue session token: %w", err)
	}
	if fresh {
		if err := s.server.store.Start(s.id, gen, claims.Expires); err != nil {
			return fmt.Errorf("start session: %w", err)
		}
	}
	s.welcomed = true
	s.helloTimer.Stop()
	s.startIdle()

	// Take over the seat of a replaced connection, or of a held one.
	// seating is held from the claim until the seat taken over is stored
	// (resume), so that a connection taking this one over in between
	// waits in handOver and gets the seat, rather than finding none.
	var entry *roomEntry
	var seat *game.Seat
	s.seating.Lock()
	old := s.server.claimSession(s)
	if !fresh && s.server.store.Revoked(s.id) {
		// Revoked while this Hello was under way, before the claim that
		// would have let RevokeSession find this connection. The claim
		// may have taken the session from a connection RevokeSession
		// cannot find any more: that one is closed too, its seat released.
		s.seating.Unlock()
		if old != nil {
			old.closeRevoked()
		}
		s.revoked.Store(true)
		handshakeFailures.WithLabelValues("revoked_session").Inc()
		s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_INVALID_TOKEN, ErrSessionRevoked.Error()))
		return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_AUTH_FAILED, Message: ErrSessionRevoked.Error()}
	}
	if old != nil {
		var port *game.InputPort
		entry, port = old.handOver()
		sessionsReplaced.Inc()
		old.conn.Close(pb.CloseReason_CLOSE_REASON_REPLACED, "another connection took over this session")
		if port != nil {
			entry.room.Disconnect(port)
			seat = port.Seat()
		}
	}
	if seat == nil {
		// The old connection may have ended first and left its seat held.
		if held, ok := s.server.holds.take(s.id); ok {
			entry, seat = held.entry, held.seat
		}
	}
	s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Welcome{Welcome: &pb.Welcome{
		ProtocolVersion:    uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT),
		SessionId:          s.id,
		ServerTimeUs:       wire.ServerTimeUS(),
		MaxFrameBytes:      uint32(s.server.cfg.Conn.MaxFrameBytes),
		SessionToken:       token,
		SessionExpiresUnix: claims.Expires.Unix(),
		Name:               s.name,
		Resumed:            seat != nil,
	}}})
	// The session's id is what an operator revokes it by.
	s.server.log.Debug("session welcomed", "session", s.id, "name", s.name, "remote", s.conn.RemoteAddr(), "resumed", seat != nil)
	if seat != nil {
		s.resumeLocked(entry, seat)
		s.seating.Unlock()
	} else {
		s.seating.Unlock()
		s.clusterSeatGone()
		s.seatGoneEarly()
	}
	return nil
}

// seatGoneEarly tells a player who came back without a seat that its held
// seat was given up before the grace ran out, and why: a Notice to the
// player, after Welcome{resumed: false}.
func (s *session) seatGoneEarly() {
	if text, ok := s.server.holds.takeGone(s.id); ok {
		s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Notice{Notice: &pb.Notice{
			Severity: pb.NoticeSeverity_NOTICE_SEVERITY_WARNING, Scope: pb.NoticeScope_NOTICE_SCOPE_PLAYER,
			Text: text, ServerTimeUs: wire.ServerTimeUS(),
		}}})
	}
}

// resumeLocked reattaches this connection to a seat; the room answers with
// Joined{resumed} and a full snapshot. s.seating must be held.
func (s *session) resumeLocked(entry *roomEntry, seat *game.Seat) {
	ctx, cancel := context.WithTimeout(s.server.ctx, joinTimeout)
	defer cancel()
	port, err := entry.room.Resume(ctx, seat, s.conn)
	if err != nil {
		resumesTotal.WithLabelValues("gone").Inc()
		s.server.registry.Leave(entry, seat)
		s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{
			RoomId: entry.room.ID(), Reason: pb.CloseReason_CLOSE_REASON_ROOM_CLOSED, Message: "the held seat is gone: " + err.Error(),
		}}})
		return
	}
	resumesTotal.WithLabelValues("ok").Inc()
	s.mu.Lock()
	s.entry, s.port = entry, port
	s.seatSeen = true
	s.mu.Unlock()
	s.server.registry.cluster.seated(s.id, entry)
}

// handOver gives this (replaced) connection's seat, through its port, to
// its successor.
func (s *session) handOver() (*roomEntry, *game.InputPort) {
	s.seating.Lock()
	defer s.seating.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, port := s.entry, s.port
	s.entry, s.port, s.replaced = nil, nil, true
	return entry, port
}

// refuseSeated tells a seated session that it must leave first, and
// reports whether it did.
func (s *session) refuseSeated() bool {
	if s.currentPort() == nil {
		return false
	}
	requestsRefused.WithLabelValues("already_in_room").Inc()
	s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_ALREADY_IN_ROOM, "leave the current room first"))
	return true
}

// join runs a join or create unless the session is seated already. It
// returns the error the client was told of, if any.
func (s *session) join(do func(ctx context.Context) (*game.InputPort, *roomEntry, error)) error {
	if s.refuseSeated() {
		return errAlreadyInRoom
	}
	s.seating.Lock()
	defer s.seating.Unlock()
	ctx, cancel := context.WithTimeout(s.server.ctx, joinTimeout)
	defer cancel()
	port, entry, err := do(ctx)
	if errors.Is(err, errRedirected) {
		return nil // the client was sent to the room's node
	}
	if err != nil {
		s.conn.Send(wire.ErrorMessage(joinErrorCode(err), err.Error()))
		return err
	}
	s.mu.Lock()
	if s.replaced {
		// A newer connection took the session while this join was in
		// flight; it did not get this seat, so nobody may keep it.
		s.mu.Unlock()
		s.server.registry.Leave(entry, port.Seat())
		return nil
	}
	s.entry, s.port = entry, port
	s.seatSeen = true
	s.mu.Unlock()
	s.server.registry.cluster.seated(s.id, entry)
	return nil
}

// leave gives up the seat at the client's request.
func (s *session) leave() {
	s.mu.Lock()
	entry, port := s.entry, s.port
	s.entry, s.port = nil, nil
	if port != nil {
		s.idleSince, s.seatSeen = time.Now(), false
	}
	s.mu.Unlock()
	if port == nil {
		requestsRefused.WithLabelValues("not_in_room").Inc()
		s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_NOT_IN_ROOM, "not in a room"))
		return
	}
	s.server.registry.Leave(entry, port.Seat())
	s.server.registry.cluster.seated(s.id, nil)
	s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{
		RoomId: entry.room.ID(), Reason: pb.CloseReason_CLOSE_REASON_NORMAL,
	}}})
}

// currentPort returns the port of the session's seat while its room still
// runs and the seat is still the session's; a room that ended (match over,
// closed) or a kick has already told the client so.
func (s *session) currentPort() *game.InputPort {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entry == nil {
		return nil
	}
	select {
	case <-s.entry.room.Done():
		s.entry, s.port = nil, nil
		return nil
	default:
	}
	if !s.port.Attached() {
		// Kicked: the room retired the port and closes the connection.
		return nil
	}
	return s.port
}

// disconnected runs after the connection ended: the seat is held for the
// reconnection grace, or released when the server is stopping. It keeps
// s.mu until the hold is visible, so a reconnection racing with it finds
// the seat either here (handOver waits) or among the held seats. The room
// never takes s.mu, so holding it across Disconnect cannot deadlock.
func (s *session) disconnected(serverClosing bool) (held bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, port := s.entry, s.port
	s.entry, s.port = nil, nil
	if port == nil {
		return false
	}
	select {
	case <-entry.room.Done():
		return false
	default:
	}
	seat := port.Seat()
	if port.Released() {
		// Kicked: the room released the seat and closed this
		// connection. Hold nothing; give the reservation back.
		s.server.registry.Forget(entry, seat)
		return false
	}
	if serverClosing || s.conn.PeerLeft() || s.revoked.Load() {
		// A normal closure (1000) is a goodbye, and a revoked session
		// comes back to nothing: no seat to hold.
		s.server.registry.Leave(entry, seat)
		return false
	}
	entry.room.Disconnect(port)
	s.server.holds.hold(s.id, &heldSeat{entry: entry, seat: seat, session: s.id, addr: s.addr})
	seatsHeldTotal.Inc()
	if port.Released() {
		// Kicked meanwhile: the kick may have looked for the hold before
		// it was there. Either it finds the hold or this check sees the
		// release, which the room records before Kick returns.
		s.server.holds.drop(seat)
		s.server.registry.Forget(entry, seat)
		return false
	}
	return true
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
	case errors.Is(err, ErrMatchmakingUnavailable):
		return pb.ErrorCode_ERROR_CODE_MATCHMAKING_UNAVAILABLE
	default:
		return pb.ErrorCode_ERROR_CODE_JOIN_REFUSED
	}
}
