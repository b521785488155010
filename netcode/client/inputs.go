package client

import (
	"fmt"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// ackedInput is one input the server newly reported applied.
type ackedInput struct {
	seq     uint32
	latency time.Duration
}

// SendInput sends one input: the next seq, the tick it should land on and
// values, in the order of the room's input schema (Schema().Input), each
// made valid for its field as the server would (wire.Field.Clamp); values
// left out are 0 to the server. More values than the schema names is an
// error, and so is a room whose schema was refused (ErrNotJoined). The
// frame also repeats up to InputRedundancy earlier inputs the server has
// not reported applied, and acknowledges the newest applied snapshot. It
// returns the input's seq.
//
// While the client is redialing the input is queued, not sent, and
// SendInput returns its seq and no error without blocking: the first
// InputBatch of the resumed connection carries it. Only the newest
// InputRedundancy+1 inputs are kept meanwhile (older ones are counted in
// InputsDroppedReconnecting): a game wants its latest controls applied,
// not a backlog replayed late. Likewise, with reconnection enabled a write
// that fails because the connection just died leaves the input queued and
// is no error; Err and Done report a final end.
func (c *Client) SendInput(values ...int32) (seq uint32, err error) {
	now := time.Now()
	c.writeMu.Lock() // held across seq assignment and write: frames leave in seq order
	defer c.writeMu.Unlock()

	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return 0, fmt.Errorf("client: send input: %w", err)
	}
	if c.joined == nil || c.schema == nil {
		c.mu.Unlock()
		return 0, fmt.Errorf("client: send input: %w", ErrNotJoined)
	}
	fields := c.schema.Input
	if len(values) > len(fields) {
		c.mu.Unlock()
		return 0, fmt.Errorf("client: send input: %d values, the room's input has %d", len(values), len(fields))
	}
	c.nextSeq++
	in := newInput(len(values))
	in.Seq, in.Tick = c.nextSeq, c.targetTickLocked(clientClockUS(now))
	for i, v := range values {
		in.Values[i] = fields[i].Clamp(v)
	}
	if len(c.pendingIn) == clientMaxPending {
		// Drop the oldest: the server, if it ever catches up, skips it anyway.
		copy(c.pendingIn, c.pendingIn[1:])
		copy(c.pendingAt, c.pendingAt[1:])
		c.pendingIn = c.pendingIn[:len(c.pendingIn)-1]
		c.pendingAt = c.pendingAt[:len(c.pendingAt)-1]
		c.stats.InputsUnackedDropped++
	}
	c.pendingIn = append(c.pendingIn, in)
	c.pendingAt = append(c.pendingAt, now)
	k := min(len(c.pendingIn), c.cfg.InputRedundancy+1)
	if c.conn == nil {
		// Redialing: keep what the first batch will carry.
		drop := len(c.pendingIn) - k
		c.pendingIn = c.pendingIn[:copy(c.pendingIn, c.pendingIn[drop:])]
		c.pendingAt = c.pendingAt[:copy(c.pendingAt, c.pendingAt[drop:])]
		c.stats.InputsDroppedReconnecting += uint64(drop)
		c.stats.InputsSent++
		c.mu.Unlock()
		return in.Seq, nil
	}
	// Encoded now, under mu: the reader trims pendingIn while the frame is
	// written. writeMu guards writeBuf.
	c.writeBuf = wire.AppendInputFrame(c.writeBuf[:0], c.pendingIn[len(c.pendingIn)-k:], c.ackTick)
	c.lastInputAt = now
	c.stats.InputsSent++
	c.mu.Unlock()

	conn, err := c.liveConn()
	if err == nil {
		err = c.writeFrame(conn, c.writeBuf)
	}
	if err != nil {
		if c.cfg.Reconnect.Enabled && c.Err() == nil {
			return in.Seq, nil // queued for the redial, as above
		}
		return in.Seq, fmt.Errorf("client: send input %d: %w", in.Seq, err)
	}
	return in.Seq, nil
}

// inputWithValues is an Input and room for its values: one allocation
// per input instead of two.
type inputWithValues struct {
	in     pb.Input
	values [wire.MaxInputFields]int32
}

// newInput returns an empty Input with n zero values.
func newInput(n int) *pb.Input {
	a := &inputWithValues{}
	if n <= len(a.values) {
		a.in.Values = a.values[:n:n]
	} else {
		a.in.Values = make([]int32, n)
	}
	return &a.in
}

// targetTickLocked estimates the server tick an input sent at local time
// nowUS arrives for: the newest known tick advanced by the server time
// since it, plus half a round trip.
func (c *Client) targetTickLocked(nowUS int64) uint32 {
	hz := c.tickHzLocked()
	if hz <= 0 || c.joined == nil {
		return 0
	}
	baseTick, baseUS := c.ackTick, c.snapServerUS
	if baseTick == 0 {
		baseTick, baseUS = c.joined.Tick, c.clock.ServerTime(c.joinedAtUS)
	}
	_, rtt := c.clock.RTT()
	ahead := c.clock.ServerTime(nowUS) + rtt.Microseconds()/2 - baseUS
	if ahead <= 0 {
		return baseTick
	}
	return baseTick + uint32(ahead*int64(hz)/1e6)
}

// ackInputsLocked handles the server reporting inputs up to lastSeq
// applied: it measures the prediction error for lastSeq, forgets the
// acknowledged inputs and returns them with their latencies. prevRows is
// the state before the snapshot, rows the new one.
func (c *Client) ackInputsLocked(prevRows, rows *wire.Rows, lastSeq uint32, now time.Time) []ackedInput {
	k := 0
	for k < len(c.pendingIn) && c.pendingIn[k].Seq <= lastSeq {
		k++
	}
	if c.cfg.Predict != nil && c.schema != nil && k > 0 {
		// The prediction made for lastSeq: the old authoritative entity
		// advanced by the inputs this snapshot newly covers.
		pi, ok1 := OwnEntity(c.schema, prevRows, c.joined.EntityId, c.joined.PlayerId)
		ai, ok2 := OwnEntity(c.schema, rows, c.joined.EntityId, c.joined.PlayerId)
		if ok1 && ok2 {
			guess := Predict(entityAt(prevRows, pi), c.pendingIn[:k], c.tickHzLocked(), c.cfg.Predict)
			e := PredictionError(c.schema, guess, entityAt(rows, ai))
			c.stats.PredictionErrorLast = e
			c.stats.PredictionErrorMax = max(c.stats.PredictionErrorMax, e)
		}
	}
	var acked []ackedInput
	if c.cfg.OnInputAck != nil {
		// The reader reuses the slice: it has run the callbacks before it
		// handles the next snapshot.
		acked = c.acked[:0]
		for i := range k {
			acked = append(acked, ackedInput{seq: c.pendingIn[i].Seq, latency: now.Sub(c.pendingAt[i])})
		}
		c.acked = acked
	}
	c.stats.InputsAcked += uint64(k)
	c.pendingIn = c.pendingIn[:copy(c.pendingIn, c.pendingIn[k:])]
	c.pendingAt = c.pendingAt[:copy(c.pendingAt, c.pendingAt[k:])]
	c.lastInputSeq = lastSeq
	return acked
}
