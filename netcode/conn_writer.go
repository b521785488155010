package netcode

import (
	"fmt"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// writeLoop is the write goroutine, the only one that writes data frames:
// queued reliable messages first, in order, then the newest snapshot, plus a
// ping every PingPeriod. It returns after the close handshake, when the
// reader has ended, or on the first failed write.
func (c *Conn) writeLoop(readerDone <-chan struct{}) error {
	ping := time.NewTicker(c.cfg.PingPeriod)
	defer ping.Stop()
	// One ping at once, so the round trip is known within a moment of the
	// connection opening rather than a PingPeriod later.
	if err := c.writePing(); err != nil {
		return err
	}
	for {
		if frame, ok := c.reliable.pop(); ok {
			if err := c.writeFrame(frame); err != nil {
				return err
			}
			continue
		}
		if c.closed.Load() {
			return c.writeClose(readerDone)
		}
		if frame := c.slot.Swap(nil); frame != nil {
			// Stop the stall clock only after taking the frame, so a
			// supersede racing with us can at worst delay detection,
			// never fake a stall.
			c.stalledSince.Store(0)
			err := c.writeFrame(*frame)
			c.recycle(frame)
			if err != nil {
				return err
			}
			c.stats.snapshotsSent.Add(1)
			continue
		}
		select {
		case <-c.wake:
		case <-c.closing:
		case <-ping.C:
			if err := c.writePing(); err != nil {
				return err
			}
		case <-readerDone:
			if c.closed.Load() {
				// A reader that stopped after a refusal: the Closing
				// and the close frame still go out.
				return c.writeClose(readerDone)
			}
			return nil
		}
	}
}

// writePing sends a ping carrying the send time, which the pong echoes.
func (c *Conn) writePing() error {
	if err := c.ws.WriteControl(websocket.PingMessage, pingPayload(monoNanos()), time.Now().Add(c.cfg.WriteTimeout)); err != nil {
		return fmt.Errorf("write ping: %w", err)
	}
	return nil
}

// writeFrame writes one binary data frame within WriteTimeout.
func (c *Conn) writeFrame(frame []byte) error {
	return c.writeFrameBy(frame, time.Time{})
}

// writeClose ends the connection politely: it flushes the reliable messages
// queued before Close (an Error explaining a refusal goes ahead of the
// Closing), writes the Closing message and the close frame, then waits up to
// peerCloseWait for the reader to see the peer's close.
func (c *Conn) writeClose(readerDone <-chan struct{}) error {
	deadline := time.Now().Add(closeFlushTimeout)
	// Send refuses new messages once closed, so this ends.
	for frame, ok := c.reliable.pop(); ok; frame, ok = c.reliable.pop() {
		if err := c.writeFrameBy(frame, deadline); err != nil {
			return err
		}
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
	wait := time.NewTimer(peerCloseWait)
	defer wait.Stop()
	select {
	case <-readerDone:
	case <-wait.C:
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
	if watched {
		c.writeStarted()
	}
	err := c.ws.WriteMessage(websocket.BinaryMessage, frame)
	if watched {
		c.writeDone()
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
