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

// readBudget is a connection's budget of bytes read: a token bucket, with
// its burst kept beside it so that clamping a frame to the burst does not
// take the limiter's lock a second time for every frame. Reader goroutine
// only.
type readBudget struct {
	limiter *rate.Limiter
	burst   int
}

// newReadBudget returns a full budget of perSecond bytes a second. Its
// burst is a second's bytes, and at least one frame of maxFrame bytes, so
// that the largest frame allowed can always be paid for.
func newReadBudget(perSecond int, maxFrame int64) readBudget {
	burst := max(perSecond, int(maxFrame))
	return readBudget{limiter: rate.NewLimiter(rate.Limit(perSecond), burst), burst: burst}
}

// spend takes n bytes read at now from the budget (at most a burst: a
// frame is never larger in practice, and a larger charge could never be
// paid) and returns how long the reader should wait before reading on,
// zero while the budget is not overdrawn. A wait is at most a burst's
// worth: a second, or a largest frame's time where a frame is larger than
// a second's bytes.
func (b readBudget) spend(now time.Time, n int) time.Duration {
	n = min(n, b.burst)
	if b.limiter.AllowN(now, n) {
		return 0 // the usual case, which unlike ReserveN allocates nothing
	}
	r := b.limiter.ReserveN(now, n)
	if !r.OK() {
		return 0
	}
	return r.DelayFrom(now)
}
