package netcode

import (
	"encoding/binary"
	"time"
)

// pingPayloadLen is the size of the writer's ping payload: the monotonic send
// time in nanoseconds, big-endian. Peers echo a ping's payload in their pong
// (RFC 6455 §5.5.3), so the pong tells the round trip without any state.
const pingPayloadLen = 8

// rttSmoothing is the weight of a new sample in the smoothed round trip
// (1/8, as TCP's SRTT), so one late pong does not swing the figure.
const rttSmoothing = 8

// pingPayload returns the payload of a ping sent at monoNanos now.
func pingPayload(now int64) []byte {
	var b [pingPayloadLen]byte
	binary.BigEndian.PutUint64(b[:], uint64(now))
	return b[:]
}

// recordPong takes the round trip from a pong's echoed payload. A payload
// that is not one of ours, or that claims a time in the future, is ignored:
// a peer may send unsolicited pongs.
func (c *Conn) recordPong(payload string, now int64) {
	if len(payload) != pingPayloadLen {
		return
	}
	sent := int64(binary.BigEndian.Uint64([]byte(payload)))
	if sent <= 0 || sent > now {
		return
	}
	sample := now - sent
	c.rttLast.Store(sample)
	for {
		old := c.rttSmoothed.Load()
		next := sample
		if old != 0 {
			next = old + (sample-old)/rttSmoothing
		}
		if c.rttSmoothed.CompareAndSwap(old, next) {
			return
		}
	}
}

// RTT returns the smoothed round-trip time measured from WebSocket pings to
// their pongs (the writer pings every PingPeriod and once at the start), or
// 0 before the first pong. It is safe to call from any goroutine.
func (c *Conn) RTT() time.Duration { return time.Duration(c.rttSmoothed.Load()) }

// LastRTT returns the newest single round-trip sample, or 0 before the
// first pong.
func (c *Conn) LastRTT() time.Duration { return time.Duration(c.rttLast.Load()) }
