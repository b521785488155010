package netcode

import (
	"fmt"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// OfferSnapshot puts a copy of a complete ServerMessage snapshot frame in
// the connection's slot, replacing (and counting) any frame the writer has
// not taken yet: the client then gets a delta from its last ack. It never
// blocks. When snapshots keep being superseded for longer than
// SlowConsumerAfter without the writer taking one, the connection is closed
// as a SLOW_CONSUMER. The caller may reuse frame once it returns: the copy
// goes into a buffer the writer handed back after writing an earlier
// frame, so in the steady state an offer allocates nothing.
func (c *Conn) OfferSnapshot(frame []byte) {
	if c.closed.Load() {
		return
	}
	buf := c.spare.Swap(nil)
	if buf == nil {
		buf = new([]byte)
	}
	*buf = append((*buf)[:0], frame...)
	if old := c.slot.Swap(buf); old != nil {
		c.recycle(old)
		c.stats.superseded.Add(1)
		snapshotsSuperseded.Inc()
		c.checkStalled()
	}
	c.kick()
}

// recycle hands a frame buffer nobody reads any more to the next offer;
// when one is waiting there already, buf is left to the collector.
func (c *Conn) recycle(buf *[]byte) { c.spare.CompareAndSwap(nil, buf) }

// checkStalled runs after a supersede: it starts the stall clock, or closes
// the connection when the clock has run past SlowConsumerAfter. The writer
// stops the clock whenever it takes a snapshot. A room closes a player
// whose acks trail it first (socket buffers can hide a reader that stopped
// for many seconds); this stays as the backstop for a peer whose acks say
// more than it reads, and for any link that sends no acks.
func (c *Conn) checkStalled() {
	now := monoNanos()
	if c.stalledSince.CompareAndSwap(0, now) {
		return
	}
	since := c.stalledSince.Load()
	if since == 0 || now-since <= int64(c.cfg.SlowConsumerAfter) {
		return
	}
	msg := fmt.Sprintf("snapshots not consumed for %v", c.cfg.SlowConsumerAfter)
	if c.tryClose(pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER, msg) {
		slowConsumers.WithLabelValues(slowSnapshotStalled).Inc()
		c.log.Info("closing slow consumer", "why", msg)
	}
}

// Send queues a reliable message behind the ones already queued and returns
// whether it was queued (not whether it will arrive). It never blocks: when
// the queue is full the connection is closed as a SLOW_CONSUMER and Send
// returns false; after Close it returns false. The message is marshaled
// before Send returns, so the caller may reuse it.
func (c *Conn) Send(msg *pb.ServerMessage) bool {
	if c.closed.Load() {
		return false
	}
	frame, err := proto.Marshal(msg)
	if err != nil {
		// Only a programming error (such as invalid UTF-8 in a string
		// field) gets here; the message is dropped, the connection lives.
		c.log.Error("cannot marshal server message", "err", err)
		return false
	}
	return c.SendFrame(frame)
}

// SendFrame is Send for a ServerMessage marshaled already, so that one
// encoding (a room listing, an update for every subscriber) can be shared
// by many connections. The frame must not be modified afterwards.
func (c *Conn) SendFrame(frame []byte) bool {
	if c.closed.Load() {
		return false
	}
	if c.reliable.push(frame) {
		c.kick()
		return true
	}
	if c.tryClose(pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER, "reliable queue full") {
		slowConsumers.WithLabelValues(slowReliableFull).Inc()
		c.log.Info("closing slow consumer", "why", "reliable queue full")
	}
	return false
}
