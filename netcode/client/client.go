package client

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// clientClockStart anchors the client clock; time.Now carries a monotonic
// reading, so the clock never jumps with wall-clock changes.
var clientClockStart = time.Now()

// clientClockUS returns the client clock at t in microseconds (arbitrary
// epoch); only differences and the offset to the server clock matter.
func clientClockUS(t time.Time) int64 { return t.Sub(clientClockStart).Microseconds() }

// Client is a connection to a tickwire server from the player's side: it
// keeps the replica of the room (verified by checksum, acknowledged to the
// server), sends inputs with redundancy, estimates RTT and the server clock,
// renders interpolated and predicted views, makes lobby requests and, when
// ClientConfig.Reconnect is enabled, redials and resumes its session after
// a connection is lost.
//
// Final ends, which never reconnect: Close; a server close with reason
// NORMAL, KICKED, ROOM_CLOSED, PROTOCOL_ERROR, VERSION_MISMATCH, REPLACED
// (another connection took the session over), MATCH_ENDED, AUTH_FAILED,
// IDLE_TIMEOUT or SERVER_SHUTDOWN; a WebSocket close 1000, 1002, 1003,
// 1007, 1008 or 1009; a redial refused with one of those; GiveUpAfter
// running out. Anything else (network and read errors, read timeouts,
// abnormal closure 1006, SLOW_CONSUMER, SERVER_FULL, 1001, 1011-1014) is
// a loss the client redials after, sending its session token, with
// exponential backoff and jitter.
//
// A Client owns one supervisor goroutine, which reads every server message,
// runs the ClientConfig callbacks and redials, and per connection a pinger.
// Close stops and waits for them. All methods are safe for concurrent use.
//
// Lock order: writeMu before mu; the reader never holds mu while writing.
type Client struct {
	cfg ClientConfig
	log *slog.Logger

	// life is canceled by Close: it aborts a redial or its backoff.
	life       context.Context
	cancelLife context.CancelFunc

	// writeMu serializes frame writes, orders input seqs on the wire and
	// orders requests on the wire as they are queued in reqs.
	writeMu  sync.Mutex
	writeBuf []byte
	// writeDeadline is the write deadline set on writeDeadlineConn
	// (extendDeadline); writeMu guards both.
	writeDeadline     time.Time
	writeDeadlineConn *websocket.Conn

	closeOnce sync.Once
	done      chan struct{} // closed when the supervisor and pinger have exited

	readBuf []byte             // supervisor goroutine only
	snap    wire.SnapshotFrame // supervisor goroutine only: the snapshot being handled
	acked   []ackedInput       // supervisor goroutine only: a snapshot's newly acknowledged inputs

	mu           sync.Mutex      // guards everything below
	conn         *websocket.Conn // the live connection; nil while redialing or ended
	welcome      *pb.Welcome
	joined       *pb.Joined
	phase        pb.RoomPhase
	joinedAtUS   int64        // client clock when Joined arrived
	reqs         []*request   // requests awaiting their reply, in wire order
	sub          *roomSub     // the active room subscription, nil for none
	schema       *wire.Schema // the room's, from Joined; nil outside a room
	layout       *wire.Layout // schema's rows
	replica      *Replica
	interp       Interpolator
	clock        ClockSync
	pendingIn    []*pb.Input // unacknowledged inputs, oldest first
	pendingAt    []time.Time // first send time of each pending input
	nextSeq      uint32      // seq of the last input created; continues across rooms and connections
	lastInputSeq uint32      // highest input seq the server reported applied
	ackTick      uint32      // newest applied snapshot tick
	lastInputAt  time.Time
	snapServerUS int64 // server time of the newest applied snapshot
	// timeAnchorTick and timeAnchorUS are the newest snapshot that carried
	// server_time_us; the others' time derives from it.
	timeAnchorTick uint32
	timeAnchorUS   int64
	pingsSent      [clientPingsTracked]int64 // send times of recent pings, 0 = answered
	pingNext       int
	resyncAt       time.Time
	resyncing      bool        // a ResyncRequest awaits its full snapshot
	closing        *pb.Closing // the current connection's Closing, if any
	userClosed     bool
	chatSeq        uint64 // the newest chat line's seq in the room (talk.go)
	err            error
	stats          ClientStats
	// tokenGone is set when a redial's token was refused: the next Hello
	// signs in as a new guest.
	tokenGone bool

	// A move to another node (redirect.go): moving while the new
	// connection is dialed, moved once it is the live one for the
	// supervisor to serve; moveSignal wakes a supervisor waiting on it.
	moving     bool
	moved      *websocket.Conn
	moveSignal chan struct{}
}

// Welcome returns the server's newest Welcome (a redial replaces it).
func (c *Client) Welcome() *pb.Welcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.welcome
}

// SessionToken returns the session token of the newest Welcome: send it
// in ClientConfig.SessionToken to resume this session from another Client.
func (c *Client) SessionToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.welcome.GetSessionToken()
}

// Phase returns the current room's lifecycle phase, from Joined and the
// RoomState messages since; ROOM_PHASE_UNSPECIFIED when not in a room.
func (c *Client) Phase() pb.RoomPhase {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.phase
}

// Reconnecting reports whether the connection was lost and the client is
// redialing; a seat, if any, is still assumed held meanwhile.
func (c *Client) Reconnecting() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn == nil && c.err == nil
}

// Joined returns the current seat's Joined, or nil when not in a room.
func (c *Client) Joined() *pb.Joined {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.joined
}

// State returns the newest authoritative tick and a copy of its rows,
// sorted by id; tick is 0 (and rows empty) before the first snapshot of the
// room.
func (c *Client) State() (tick uint32, rows *wire.Rows) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tick, latest, _ := c.replica.Latest()
	return tick, latest.Clone()
}

// Schema returns the current room's state schema (from Joined), or nil when
// not in a room. It is shared and immutable.
func (c *Client) Schema() *wire.Schema {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.schema
}

// ServerNow returns the estimated server clock now, in microseconds.
func (c *Client) ServerNow() int64 {
	now := clientClockUS(time.Now())
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clock.ServerTime(now)
}

// Interpolated fills dst (reused when not nil, else new) with the world as
// it was InterpolationDelay before the estimated server time at now,
// blended between the two snapshots around that time as the schema's hints
// say (see InterpolateRows), and returns it.
func (c *Client) Interpolated(now time.Time, dst *wire.Rows) *wire.Rows {
	local := clientClockUS(now)
	c.mu.Lock()
	defer c.mu.Unlock()
	if dst == nil {
		dst = wire.NewRows(c.replica.Layout(), 0)
	}
	render := c.clock.ServerTime(local) - c.interpDelayLocked().Microseconds()
	c.interp.Sample(dst, render)
	return dst
}

// interpDelayLocked returns the configured or default interpolation delay.
func (c *Client) interpDelayLocked() time.Duration {
	if c.cfg.InterpolationDelay > 0 {
		return c.cfg.InterpolationDelay
	}
	hz := c.snapshotHzLocked()
	if hz <= 0 {
		return 0
	}
	return time.Duration(DefaultInterpolationSnapshots * float64(time.Second) / float64(hz))
}

// snapshotHzLocked returns the snapshot rate of the room the client is in,
// from its Joined, or 0 outside a room. Welcome's rate is never used: the
// rooms of a server's modes run at rates of their own.
func (c *Client) snapshotHzLocked() int {
	return int(c.joined.GetSnapshotHz())
}

// tickHzLocked returns the tick rate of the room the client is in, from its
// Joined, or 0 outside a room (see snapshotHzLocked).
func (c *Client) tickHzLocked() int {
	return int(c.joined.GetTickHz())
}

// Predicted returns the own entity as the newest authoritative state shows
// it advanced by the Predict function over every input the server has not
// yet reported applied. The own entity is Joined.entity_id or, when that is
// 0, the first entity whose owner field (role OWNER) holds the player's id.
// ok is false when the player has no entity in the newest state. Without a
// PredictFunc it returns the authoritative entity.
func (c *Client) Predicted() (Entity, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.joined == nil || c.schema == nil {
		return Entity{}, false
	}
	_, rows, _ := c.replica.Latest()
	i, ok := OwnEntity(c.schema, rows, c.joined.EntityId, c.joined.PlayerId)
	if !ok {
		return Entity{}, false
	}
	return Predict(entityAt(rows, i), c.pendingIn, c.tickHzLocked(), c.cfg.Predict), true
}

// Stats returns a copy of the client's counters and measurements.
func (c *Client) Stats() ClientStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.RTT, s.RTTSmoothed = c.clock.RTT()
	s.ClockOffset = time.Duration(c.clock.Offset()) * time.Microsecond
	s.ClockSamples = c.clock.Samples()
	s.LastAppliedInputSeq = c.lastInputSeq
	s.LastTick = c.ackTick
	return s
}

// Done returns a channel closed once the client has ended for good (see
// Client for what is final) and its goroutines have exited.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the client ended: nil while it is open or redialing,
// ErrClientClosed after Close, a *CloseError with the server's reason when
// the server closed it, an error wrapping ErrReconnectGaveUp (and the loss)
// when redialing gave up, else the read error.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the connection normally: it sends a close frame, waits
// briefly for the server's answer, then drops the socket and waits for the
// client's goroutines. While redialing it stops at once. It is safe to call
// more than once.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.userClosed = true
		conn := c.conn
		c.mu.Unlock()
		c.cancelLife()
		if conn == nil {
			return // redialing (the canceled life stops it) or already ended
		}
		msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		// WriteControl may run concurrently with other writes.
		if err := conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second)); err == nil {
			t := time.NewTimer(clientCloseWait)
			select {
			case <-c.done:
			case <-t.C:
			}
			t.Stop()
		}
		conn.Close()
	})
	<-c.done
	return nil
}

// DropConnection cuts the current connection's socket without a close
// frame (with a TCP reset where it can), as a network failure would: a test
// and chaos hook. With reconnection enabled the client redials; otherwise
// it ends with the read error. While redialing it does nothing.
func (c *Client) DropConnection() {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		return
	}
	if tc, ok := conn.NetConn().(*net.TCPConn); ok {
		tc.SetLinger(0) // a reset, not an orderly FIN
	}
	conn.Close()
}

// send writes one message as a binary frame on the live connection.
func (c *Client) send(msg *pb.ClientMessage) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	return c.sendLocked(msg)
}

// sendLocked is send with writeMu held. Without a live connection it
// returns the final error or ErrReconnecting.
func (c *Client) sendLocked(msg *pb.ClientMessage) error {
	conn, err := c.liveConn()
	if err != nil {
		return err
	}
	return c.writeTo(conn, msg)
}

// liveConn returns the live connection or, without one, the final error
// or ErrReconnecting, as a write would report them.
func (c *Client) liveConn() (*websocket.Conn, error) {
	c.mu.Lock()
	conn, err := c.conn, c.err
	c.mu.Unlock()
	if conn == nil {
		if err != nil {
			return nil, fmt.Errorf("client: write after connection ended: %w", err)
		}
		return nil, fmt.Errorf("client: write: %w", ErrReconnecting)
	}
	return conn, nil
}

// writeTo marshals msg and writes it on conn, counting it. writeMu held.
func (c *Client) writeTo(conn *websocket.Conn, msg *pb.ClientMessage) error {
	buf, err := proto.MarshalOptions{}.MarshalAppend(c.writeBuf[:0], msg)
	if err != nil {
		return fmt.Errorf("client: marshal client message: %w", err)
	}
	c.writeBuf = buf
	return c.writeFrame(conn, buf)
}

// writeFrame writes an encoded message on conn, counting it. writeMu held.
func (c *Client) writeFrame(conn *websocket.Conn, buf []byte) error {
	if conn != c.writeDeadlineConn {
		c.writeDeadline, c.writeDeadlineConn = time.Time{}, conn
	}
	// The deadline moves once per clientDeadlineSlack, not per frame.
	var err error
	if c.writeDeadline, err = extendDeadline(c.writeDeadline, time.Now(), clientWriteTimeout, conn.SetWriteDeadline); err != nil {
		return fmt.Errorf("client: write: %w", err)
	}
	if err := conn.WriteMessage(websocket.BinaryMessage, buf); err != nil {
		if e := c.Err(); e != nil {
			return fmt.Errorf("client: write after connection ended: %w", e)
		}
		return fmt.Errorf("client: write: %w", err)
	}
	c.mu.Lock()
	c.stats.BytesOut += uint64(len(buf))
	c.stats.FramesOut++
	c.mu.Unlock()
	return nil
}
