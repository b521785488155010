package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/deadline"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// pausableConn is a client socket whose reads can be held back: a slow bot
// really stops reading, so the server sees its TCP window fill and its
// snapshots pile up, exactly as with a stalled real client. Writes pass.
// Its deadlines go through a deadline.Conn, which drops the per-frame
// repeats of gorilla/websocket.
type pausableConn struct {
	deadline.Conn
	closed    chan struct{}
	closeOnce sync.Once

	// pausing is set while a pause may be in force, so that the reads of
	// a bot that never pauses (nearly all) skip the lock.
	pausing atomic.Bool

	mu    sync.Mutex
	until time.Time
	wake  chan struct{} // closed by resume to end the current pause early
}

func newPausableConn(c net.Conn) *pausableConn {
	return &pausableConn{Conn: deadline.Conn{Conn: c}, closed: make(chan struct{}), wake: make(chan struct{})}
}

// pauseUntil holds every read that starts before t until t (or resume). A
// read already blocked in the socket is not interrupted; the next one waits.
func (c *pausableConn) pauseUntil(t time.Time) {
	c.mu.Lock()
	c.until = t
	c.pausing.Store(true)
	c.mu.Unlock()
}

// resume ends any pause now, so a bot that stops can close promptly.
func (c *pausableConn) resume() {
	c.mu.Lock()
	c.until = time.Time{}
	close(c.wake)
	c.wake = make(chan struct{})
	c.mu.Unlock()
}

// Read waits out a pause (or a resume or Close), then reads.
func (c *pausableConn) Read(p []byte) (int, error) {
	if !c.pausing.Load() {
		return c.Conn.Read(p)
	}
	c.mu.Lock()
	wait, wake := time.Until(c.until), c.wake
	c.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-wake:
			t.Stop()
		case <-c.closed:
			t.Stop()
			return 0, net.ErrClosed
		}
	}
	return c.Conn.Read(p)
}

// Close ends a pause in progress and closes the socket.
func (c *pausableConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// Slow-bot timing: play 2-5 s, stop reading 1-3 s, again. Pauses stay well
// under the client's 10 s read timeout, so a pause alone never ends the
// connection from the bot's side; the server may end it as a slow consumer.
const (
	slowPlayMin     = 2 * time.Second
	slowPlaySpread  = 3 * time.Second
	slowPauseMin    = time.Second
	slowPauseSpread = 2 * time.Second
)

// slowSchedule decides when a slow bot pauses reading.
type slowSchedule struct {
	rng     *rand.Rand
	pauseAt time.Time
}

// due returns, when a pause starts at now, until when it lasts.
func (s *slowSchedule) due(now time.Time) (until time.Time, ok bool) {
	if s.pauseAt.IsZero() {
		s.pauseAt = now.Add(slowPlayMin + s.spread(slowPlaySpread))
		return time.Time{}, false
	}
	if now.Before(s.pauseAt) {
		return time.Time{}, false
	}
	until = now.Add(slowPauseMin + s.spread(slowPauseSpread))
	s.pauseAt = until.Add(slowPlayMin + s.spread(slowPlaySpread))
	return until, true
}

func (s *slowSchedule) spread(d time.Duration) time.Duration {
	return time.Duration(s.rng.Int64N(int64(d)))
}

// garbageFrames are binary frames no valid ClientMessage encodes to: a tag
// varint that never ends, a length-delimited field longer than the frame,
// and a reserved wire type.
var garbageFrames = [][]byte{
	{0xff, 0xff, 0xff},
	{0x22, 0x7f, 0x01},
	{0x0f, 0x00},
}

// garbageCloseWait bounds how long a garbage bot waits for the server to
// close it after the malformed frame.
const garbageCloseWait = 5 * time.Second

// errGarbageNotClosed means the server kept a connection that sent a
// malformed frame.
var errGarbageNotClosed = errors.New("server did not close a connection that sent a malformed frame")

// garbageOutcome is how a garbage bot's connection ended.
type garbageOutcome struct {
	connected bool  // the handshake completed
	err       error // nil when the server closed with a protocol error
}

// runGarbage plays one garbage bot: handshake (then call connected), wait
// wait (or until ctx ends, then leave quietly), send a malformed frame and
// expect the server to close with the protocol-error code.
func runGarbage(ctx context.Context, dialer *websocket.Dialer, url, name string, wait time.Duration, frame []byte, connected func()) garbageOutcome {
	dctx, cancel := context.WithTimeout(ctx, connectTimeout)
	ws, _, err := dialer.DialContext(dctx, url, nil)
	cancel()
	if err != nil {
		return garbageOutcome{err: fmt.Errorf("dial: %w", err)}
	}
	defer ws.Close()
	if err := garbageHandshake(ws, name); err != nil {
		return garbageOutcome{err: err}
	}
	connected()
	// The reader drains the server's messages so that its writes never stall
	// on us, and reports how the connection ended.
	ended := make(chan error, 1)
	go func() {
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				ended <- err
				return
			}
		}
	}()
	t := time.NewTimer(wait)
	select {
	case <-ctx.Done():
		t.Stop()
		ws.Close()
		<-ended
		return garbageOutcome{connected: true}
	case err := <-ended:
		t.Stop()
		return garbageOutcome{connected: true, err: fmt.Errorf("closed before the malformed frame: %w", err)}
	case <-t.C:
	}
	_ = ws.SetWriteDeadline(time.Now().Add(garbageCloseWait))
	if err := ws.WriteMessage(websocket.BinaryMessage, frame); err != nil {
		ws.Close()
		<-ended
		return garbageOutcome{connected: true, err: fmt.Errorf("send malformed frame: %w", err)}
	}
	_ = ws.SetReadDeadline(time.Now().Add(garbageCloseWait))
	err = <-ended
	var ce *websocket.CloseError
	switch {
	case errors.As(err, &ce) && ce.Code == wire.CloseCode(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR):
		return garbageOutcome{connected: true}
	case errors.As(err, &ce):
		return garbageOutcome{connected: true, err: fmt.Errorf("closed with code %d after a malformed frame, want %d",
			ce.Code, wire.CloseCode(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR))}
	default:
		return garbageOutcome{connected: true, err: fmt.Errorf("%w: %w", errGarbageNotClosed, err)}
	}
}

// garbageHandshake sends Hello and reads until Welcome.
func garbageHandshake(ws *websocket.Conn, name string) error {
	hello, err := proto.Marshal(&pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{
		ProtocolVersion: uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT), Name: name,
	}}})
	if err != nil {
		return fmt.Errorf("marshal hello: %w", err)
	}
	deadline := time.Now().Add(connectTimeout)
	_ = ws.SetWriteDeadline(deadline)
	if err := ws.WriteMessage(websocket.BinaryMessage, hello); err != nil {
		return fmt.Errorf("send hello: %w", err)
	}
	_ = ws.SetReadDeadline(deadline)
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return fmt.Errorf("handshake: %w", err)
		}
		var msg pb.ServerMessage
		if err := proto.Unmarshal(data, &msg); err != nil {
			return fmt.Errorf("handshake: decode: %w", err)
		}
		if msg.GetWelcome() != nil {
			_ = ws.SetReadDeadline(time.Time{})
			return nil
		}
		if e := msg.GetError(); e != nil {
			return fmt.Errorf("handshake refused: %s", e.GetMessage())
		}
	}
}

// botChaos is one bot's chaos: random connection drops and, for slow bots,
// read pauses. It runs on the bot's goroutine.
type botChaos struct {
	dropChance float64 // per input tick
	slow       *slowSchedule
	rng        *rand.Rand
}

func newBotChaos(c config, p botPlan) *botChaos {
	bc := &botChaos{dropChance: c.chaosDisconnect / float64(c.inputHz), rng: p.rng}
	if p.slow {
		bc.slow = &slowSchedule{rng: p.rng}
	}
	return bc
}

// active reports whether the bot has any chaos to apply.
func (bc *botChaos) active() bool { return bc.slow != nil || bc.dropChance > 0 }

// step applies whatever chaos is due at now.
func (bc *botChaos) step(now time.Time, b *bot, c *client.Client, f *fleet) {
	if bc.slow != nil {
		if until, ok := bc.slow.due(now); ok {
			if pc := b.conn.Load(); pc != nil {
				pc.pauseUntil(until)
				f.tally.expect("slow bot paused reading")
			}
		}
	}
	if bc.dropChance > 0 && bc.rng.Float64() < bc.dropChance {
		if dropConnection(b, c) {
			f.tally.expect("chaos drop")
		}
	}
}
