package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// finalReasons are the close reasons after which a redial is pointless or
// wrong: the server or the player meant the end (NORMAL, KICKED,
// ROOM_CLOSED, MATCH_ENDED, SERVER_SHUTDOWN, and IDLE_TIMEOUT, which the
// server sends a connection that sat in the lobby without a seat), a
// redial would be refused the same way (AUTH_FAILED, VERSION_MISMATCH,
// PROTOCOL_ERROR), or another connection owns the session now and a redial
// would take it back (REPLACED). The others (SLOW_CONSUMER, SERVER_FULL)
// are about this connection or this moment, so a redial may well succeed.
var finalReasons = map[pb.CloseReason]bool{
	pb.CloseReason_CLOSE_REASON_NORMAL:           true,
	pb.CloseReason_CLOSE_REASON_KICKED:           true,
	pb.CloseReason_CLOSE_REASON_ROOM_CLOSED:      true,
	pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN:  true,
	pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR:   true,
	pb.CloseReason_CLOSE_REASON_VERSION_MISMATCH: true,
	pb.CloseReason_CLOSE_REASON_REPLACED:         true,
	pb.CloseReason_CLOSE_REASON_MATCH_ENDED:      true,
	pb.CloseReason_CLOSE_REASON_AUTH_FAILED:      true,
	pb.CloseReason_CLOSE_REASON_IDLE_TIMEOUT:     true,
}

// finalErrorCodes are refusals of a Hello that a redial would get again.
var finalErrorCodes = map[pb.ErrorCode]bool{
	pb.ErrorCode_ERROR_CODE_UNSUPPORTED_VERSION: true,
	pb.ErrorCode_ERROR_CODE_INVALID_NAME:        true,
	pb.ErrorCode_ERROR_CODE_INVALID_TOKEN:       true,
	pb.ErrorCode_ERROR_CODE_EXPIRED_TOKEN:       true,
	pb.ErrorCode_ERROR_CODE_SHUTTING_DOWN:       true,
}

// reconnectable reports whether err, the end of a connection or a failed
// redial, leaves a redial worth trying (see Client for the rules).
func reconnectable(err error) bool {
	if err == nil || errors.Is(err, ErrClientClosed) {
		return false
	}
	if se, ok := errors.AsType[*ServerError](err); ok && finalErrorCodes[se.Code] {
		return false
	}
	if ce, ok := errors.AsType[*wire.CloseError](err); ok {
		return !finalReasons[ce.Reason]
	}
	if we, ok := errors.AsType[*websocket.CloseError](err); ok {
		switch we.Code {
		case websocket.CloseNormalClosure, websocket.CloseProtocolError, websocket.CloseUnsupportedData,
			websocket.CloseInvalidFramePayloadData, websocket.ClosePolicyViolation, websocket.CloseMessageTooBig:
			return false
		}
	}
	return true // network errors, timeouts, 1001, 1006, 1011...
}

// backoff returns the delay before redial attempt n (0 = first): MinBackoff
// doubled n times, capped at MaxBackoff, then cut by a random share of up
// to half so that clients dropped together spread out.
func backoff(p ReconnectPolicy, n int, jitter float64) time.Duration {
	d := p.MinBackoff
	for range n {
		if d >= p.MaxBackoff/2 {
			d = p.MaxBackoff
			break
		}
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	return d - time.Duration(jitter*float64(d)/2)
}

// run is the supervisor goroutine: it serves each connection until it
// ends, then either ends the client or redials, until the end is final.
func (c *Client) run(conn *websocket.Conn) {
	defer close(c.done)
	defer c.cancelLife() // ends SubscribeRooms waits and releases the context
	for {
		lost := c.serve(conn)
		c.mu.Lock()
		c.conn = nil
		if c.userClosed || !c.cfg.Reconnect.Enabled || !reconnectable(lost) {
			c.endLocked(lost)
			c.mu.Unlock()
			return
		}
		c.stats.Disconnects++
		c.failRequestsLocked(fmt.Errorf("%w: %w", ErrReconnecting, lost))
		c.mu.Unlock()
		c.log.Info("connection lost, reconnecting", "err", lost)
		if c.cfg.OnDisconnect != nil {
			c.cfg.OnDisconnect(lost)
		}
		var resumed bool
		if conn, resumed = c.redial(lost); conn == nil {
			return
		}
		if c.cfg.OnReconnect != nil {
			c.cfg.OnReconnect(resumed)
		}
	}
}

// endLocked ends the client with err (ErrClientClosed after Close).
func (c *Client) endLocked(err error) {
	if c.userClosed {
		err = ErrClientClosed
	}
	c.err = err
	c.failRequestsLocked(err)
	if err != ErrClientClosed {
		c.log.Debug("client ended", "err", err)
	}
}

// redial dials until a connection is back, returning it and whether the
// server resumed the seat, or ends the client and returns nil.
func (c *Client) redial(lost error) (*websocket.Conn, bool) {
	p := c.cfg.Reconnect
	start := time.Now()
	giveUpAt := start.Add(p.GiveUpAfter)
	var lastErr error
	for attempt := 0; ; attempt++ {
		d := backoff(p, attempt, rand.Float64())
		if time.Now().Add(d).After(giveUpAt) {
			err := fmt.Errorf("%w after %v and %d attempts: lost: %w", ErrReconnectGaveUp,
				time.Since(start).Round(time.Millisecond), attempt, lost)
			if lastErr != nil {
				err = fmt.Errorf("%w; last attempt: %w", err, lastErr)
			}
			c.end(err)
			return nil, false
		}
		t := time.NewTimer(d)
		select {
		case <-c.life.Done():
			t.Stop()
			c.end(ErrClientClosed)
			return nil, false
		case <-t.C:
		}
		deadline := time.Now().Add(clientHandshakeTimeout)
		if giveUpAt.Before(deadline) {
			deadline = giveUpAt
		}
		ctx, cancel := context.WithDeadline(c.life, deadline)
		c.mu.Lock()
		token := c.tokenLocked()
		c.mu.Unlock()
		conn, welcome, err := c.connect(ctx, token)
		cancel()
		if err != nil {
			if c.life.Err() != nil {
				c.end(ErrClientClosed)
				return nil, false
			}
			c.mu.Lock()
			c.stats.ReconnectFailures++
			c.mu.Unlock()
			c.log.Debug("reconnect attempt failed", "attempt", attempt+1, "err", err)
			if !reconnectable(err) {
				c.end(fmt.Errorf("client: reconnect: %w", err))
				return nil, false
			}
			lastErr = err
			continue
		}
		if !c.resume(conn, welcome) {
			return nil, false
		}
		return conn, welcome.Resumed
	}
}

// end ends the client with err.
func (c *Client) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endLocked(err)
}

// tokenLocked returns the token to resume with: the newest Welcome's, else
// the configured one.
func (c *Client) tokenLocked() string {
	if t := c.welcome.GetSessionToken(); t != "" {
		return t
	}
	return c.cfg.SessionToken
}

// resume makes conn, just welcomed, the live connection: a resumed seat
// keeps its pending inputs and seqs but drops the view (a full snapshot
// follows Joined{resumed}); a lost seat is forgotten. An active room
// subscription is renewed. It reports false, having closed conn and ended
// the client, when Close came first.
func (c *Client) resume(conn *websocket.Conn, w *pb.Welcome) bool {
	c.writeMu.Lock() // the renewed subscription goes out before any other frame
	defer c.writeMu.Unlock()
	c.mu.Lock()
	if c.userClosed {
		c.endLocked(ErrClientClosed)
		c.mu.Unlock()
		conn.Close()
		return false
	}
	c.conn, c.welcome, c.closing = conn, w, nil
	c.stats.Reconnects++
	if w.Resumed {
		c.resetViewLocked() // the seat's schema stays: Joined{resumed} restates it
	} else if c.joined != nil {
		// The seat is gone and its room's schema with it, as after Left.
		c.joined, c.phase = nil, pb.RoomPhase_ROOM_PHASE_UNSPECIFIED
		c.schema, c.layout = nil, nil
		c.resetRoomLocked()
	}
	sub := c.sub
	if sub != nil {
		r := newRequest(reqResubscribe)
		r.sub = sub
		c.reqs = append(c.reqs, r)
	}
	c.mu.Unlock()
	c.log.Info("reconnected", "resumed", w.Resumed)
	if sub != nil {
		msg := &pb.ClientMessage{Body: &pb.ClientMessage_SubscribeRooms{SubscribeRooms: &pb.SubscribeRooms{Mode: sub.mode}}}
		if err := c.writeTo(conn, msg); err != nil {
			c.log.Debug("renewing the room subscription failed", "err", err) // the reader sees the loss next
		}
	}
	return true
}
