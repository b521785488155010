package netcode

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// A connection has no writer goroutine while nothing waits to be written.
// OfferSnapshot, Send, Close and the ping timer kick the writer: a kick
// starts a flush goroutine unless one is running, and a running flush looks
// again before it ends, so nothing kicked is left behind. A thousand idle
// writers parked for the connections' whole lives cost a thousand stacks;
// a flush lives for the few writes of a snapshot interval. Flushes run one
// at a time, so every write still comes from one goroutine at a time, in
// order: queued reliable messages first, then the newest snapshot, then a
// ping when one is due.

// writer is a connection's writing state.
type writer struct {
	mu      sync.Mutex
	running bool // a flush goroutine runs
	kicked  bool // kicked since the running flush last looked
	started bool // Serve has started: kicks before it only mark work
	ended   bool // Serve is ending: no flush starts any more
	flushes sync.WaitGroup
	// flushFn is c.flush, made once: a go statement on a method value or
	// a closure would allocate one for every flush started.
	flushFn func()

	pingDue atomic.Bool
	ping    *time.Timer // sets pingDue every PingPeriod after the last ping

	// failed is set, and err written, by the flush whose write failed;
	// Serve reads err after the flushes are done.
	failed atomic.Bool
	err    error
	// saidGoodbye is set once the Closing message and the close frame
	// are out (or failed); flush goroutines only, one at a time.
	saidGoodbye bool
}

// kick makes sure a flush will write what waits.
func (c *Conn) kick() {
	w := &c.w
	w.mu.Lock()
	w.kicked = true
	start := w.started && !w.running && !w.ended
	if start {
		w.running = true
		w.flushes.Add(1)
	}
	w.mu.Unlock()
	if start {
		go w.flushFn()
	}
}

// flush writes what waits until no kick came since it last looked.
func (c *Conn) flush() {
	defer c.w.flushes.Done()
	for c.takeKick() {
		if err := c.writePending(); err != nil {
			c.w.err = err
			c.w.failed.Store(true)
			// The reader, and with it Serve, ends on the closed socket.
			_ = c.ws.Close()
		}
	}
}

// takeKick consumes the pending kick, or, with none, ends the flush.
func (c *Conn) takeKick() bool {
	w := &c.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.kicked {
		w.running = false
		return false
	}
	w.kicked = false
	return true
}

// writePending writes the queued reliable messages, the newest snapshot
// and a due ping; once the connection is closed, the goodbye instead.
func (c *Conn) writePending() error {
	if c.w.failed.Load() || c.w.saidGoodbye {
		return nil
	}
	if c.closed.Load() {
		c.w.saidGoodbye = true
		return c.writeClose()
	}
	if err := c.writeReliable(time.Time{}); err != nil {
		return err
	}
	if frame := c.slot.Swap(nil); frame != nil {
		// Stop the stall clock only after taking the frame, so a
		// supersede racing with us can at worst delay detection, never
		// fake a stall.
		c.stalledSince.Store(0)
		err := c.writeFrame(*frame)
		c.recycle(frame)
		if err != nil {
			return err
		}
		c.stats.snapshotsSent.Add(1)
	}
	if c.w.pingDue.CompareAndSwap(true, false) {
		if err := c.writePing(); err != nil {
			return err
		}
		c.w.ping.Reset(c.cfg.PingPeriod)
	}
	return nil
}

// startWriter sends the first ping at once, so the round trip is known
// within a moment of the connection opening rather than a PingPeriod
// later, and starts the ping timer.
func (c *Conn) startWriter() {
	c.w.flushFn = c.flush
	c.w.ping = time.AfterFunc(c.cfg.PingPeriod, func() {
		c.w.pingDue.Store(true)
		c.kick()
	})
	c.w.ping.Stop() // armed again after each ping
	c.w.pingDue.Store(true)
	c.w.mu.Lock()
	c.w.started = true
	c.w.mu.Unlock()
	c.kick()
}

// stopWriter lets no flush start, waits for the running one and stops the
// timers. When the connection was closed, that flush is saying goodbye
// (bounded by closeFlushTimeout); otherwise cutWrites lets a write blocked
// on a gone peer fail at once. It returns the first write error, unless
// the error came from that cut: the reader's end is then the cause.
func (c *Conn) stopWriter(cutWrites bool) error {
	c.w.mu.Lock()
	c.w.ended = true
	c.w.mu.Unlock()
	failedBefore := true
	if cutWrites {
		failedBefore = c.w.failed.Load()
		_ = c.ws.Close()
	}
	c.w.flushes.Wait()
	c.w.ping.Stop()
	c.stopWatchdog()
	if failedBefore && c.w.failed.Load() {
		return c.w.err
	}
	return nil
}

// writePing sends a ping carrying the send time, which the pong echoes.
func (c *Conn) writePing() error {
	if err := c.ws.WriteControl(websocket.PingMessage, pingPayload(monoNanos()), time.Now().Add(c.cfg.WriteTimeout)); err != nil {
		return fmt.Errorf("write ping: %w", err)
	}
	return nil
}

// writeReliable writes the queued reliable messages in order, each as
// writeFrameBy does with deadline.
func (c *Conn) writeReliable(deadline time.Time) error {
	for frame, ok := c.reliable.pop(); ok; frame, ok = c.reliable.pop() {
		if err := c.writeFrameBy(frame, deadline); err != nil {
			return err
		}
	}
	return nil
}

// writeFrame writes one binary data frame within WriteTimeout.
func (c *Conn) writeFrame(frame []byte) error {
	return c.writeFrameBy(frame, time.Time{})
}

// writeClose ends the connection politely: it flushes the reliable messages
// queued before Close (an Error explaining a refusal goes ahead of the
// Closing), then writes the Closing message and the close frame. The
// reader reads on until the peer's close, or the cut timer armed by Close
// ends it.
func (c *Conn) writeClose() error {
	deadline := time.Now().Add(closeFlushTimeout)
	// Send refuses new messages once closed, so this ends.
	if err := c.writeReliable(deadline); err != nil {
		return err
	}
	closing, err := proto.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_Closing{Closing: &pb.Closing{
		Reason:  c.closeReason,
		Message: c.closeMsg,
	}}})
	if err != nil {
		return fmt.Errorf("marshal closing: %w", err)
	}
	if err := c.writeFrameBy(closing, deadline); err != nil {
		return err
	}
	payload := websocket.FormatCloseMessage(wire.CloseCode(c.closeReason), wire.CloseText(c.closeMsg))
	if err := c.ws.WriteControl(websocket.CloseMessage, payload, deadline); err != nil {
		return fmt.Errorf("write close frame: %w", err)
	}
	return nil
}

// writeFrameBy writes a frame within WriteTimeout, which the watchdog
// enforces (conn_watchdog.go), or, when deadline is not zero, within the
// sooner of the two by the socket's deadline (the goodbye's few writes).
func (c *Conn) writeFrameBy(frame []byte, deadline time.Time) error {
	if !deadline.IsZero() {
		if d := time.Now().Add(c.cfg.WriteTimeout); d.Before(deadline) {
			deadline = d
		}
	}
	if err := c.ws.SetWriteDeadline(deadline); err != nil {
		return fmt.Errorf("set write deadline: %w", err)
	}
	watched := deadline.IsZero()
	var since int64
	if watched {
		since = c.writeStarted()
	}
	err := c.ws.WriteMessage(websocket.BinaryMessage, frame)
	if watched {
		c.writeDone(since, err == nil)
	}
	if err != nil {
		if c.writeTimedOut.Load() {
			err = c.errWriteTimeout(err)
		}
		return fmt.Errorf("write frame: %w", err)
	}
	c.stats.framesOut.Add(1)
	c.stats.bytesOut.Add(uint64(len(frame)))
	wsFramesSent.Inc()
	wsBytesSent.Add(float64(len(frame)))
	return nil
}
