package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gorilla/websocket"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// maxRedirects bounds the Redirects one join or handshake follows, so two
// misconfigured nodes cannot bounce a client forever.
const maxRedirects = 3

// RedirectError is a handshake answered by a Redirect instead of Welcome:
// the session's seat is on another node of a cluster. connect follows it.
type RedirectError struct {
	Redirect *pb.Redirect
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("client: redirected to %s (room %s)", e.Redirect.GetUrl(), e.Redirect.GetRoomId())
}

// connectFollowing dials url and runs the handshake, following the
// Redirects a cluster answers a Hello with.
func (c *Client) connectFollowing(ctx context.Context, url, token string, buf *[]byte) (*websocket.Conn, *pb.Welcome, error) {
	for hops := 0; ; hops++ {
		conn, welcome, err := c.connectURL(ctx, url, token, buf)
		re, ok := errors.AsType[*RedirectError](err)
		if !ok {
			return conn, welcome, err
		}
		if hops == maxRedirects {
			return nil, nil, fmt.Errorf("client: more than %d redirects: %w", maxRedirects, err)
		}
		c.mu.Lock()
		c.stats.Redirects++
		c.mu.Unlock()
		url = re.Redirect.GetUrl()
	}
}

// move makes a new connection to url, with the session's token, the live
// one, and closes the old one with a normal closure: the server of a
// cluster placed the client's seat on the node at url. The supervisor
// serves the new connection once the old one ends (awaitMove). Reconnects
// still dial ClientConfig.URL, whose node sends the client back to its
// seat's node.
func (c *Client) move(ctx context.Context, url string) error {
	c.mu.Lock()
	if c.moving || c.conn == nil {
		c.mu.Unlock()
		return ErrReconnecting
	}
	c.moving = true
	token := c.tokenLocked()
	c.mu.Unlock()

	var buf []byte // the supervisor owns readBuf
	conn, welcome, err := c.connectFollowing(ctx, url, token, &buf)

	c.writeMu.Lock() // the renewed subscription goes out before any other frame
	c.mu.Lock()
	c.moving = false
	var old *websocket.Conn
	var sub *roomSub
	switch {
	case err != nil:
	case c.userClosed || c.conn == nil:
		conn.Close()
		err = ErrReconnecting
	default:
		old = c.conn
		c.conn, c.welcome, c.closing, c.moved = conn, welcome, nil, conn
		c.stats.Redirects++
		// Requests still waiting on the old connection die with it.
		c.failRequestsLocked(fmt.Errorf("%w: moved to another node", ErrReconnecting))
		if sub = c.sub; sub != nil {
			r := newRequest(reqResubscribe)
			r.sub = sub
			c.reqs = append(c.reqs, r)
		}
	}
	c.mu.Unlock()
	if sub != nil {
		msg := &pb.ClientMessage{Body: &pb.ClientMessage_SubscribeRooms{SubscribeRooms: &pb.SubscribeRooms{Mode: sub.mode}}}
		if werr := c.writeTo(conn, msg); werr != nil {
			c.log.Debug("renewing the room subscription failed", "err", werr) // the reader sees the loss next
		}
	}
	c.writeMu.Unlock()
	select {
	case c.moveSignal <- struct{}{}:
	default:
	}
	if err != nil {
		return fmt.Errorf("move to %s: %w", url, err)
	}
	c.log.Info("moved to another node", "url", url)
	_ = old.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "moved to another node"),
		time.Now().Add(time.Second))
	old.Close()
	return nil
}

// awaitMove runs on the supervisor when a connection ended: while a move
// is under way it waits for it, and returns the connection moved to, if
// any.
func (c *Client) awaitMove() *websocket.Conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.moving {
		c.mu.Unlock()
		<-c.moveSignal
		c.mu.Lock()
	}
	next := c.moved
	c.moved = nil
	if next != nil {
		// The old connection's Closing (a REPLACED from the node left
		// behind) is not the new connection's.
		c.closing = nil
	}
	return next
}
