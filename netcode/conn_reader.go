package netcode

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// readLoop is the reader, on Serve's goroutine: it reads frames until the
// socket fails or the peer closes, refusing bad ones and handing valid
// messages to handle.
// Once the connection is closing it only reads on, to see the peer's close
// (a socket closed with unread bytes is reset, and a reset peer may lose
// the close frame explaining why). Every frame, control frames included,
// spends the read budget first, so reading on costs no more than reading.
func (c *Conn) readLoop(handle func(*pb.ClientMessage) error) error {
	limiter, readBudget, err := c.startReading()
	if err != nil {
		return err
	}
	// buf is reused for every frame (proto.Unmarshal copies what it keeps)
	// and grows to the largest frame read, at most MaxFrameBytes.
	buf := make([]byte, 0, initialReadBuffer)
	for {
		kind, r, err := c.ws.NextReader()
		if err == nil {
			buf, err = readAll(r, buf[:0])
		}
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				// The socket library has already sent close code 1009.
				framesRejected.WithLabelValues(rejectTooLarge).Inc()
			}
			return fmt.Errorf("read: %w", err)
		}
		c.stats.framesIn.Add(1)
		c.stats.bytesIn.Add(uint64(len(buf)))
		wsFramesReceived.Inc()
		wsBytesReceived.Add(float64(len(buf)))
		c.paceRead(readBudget, len(buf))
		if c.closed.Load() {
			continue
		}
		if err := c.handleFrame(kind, buf, limiter, handle); err != nil {
			var ce *wire.CloseError
			if errors.As(err, &ce) {
				c.Close(ce.Reason, ce.Message)
			} else {
				c.Close(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, err.Error())
			}
		}
	}
}

// startReading sets the read limit and deadline, and the control frame
// handlers, which spend the reader's budgets; it returns those budgets.
// Not inlined, so that its frame is not readLoop's (see serve).
//
//go:noinline
func (c *Conn) startReading() (*rateLimiter, readBudget, error) {
	c.ws.SetReadLimit(c.cfg.MaxFrameBytes)
	if err := c.ws.SetReadDeadline(time.Now().Add(c.cfg.PongWait)); err != nil {
		return nil, readBudget{}, fmt.Errorf("set read deadline: %w", err)
	}
	limiter := newRateLimiter(c.cfg.InputRate, c.cfg.InputBurst)
	readBudget := newReadBudget(c.cfg.ReadBytesPerSecond, c.cfg.MaxFrameBytes)
	// Control frames spend the same budgets as messages: the socket
	// library would otherwise answer every ping, however many, for free.
	c.ws.SetPingHandler(func(payload string) error {
		c.paceRead(readBudget, controlFrameBytes+len(payload))
		if !c.allowControl(limiter) {
			return nil
		}
		err := c.ws.WriteControl(websocket.PongMessage, []byte(payload), time.Now().Add(controlWriteWait))
		var ne net.Error
		if err == nil || errors.Is(err, websocket.ErrCloseSent) || errors.As(err, &ne) {
			// As the library's own handler: a failed pong is the writer's
			// business, not a reason to stop reading.
			return nil
		}
		return err
	})
	// Liveness comes from pongs to the writer's pings (the gorilla chat
	// pattern): a peer that answers none within PongWait is gone.
	c.ws.SetPongHandler(func(payload string) error {
		c.paceRead(readBudget, controlFrameBytes+len(payload))
		if !c.allowControl(limiter) {
			return nil
		}
		c.recordPong(payload, monoNanos())
		return c.ws.SetReadDeadline(time.Now().Add(c.cfg.PongWait))
	})
	return limiter, readBudget, nil
}

// initialReadBuffer is the reader's first frame buffer: room for the
// frames a playing client sends (an input batch is tens of bytes), small
// enough not to count at a thousand connections.
const initialReadBuffer = 256

// readAll appends what r holds until io.EOF to buf, growing it only when
// full, and returns it.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// handleFrame checks, rate-limits and decodes one data frame and routes the
// message: input batches go to the HandleInputs handler when there is one,
// Pings are answered here, everything else goes to handle. A returned
// error closes the connection.
func (c *Conn) handleFrame(kind int, data []byte, limiter *rateLimiter, handle func(*pb.ClientMessage) error) error {
	if kind != websocket.BinaryMessage {
		return c.refuse(rejectText, pb.ErrorCode_ERROR_CODE_BAD_MESSAGE,
			"text frames are not accepted: send each ClientMessage as a binary protobuf frame", "text frame")
	}
	switch limiter.take(time.Now()) {
	case dropped:
		c.stats.rateLimited.Add(1)
		framesRejected.WithLabelValues(rejectRateLimited).Inc()
		return nil
	case flooded:
		c.stats.rateLimited.Add(1)
		text := fmt.Sprintf("more than %g messages per second (burst %d)", c.cfg.InputRate, c.cfg.InputBurst)
		return c.refuse(rejectRateLimited, pb.ErrorCode_ERROR_CODE_RATE_LIMITED, text, "message rate limit exceeded")
	}
	if c.inputs != nil && wire.DecodeInputFrame(data, &c.batch) {
		return c.inputs(&c.batch)
	}
	msg := new(pb.ClientMessage)
	if err := proto.Unmarshal(data, msg); err != nil {
		return c.refuse(rejectMalformed, pb.ErrorCode_ERROR_CODE_BAD_MESSAGE,
			fmt.Sprintf("undecodable ClientMessage (%d bytes): %v", len(data), err), "malformed message")
	}
	if msg.Body == nil {
		return c.refuse(rejectEmpty, pb.ErrorCode_ERROR_CODE_BAD_MESSAGE,
			"ClientMessage has no body this server knows", "empty message")
	}
	if ping := msg.GetPing(); ping != nil {
		c.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Pong{Pong: &pb.Pong{
			ClientTimeUs: ping.GetClientTimeUs(),
			ServerTimeUs: wire.ServerTimeUS(),
		}}})
		return nil
	}
	return handle(msg)
}

// refuse counts a rejected frame, queues an Error telling the client why and
// returns the PROTOCOL_ERROR close that follows it.
func (c *Conn) refuse(label string, code pb.ErrorCode, text, closeMsg string) error {
	framesRejected.WithLabelValues(label).Inc()
	c.Send(wire.ErrorMessage(code, text))
	return &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, Message: closeMsg}
}

// controlFrameBytes is what a client's control frame costs beyond its
// payload: two header bytes and the four of its mask.
const controlFrameBytes = 6

// paceRead spends n bytes of the read budget and, when it is overdrawn,
// waits until it is not before the reader reads on: the frames a peer
// sends beyond the budget then wait in socket buffers, and TCP slows the
// peer down. Each wait is counted.
func (c *Conn) paceRead(budget readBudget, n int) {
	if wait := budget.spend(time.Now(), n); wait > 0 {
		readsPaced.Inc()
		time.Sleep(wait)
	}
}

// controlWriteWait bounds the reader's pong to a client ping, as the socket
// library's own ping handler does.
const controlWriteWait = time.Second

// allowControl spends a message token for a control frame (ping or pong)
// and says whether to act on it. A dropped frame is ignored and counted; a
// flood closes the connection with PROTOCOL_ERROR, like a message flood.
func (c *Conn) allowControl(limiter *rateLimiter) bool {
	if c.closed.Load() {
		return false
	}
	switch limiter.take(time.Now()) {
	case allowed:
		return true
	case dropped:
		c.stats.rateLimited.Add(1)
		framesRejected.WithLabelValues(rejectControlRateLimited).Inc()
		return false
	}
	c.stats.rateLimited.Add(1)
	text := fmt.Sprintf("more than %g messages per second, control frames included (burst %d)", c.cfg.InputRate, c.cfg.InputBurst)
	framesRejected.WithLabelValues(rejectControlFlood).Inc()
	c.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_RATE_LIMITED, text))
	c.Close(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, "control frame flood")
	return false
}
