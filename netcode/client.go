package netcode

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/websocket"
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
// and renders interpolated and predicted views.
//
// A Client owns two goroutines: the reader, which handles every server
// message and runs the ClientConfig callbacks, and the pinger. Close stops
// and waits for both. All methods are safe for concurrent use.
//
// Lock order: writeMu before mu; the reader never holds mu while writing.
type Client struct {
	cfg  ClientConfig
	conn *websocket.Conn
	log  *slog.Logger

	// writeMu serializes frame writes and orders input seqs on the wire.
	writeMu  sync.Mutex
	writeBuf []byte

	// joinMu lets one Join wait at a time.
	joinMu sync.Mutex

	closeOnce sync.Once
	stop      chan struct{} // closed by the reader when it exits: stops the pinger
	done      chan struct{} // closed when both goroutines have exited

	readBuf []byte // reader goroutine only

	mu           sync.Mutex // guards everything below
	welcome      *pb.Welcome
	joined       *pb.Joined
	joinedAtUS   int64 // client clock when Joined arrived
	joinWait     chan joinResult
	replica      *Replica
	interp       Interpolator
	clock        ClockSync
	pendingIn    []*pb.Input // unacknowledged inputs, oldest first
	pendingAt    []time.Time // first send time of each pending input
	nextSeq      uint32      // seq of the last input created; per connection
	lastInputSeq uint32      // highest input seq the server reported applied
	ackTick      uint32      // newest applied snapshot tick
	lastInputAt  time.Time
	snapServerUS int64                     // server time of the newest applied snapshot
	pingsSent    [clientPingsTracked]int64 // send times of recent pings, 0 = answered
	pingNext     int
	resyncAt     time.Time
	resyncing    bool // a ResyncRequest awaits its full snapshot
	closing      *pb.Closing
	userClosed   bool
	err          error
	stats        ClientStats
}

// joinResult answers a waiting Join.
type joinResult struct {
	joined *pb.Joined
	err    error
}

// Welcome returns the server's Welcome.
func (c *Client) Welcome() *pb.Welcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.welcome
}

// Joined returns the current seat's Joined, or nil when not in a room.
func (c *Client) Joined() *pb.Joined {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.joined
}

// State returns the newest authoritative tick and a copy of its entities,
// sorted by ID; tick is 0 before the first snapshot of the room.
func (c *Client) State() (tick uint32, entities []Entity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tick, ents, _ := c.replica.Latest()
	return tick, append([]Entity(nil), ents...)
}

// ServerNow returns the estimated server clock now, in microseconds.
func (c *Client) ServerNow() int64 {
	now := clientClockUS(time.Now())
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clock.ServerTime(now)
}

// Interpolated appends to dst the world as it was InterpolationDelay before
// the estimated server time at now, blended between the two snapshots
// around that time (see InterpolateEntities).
func (c *Client) Interpolated(now time.Time, dst []Entity) []Entity {
	local := clientClockUS(now)
	c.mu.Lock()
	defer c.mu.Unlock()
	render := c.clock.ServerTime(local) - c.interpDelayLocked().Microseconds()
	return c.interp.Sample(dst, render)
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

// snapshotHzLocked returns the room's snapshot rate, else the server's.
func (c *Client) snapshotHzLocked() int {
	if c.joined != nil && c.joined.SnapshotHz > 0 {
		return int(c.joined.SnapshotHz)
	}
	return int(c.welcome.GetSnapshotHz())
}

// tickHzLocked returns the room's tick rate, else the server's.
func (c *Client) tickHzLocked() int {
	if c.joined != nil && c.joined.TickHz > 0 {
		return int(c.joined.TickHz)
	}
	return int(c.welcome.GetTickHz())
}

// Predicted returns the own entity as the newest authoritative state shows
// it advanced by the Predict function over every input the server has not
// yet reported applied. ok is false when the player has no entity in the
// newest state. Without a PredictFunc it returns the authoritative entity.
func (c *Client) Predicted() (Entity, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.joined == nil || c.joined.EntityId == 0 {
		return Entity{}, false
	}
	_, ents, _ := c.replica.Latest()
	self, ok := entityByID(ents, c.joined.EntityId)
	if !ok {
		return Entity{}, false
	}
	return Predict(self, c.pendingIn, c.tickHzLocked(), c.cfg.Predict), true
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

// Done returns a channel closed once the connection has ended and the
// client's goroutines have exited.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended: nil while it is open,
// ErrClientClosed after Close, a *CloseError with the server's reason when
// the server closed it, else the read error.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the connection normally: it sends a close frame, waits
// briefly for the server's answer, then drops the socket and waits for the
// client's goroutines. It is safe to call more than once.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.userClosed = true
		c.mu.Unlock()
		msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		// WriteControl may run concurrently with other writes.
		if err := c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second)); err == nil {
			t := time.NewTimer(clientCloseWait)
			select {
			case <-c.done:
			case <-t.C:
			}
			t.Stop()
		}
		c.conn.Close()
	})
	<-c.done
	return nil
}

// send writes one message as a binary frame.
func (c *Client) send(msg *pb.ClientMessage) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	return c.sendLocked(msg)
}

// sendLocked is send with writeMu held.
func (c *Client) sendLocked(msg *pb.ClientMessage) error {
	buf, err := proto.MarshalOptions{}.MarshalAppend(c.writeBuf[:0], msg)
	if err != nil {
		return fmt.Errorf("netcode: marshal client message: %w", err)
	}
	c.writeBuf = buf
	if err := c.conn.SetWriteDeadline(time.Now().Add(clientWriteTimeout)); err != nil {
		return fmt.Errorf("netcode: write: %w", err)
	}
	if err := c.conn.WriteMessage(websocket.BinaryMessage, buf); err != nil {
		if e := c.Err(); e != nil {
			return fmt.Errorf("netcode: write after connection ended: %w", e)
		}
		return fmt.Errorf("netcode: write: %w", err)
	}
	c.mu.Lock()
	c.stats.BytesOut += uint64(len(buf))
	c.stats.FramesOut++
	c.mu.Unlock()
	return nil
}
