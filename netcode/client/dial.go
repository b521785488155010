package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Dial connects to a tickwire server, sends Hello (with cfg.SessionToken,
// if any) and waits for Welcome, then starts the client's goroutines. A
// refused Hello (such as an unsupported protocol version or an invalid
// token) returns an error wrapping the server's *ServerError and, when the
// server closed with a reason, its *CloseError. The first connection is not
// retried: reconnection starts once a connection has been established.
// ctx bounds the dial and handshake only, not the client's life.
func Dial(ctx context.Context, cfg ClientConfig) (*Client, error) {
	if cfg.URL == "" {
		return nil, errors.New("client: dial: empty url")
	}
	cfg = cfg.withDefaults()
	c := &Client{
		cfg:        cfg,
		log:        cfg.Logger.With("component", "netcode.client"),
		done:       make(chan struct{}),
		replica:    NewReplica(emptyLayout, DefaultReplicaStates),
		moveSignal: make(chan struct{}, 1),
	}
	c.life, c.cancelLife = context.WithCancel(context.Background())
	conn, welcome, err := c.connect(ctx, cfg.SessionToken)
	if err != nil {
		c.cancelLife()
		return nil, err
	}
	c.conn, c.welcome = conn, welcome
	go c.run(conn)
	return c, nil
}

// connect dials the server and runs the handshake with token, returning
// the connection and its Welcome. A server of a cluster that redirects the
// Hello (the session's seat is on another node) is followed.
// It runs before the supervisor starts or on it, so it reads into readBuf.
func (c *Client) connect(ctx context.Context, token string) (*websocket.Conn, *pb.Welcome, error) {
	return c.connectFollowing(ctx, c.cfg.URL, token, &c.readBuf)
}

// connectURL dials url and runs the handshake with token, reading into buf.
func (c *Client) connectURL(ctx context.Context, url, token string, buf *[]byte) (*websocket.Conn, *pb.Welcome, error) {
	conn, resp, err := c.cfg.Dialer.DialContext(ctx, url, nil)
	if err != nil {
		if resp != nil {
			// The server says why it refused (at its connection limit,
			// shutting down) in the body, which gorilla keeps for us.
			var why []byte
			if resp.Body != nil {
				why, _ = io.ReadAll(io.LimitReader(resp.Body, 512))
			}
			if text := strings.TrimSpace(string(why)); text != "" {
				return nil, nil, fmt.Errorf("client: dial %s: http %d %q: %w", url, resp.StatusCode, text, err)
			}
			return nil, nil, fmt.Errorf("client: dial %s: http %d: %w", url, resp.StatusCode, err)
		}
		return nil, nil, fmt.Errorf("client: dial %s: %w", url, err)
	}
	conn.SetReadLimit(clientReadLimit)
	welcome, err := c.handshake(ctx, conn, token, buf)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, welcome, nil
}

// handshake sends Hello on conn and reads until Welcome. After an Error it
// keeps reading until the server's Closing and close frame, so the caller
// learns both what was refused and how the server closed. It runs before
// the supervisor starts or on it with readBuf as buf, or on a goroutine
// of its own (a move to another node) with a buffer of that goroutine.
func (c *Client) handshake(ctx context.Context, conn *websocket.Conn, token string, buf *[]byte) (*pb.Welcome, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(clientHandshakeTimeout)
	}
	if err := conn.SetReadDeadline(deadline); err != nil {
		return nil, fmt.Errorf("client: handshake: %w", err)
	}
	// Cancellation unblocks the read by expiring its deadline; the flag
	// keeps a late cancellation from expiring the connection after Welcome.
	var cancelMu sync.Mutex
	finished := false
	stopAfter := context.AfterFunc(ctx, func() {
		cancelMu.Lock()
		defer cancelMu.Unlock()
		if !finished {
			conn.SetReadDeadline(time.Now())
		}
	})
	defer stopAfter()

	name := c.cfg.Name
	if token == "" && name == "" {
		// A fresh sign-in of a client that dialed with a token only:
		// the name the server knew it by.
		c.mu.Lock()
		name = c.welcome.GetName()
		c.mu.Unlock()
	}
	sentUS := clientClockUS(time.Now())
	hello := &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{
		ProtocolVersion: uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT),
		Name:            name,
		SessionToken:    token,
	}}}
	c.writeMu.Lock()
	err := c.writeTo(conn, hello)
	c.writeMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("client: handshake: %w", err)
	}
	var refused *ServerError
	var closing *pb.Closing
	for {
		msg, _, err := c.readMessageInto(conn, buf)
		if err != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("%w (%w)", ctx.Err(), err)
			}
			cerr := closeErrorFrom(err, closing)
			if refused != nil {
				return nil, fmt.Errorf("client: hello refused: %w (%w)", refused, cerr)
			}
			return nil, fmt.Errorf("client: handshake: %w", cerr)
		}
		if msg == nil {
			continue // undecodable frame, counted
		}
		switch b := msg.Body.(type) {
		case *pb.ServerMessage_Welcome:
			now := clientClockUS(time.Now())
			c.mu.Lock()
			// Hello/Welcome is a round trip like Ping/Pong: a clock sample.
			c.clock.AddSample(sentUS, b.Welcome.ServerTimeUs, now)
			c.mu.Unlock()
			cancelMu.Lock()
			finished = true
			cancelMu.Unlock()
			if err := conn.SetReadDeadline(time.Time{}); err != nil {
				return nil, fmt.Errorf("client: handshake: %w", err)
			}
			return b.Welcome, nil
		case *pb.ServerMessage_Error:
			refused = serverError(b.Error)
		case *pb.ServerMessage_Closing:
			closing = b.Closing
		case *pb.ServerMessage_Redirect:
			return nil, &RedirectError{Redirect: b.Redirect}
		default:
			return nil, fmt.Errorf("client: handshake: unexpected %T before welcome", msg.Body)
		}
	}
}

// closeErrorFrom turns the error that ended reading into the connection's
// terminal error: a *CloseError when the server gave a tickwire reason
// (its Closing message wins over the close frame), else err wrapped.
func closeErrorFrom(err error, closing *pb.Closing) error {
	if closing != nil {
		return &wire.CloseError{Reason: closing.Reason, Message: closing.Message}
	}
	var wsErr *websocket.CloseError
	if errors.As(err, &wsErr) {
		if reason, ok := wire.ReasonFromCloseCode(wsErr.Code); ok {
			return &wire.CloseError{Reason: reason, Message: wsErr.Text}
		}
		return fmt.Errorf("connection closed by server: %w", err)
	}
	return fmt.Errorf("connection lost: %w", err)
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
		return fmt.Errorf("client: resync: %w", err)
	}
	return nil
}
