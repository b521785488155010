package netcode

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// closeFlushTimeout bounds how long a closing writer may spend flushing the
// reliable queue, the Closing message and the close frame.
const closeFlushTimeout = time.Second

// peerCloseWait is how long a closing connection waits for the peer to answer
// its close frame before cutting the socket.
const peerCloseWait = time.Second

// Conn is the server side of one client's WebSocket connection. The reader,
// on Serve's goroutine, decodes, rate-limits and hands client messages to a
// handler; the writer, a goroutine started whenever something waits to be
// written, owns every write: queued reliable messages first, in order, then
// the newest snapshot, plus pings. The room and the lobby talk to it only
// through OfferSnapshot, Send and Close, none of which ever block.
//
// Lock order: Conn holds no mutex of its own across a call; closeOnce only
// guards the first Close, the writer's and the queues' mutexes guard a few
// fields each, and the socket's own write lock is taken only by the flush
// goroutine and the socket library's control-frame replies.
type Conn struct {
	ws     *websocket.Conn
	cfg    ConnConfig
	log    *slog.Logger
	remote string

	// slot holds the newest snapshot frame not yet taken by the writer; a
	// newer offer replaces it, so a stale snapshot never queues. spare is
	// a frame buffer no one reads, for the next offer to copy into: a
	// buffer goes spare → slot → writer → spare, owned by one side at a
	// time (every hand-over is an atomic swap).
	slot, spare atomic.Pointer[[]byte]
	// stalledSince is monoNanos of the first supersede since the writer last
	// took the slot, or 0 when none happened.
	stalledSince atomic.Int64
	// w is the writer's state (conn_writer.go).
	w writer
	// reliable holds marshaled reliable messages in order.
	reliable reliableQueue

	// The write watchdog (conn_watchdog.go): writingSince is monoNanos
	// when the data write in progress began, 0 between writes, writeCut
	// once the watchdog has claimed the write to cut it; watchArmed is set
	// while its timer runs; writeTimedOut once it has cut a write that
	// then failed (or is failing).
	writingSince  atomic.Int64
	watchArmed    atomic.Bool
	writeTimedOut atomic.Bool
	watchMu       sync.Mutex  // guards watch, and a cut from claim to deadline
	watch         *time.Timer // made by the first write

	closeOnce   sync.Once
	closed      atomic.Bool // set by the first Close, for cheap checks
	closeReason pb.CloseReason
	closeMsg    string      // closeReason and closeMsg are written before closed is set
	cut         *time.Timer // armed by the first Close: cuts the socket of a writer too slow to say goodbye; written before closed is set

	served atomic.Bool
	// peerLeft is set when the peer ended the connection with a normal
	// closure (1000): it meant to go, unlike a drop or a closing tab (1001).
	peerLeft atomic.Bool
	stats    connCounters

	// rttLast and rttSmoothed are ping→pong round trips in nanoseconds,
	// written by the reader's pong handler.
	rttLast, rttSmoothed atomic.Int64

	// inputs, when set, takes the input batches the reader decodes into
	// batch (see HandleInputs); only the reader touches batch.
	inputs func(*wire.InputBatch) error
	batch  wire.InputBatch
}

// NewConn wraps an upgraded WebSocket; Serve must then run it. Zero fields
// of cfg take their defaults; a nil log uses slog.Default.
func NewConn(ws *websocket.Conn, cfg ConnConfig, log *slog.Logger) *Conn {
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.Default()
	}
	remote := ws.RemoteAddr().String()
	return &Conn{
		ws:       ws,
		cfg:      cfg,
		log:      log.With("remote", remote),
		remote:   remote,
		reliable: reliableQueue{max: cfg.ReliableQueue},
	}
}

// HandleInputs routes every InputBatch message to handle instead of
// Serve's handler, decoded by wire.DecodeInputFrame into one batch the
// reader reuses: the message most frames carry then costs no allocation.
// handle runs on the read goroutine, must not keep the batch past its
// return, and its errors close the connection as the handler's do. A batch
// the fast decoder leaves alone still reaches Serve's handler. Call it
// before Serve.
func (c *Conn) HandleInputs(handle func(*wire.InputBatch) error) { c.inputs = handle }

// RemoteAddr returns the peer's network address.
func (c *Conn) RemoteAddr() string { return c.remote }

// Close asks the connection to end with reason: the writer flushes the
// messages already queued, sends a Closing message and a close frame with
// code CloseCode(reason) and message as its text, waits briefly for the
// peer's close and closes the socket. Close never blocks; only the first call
// counts.
func (c *Conn) Close(reason pb.CloseReason, message string) {
	c.tryClose(reason, message)
}

// tryClose is Close, reporting whether this call was the first.
func (c *Conn) tryClose(reason pb.CloseReason, message string) bool {
	first := false
	c.closeOnce.Do(func() {
		first = true
		c.closeReason, c.closeMsg = reason, message
		// A closing writer gets a bounded time to say goodbye; past it
		// the socket is cut, so a write stuck on a peer that does not
		// read cannot hold Serve (or a server shutdown) up.
		c.cut = time.AfterFunc(closeFlushTimeout+peerCloseWait, func() { _ = c.ws.Close() })
		c.closed.Store(true)
	})
	if first {
		c.kick() // the goodbye
	}
	return first
}

// Serve runs the connection until it ends and returns once the socket is
// closed and no write is in progress. The reader runs on Serve's own
// goroutine; a flush goroutine runs only while something waits to be
// written (conn_writer.go). handle runs on the reader for every valid
// client message except Ping, which Conn answers itself (and, with
// HandleInputs, input batches); a *CloseError from handle closes the
// connection with its reason, any other error with PROTOCOL_ERROR.
// Cancelling ctx closes the connection with SERVER_SHUTDOWN.
//
// Serve returns ctx's error after a cancel, a *CloseError when the server
// closed the connection, nil when the peer closed it normally, and the read
// or write error otherwise.
func (c *Conn) Serve(ctx context.Context, handle func(*pb.ClientMessage) error) error {
	if !c.served.CompareAndSwap(false, true) {
		return errors.New("netcode: conn served twice")
	}
	return c.serve(ctx, handle)
}

// Start is Serve on a goroutine of its own: it returns at once, and once
// the connection has ended that goroutine calls done with what Serve would
// have returned. The goroutine starts at serve, so the stack under its
// blocked read is only what the read needs (see serve), where Serve's
// caller's frames would sit below it for the connection's whole life.
func (c *Conn) Start(ctx context.Context, handle func(*pb.ClientMessage) error, done func(error)) {
	if !c.served.CompareAndSwap(false, true) {
		done(errors.New("netcode: conn served twice"))
		return
	}
	go func() { done(c.serve(ctx, handle)) }()
}

// serve is Serve once the served flag is taken. Its goroutine spends its
// life blocked in a read, and the runtime halves a goroutine's stack only
// while less than a quarter of it is in use; so serve keeps its own frame
// small by leaving the work before and after the read to begin and end
// (not inlined, or their frames would be serve's). Measured at 1,000
// connections served through Start, the stacks took 6.0–6.3 MiB instead
// of 9.7–10.0.
func (c *Conn) serve(ctx context.Context, handle func(*pb.ClientMessage) error) error {
	stopCtx, cancelled := c.begin(ctx)
	readErr := c.readLoop(handle)
	return c.end(ctx, readErr, stopCtx, cancelled)
}

// begin starts serving: the open-connections gauge, the writer, and the
// close that cancelling ctx brings.
//
//go:noinline
func (c *Conn) begin(ctx context.Context) (stopCtx func() bool, cancelled *atomic.Bool) {
	connectionsOpen.Inc()
	cancelled = new(atomic.Bool)
	// A cancelled ctx closes the connection; AfterFunc starts no goroutine
	// until it does.
	stopCtx = context.AfterFunc(ctx, func() {
		cancelled.Store(true)
		c.Close(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN, "server shutting down")
	})
	c.startWriter()
	return stopCtx, cancelled
}

// end finishes serving after the reader has ended: the peer closed or
// went, a failed write closed the socket, or a refusal stopped it. It
// waits for the writer, closes the socket, counts the outcome and returns
// Serve's error.
//
//go:noinline
func (c *Conn) end(ctx context.Context, readErr error, stopCtx func() bool, cancelled *atomic.Bool) error {
	defer connectionsOpen.Dec()
	stopCtx()
	// A closed connection's flush is saying goodbye: let it finish (the
	// cut timer bounds it). Otherwise nobody is left to write to.
	closed := c.closed.Load()
	writeErr := c.stopWriter(!closed)
	if closed {
		c.cut.Stop()
	}
	_ = c.ws.Close()

	label, err := c.outcome(readErr, writeErr)
	connectionsClosed.WithLabelValues(label).Inc()
	c.log.Debug("connection ended", "reason", label, "err", err)
	if cancelled.Load() {
		return ctx.Err()
	}
	return err
}

// outcome names why a served connection ended, for the closed-connections
// metric, and picks the error Serve returns.
//
// A close frame from the peer counts before a write error: once the reader
// has seen it, the socket library has answered it, so a write in flight at
// that moment (or any after it) fails with websocket.ErrCloseSent, or with a
// reset once the peer hangs up. That failure follows from the peer's close;
// taking it for the cause would turn a goodbye (1000) into a drop.
func (c *Conn) outcome(readErr, writeErr error) (string, error) {
	if c.closed.Load() {
		return wire.ReasonLabel(c.closeReason), &wire.CloseError{Reason: c.closeReason, Message: c.closeMsg}
	}
	var ce *websocket.CloseError
	if errors.As(readErr, &ce) {
		if ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway {
			c.peerLeft.Store(ce.Code == websocket.CloseNormalClosure)
			return closedPeer, nil
		}
		return closedPeer, readErr
	}
	if writeErr != nil {
		var ne net.Error
		if errors.As(writeErr, &ne) && ne.Timeout() {
			return closedWriteTimeout, writeErr
		}
		return closedWriteError, writeErr
	}
	if errors.Is(readErr, websocket.ErrReadLimit) {
		return wire.ReasonLabel(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR), readErr
	}
	return closedReadError, readErr
}

// PeerLeft reports, once Serve has returned, whether the peer closed the
// connection with a normal closure (WebSocket code 1000): a deliberate
// goodbye, as opposed to a network drop or a browser tab going away (1001).
// It holds even when a write was failing as the close came in.
func (c *Conn) PeerLeft() bool { return c.peerLeft.Load() }

// ConnStats are a connection's counters since it was created.
type ConnStats struct {
	// BytesIn and BytesOut count WebSocket message payload bytes.
	BytesIn, BytesOut uint64
	// FramesIn and FramesOut count WebSocket data messages.
	FramesIn, FramesOut uint64
	// SnapshotsSent counts snapshot frames written.
	SnapshotsSent uint64
	// SnapshotsSuperseded counts snapshot frames replaced in the slot before
	// being written.
	SnapshotsSuperseded uint64
	// RateLimited counts client messages dropped by flood control.
	RateLimited uint64
}

// connCounters are the atomics behind ConnStats.
type connCounters struct {
	bytesIn, bytesOut, framesIn, framesOut atomic.Uint64
	snapshotsSent, superseded, rateLimited atomic.Uint64
}

// Stats returns a snapshot of the connection's counters.
func (c *Conn) Stats() ConnStats {
	return ConnStats{
		BytesIn:             c.stats.bytesIn.Load(),
		BytesOut:            c.stats.bytesOut.Load(),
		FramesIn:            c.stats.framesIn.Load(),
		FramesOut:           c.stats.framesOut.Load(),
		SnapshotsSent:       c.stats.snapshotsSent.Load(),
		SnapshotsSuperseded: c.stats.superseded.Load(),
		RateLimited:         c.stats.rateLimited.Load(),
	}
}
