package netcode

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Dial connects to a tickwire server, sends Hello and waits for Welcome,
// then starts the client's goroutines. A refused Hello (such as an
// unsupported protocol version) returns an error wrapping the server's
// *ServerError and, when the server closed with a reason, its *CloseError.
// ctx bounds the dial and handshake only, not the connection's life.
func Dial(ctx context.Context, cfg ClientConfig) (*Client, error) {
	if cfg.URL == "" {
		return nil, errors.New("netcode: dial: empty url")
	}
	cfg = cfg.withDefaults()
	conn, resp, err := cfg.Dialer.DialContext(ctx, cfg.URL, nil)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("netcode: dial %s: http %d: %w", cfg.URL, resp.StatusCode, err)
		}
		return nil, fmt.Errorf("netcode: dial %s: %w", cfg.URL, err)
	}
	conn.SetReadLimit(clientReadLimit)
	c := &Client{
		cfg:     cfg,
		conn:    conn,
		log:     cfg.Logger.With("component", "netcode.client"),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		replica: NewReplica(DefaultReplicaStates),
	}
	if err := c.handshake(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	go c.readLoop()
	return c, nil
}

// handshake sends Hello and reads until Welcome. After an Error it keeps
// reading until the server's Closing and close frame, so the caller learns
// both what was refused and how the server closed.
func (c *Client) handshake(ctx context.Context) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(clientHandshakeTimeout)
	}
	if err := c.conn.SetReadDeadline(deadline); err != nil {
		return fmt.Errorf("netcode: handshake: %w", err)
	}
	// Cancellation unblocks the read by expiring its deadline; the flag
	// keeps a late cancellation from expiring the connection after Welcome.
	var cancelMu sync.Mutex
	finished := false
	stopAfter := context.AfterFunc(ctx, func() {
		cancelMu.Lock()
		defer cancelMu.Unlock()
		if !finished {
			c.conn.SetReadDeadline(time.Now())
		}
	})
	defer stopAfter()

	sentUS := clientClockUS(time.Now())
	hello := &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{
		ProtocolVersion: uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT),
		Name:            c.cfg.Name,
	}}}
	if err := c.send(hello); err != nil {
		return fmt.Errorf("netcode: handshake: %w", err)
	}
	var refused *ServerError
	var closing *pb.Closing
	for {
		msg, _, err := c.readMessage()
		if err != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("%w (%w)", ctx.Err(), err)
			}
			cerr := closeErrorFrom(err, closing)
			if refused != nil {
				return fmt.Errorf("netcode: hello refused: %w (%w)", refused, cerr)
			}
			return fmt.Errorf("netcode: handshake: %w", cerr)
		}
		if msg == nil {
			continue // undecodable frame, counted
		}
		switch b := msg.Body.(type) {
		case *pb.ServerMessage_Welcome:
			now := clientClockUS(time.Now())
			c.mu.Lock()
			c.welcome = b.Welcome
			// Hello/Welcome is a round trip like Ping/Pong: the first clock sample.
			c.clock.AddSample(sentUS, b.Welcome.ServerTimeUs, now)
			c.mu.Unlock()
			cancelMu.Lock()
			finished = true
			cancelMu.Unlock()
			if err := c.conn.SetReadDeadline(time.Time{}); err != nil {
				return fmt.Errorf("netcode: handshake: %w", err)
			}
			return nil
		case *pb.ServerMessage_Error:
			refused = serverError(b.Error)
		case *pb.ServerMessage_Closing:
			closing = b.Closing
		default:
			return fmt.Errorf("netcode: handshake: unexpected %T before welcome", msg.Body)
		}
	}
}

// closeErrorFrom turns the error that ended reading into the connection's
// terminal error: a *CloseError when the server gave a tickwire reason
// (its Closing message wins over the close frame), else err wrapped.
func closeErrorFrom(err error, closing *pb.Closing) error {
	if closing != nil {
		return &CloseError{Reason: closing.Reason, Message: closing.Message}
	}
	var wsErr *websocket.CloseError
	if errors.As(err, &wsErr) {
		if reason, ok := ReasonFromCloseCode(wsErr.Code); ok {
			return &CloseError{Reason: reason, Message: wsErr.Text}
		}
		return fmt.Errorf("connection closed by server: %w", err)
	}
	return fmt.Errorf("connection lost: %w", err)
}

// Join asks for a seat in roomID (empty: any room) of mode (empty: the
// server's default) and waits for Joined or the server's Error, returned as
// *ServerError. Joining resets the replica and pending inputs; input seqs
// continue across rooms as the protocol asks.
func (c *Client) Join(ctx context.Context, mode, roomID string) (*pb.Joined, error) {
	c.joinMu.Lock()
	defer c.joinMu.Unlock()
	ch := make(chan joinResult, 1)
	c.mu.Lock()
	c.joinWait = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if c.joinWait == ch {
			c.joinWait = nil
		}
		c.mu.Unlock()
	}()
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{Mode: mode, RoomId: roomID}}}
	if err := c.send(msg); err != nil {
		return nil, fmt.Errorf("netcode: join: %w", err)
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, fmt.Errorf("netcode: join: %w", r.err)
		}
		return r.joined, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("netcode: join: %w", ctx.Err())
	case <-c.done:
		return nil, fmt.Errorf("netcode: join: %w", c.Err())
	}
}

// Leave gives up the seat; the server answers Left, which clears the room
// state and reaches OnMessage.
func (c *Client) Leave() error {
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_LeaveRoom{LeaveRoom: &pb.LeaveRoom{}}}
	if err := c.send(msg); err != nil {
		return fmt.Errorf("netcode: leave: %w", err)
	}
	return nil
}

// RequestResync asks the server for a full snapshot.
func (c *Client) RequestResync() error {
	c.mu.Lock()
	tick := c.ackTick
	c.markResyncLocked(time.Now())
	c.mu.Unlock()
	return c.sendResync(tick)
}

// markResyncLocked records that a ResyncRequest is going out.
func (c *Client) markResyncLocked(now time.Time) {
	c.resyncing = true
	c.resyncAt = now
	c.stats.ResyncRequests++
}

// sendResync sends ResyncRequest{tick}.
func (c *Client) sendResync(tick uint32) error {
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_Resync{Resync: &pb.ResyncRequest{Tick: tick}}}
	if err := c.send(msg); err != nil {
		return fmt.Errorf("netcode: resync: %w", err)
	}
	return nil
}
