package netcode

import (
	"time"

	"golang.org/x/time/rate"
)

// floodSeconds is how many seconds' worth of messages (at the allowed rate) a
// client may have dropped, and not yet forgiven, before it counts as a flood.
const floodSeconds = 2

// verdict is what the rate limiter decides about one client message.
type verdict int

const (
	// allowed: handle the message.
	allowed verdict = iota
	// dropped: ignore the message and count it.
	dropped
	// flooded: the client is flooding; close the connection.
	flooded
)

// rateLimiter is a token bucket over all of one connection's client
// messages, control frames (pings, pongs) included, plus a flood detector.
// Messages beyond the bucket are dropped; each drop spends a token of a
// second bucket, the debt, which refills at the allowed rate and holds
// floodSeconds worth of messages: when it is empty the client is flooding.
// So a client between one and two times the allowed rate only loses its
// excess, while one sending much faster, or a burst of thousands at once,
// is cut off within a few seconds.
//
// Only the reader goroutine uses a rateLimiter (the socket library calls
// the ping and pong handlers from the reader too); times are passed in to
// keep it testable.
type rateLimiter struct {
	messages *rate.Limiter
	debt     *rate.Limiter
}

// newRateLimiter returns a limiter of rate messages a second and a burst of
// burst, with full buckets.
func newRateLimiter(perSecond float64, burst int) *rateLimiter {
	return &rateLimiter{
		messages: rate.NewLimiter(rate.Limit(perSecond), burst),
		debt:     rate.NewLimiter(rate.Limit(perSecond), max(1, int(floodSeconds*perSecond))),
	}
}

// take spends a token for one message arriving at now.
func (l *rateLimiter) take(now time.Time) verdict {
	if l.messages.AllowN(now, 1) {
		return allowed
	}
	if l.debt.AllowN(now, 1) {
		return dropped
	}
	return flooded
}
