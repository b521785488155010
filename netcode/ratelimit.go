package netcode

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

// rateLimiter is a token bucket over all of one connection's client messages,
// plus a flood detector. Messages beyond the bucket are dropped; each drop
// adds to a debt that is forgiven at the allowed rate, and a debt above
// floodSeconds worth of messages is a flood. So a client between one and two
// times the allowed rate only loses its excess, while one sending much
// faster, or a burst of thousands at once, is cut off within a few seconds.
//
// Only the reader goroutine uses a rateLimiter, so it has no lock; times are
// passed in, in nanoseconds of a monotonic clock, to keep it testable.
type rateLimiter struct {
	rate     float64 // tokens per second
	burst    float64
	tokens   float64
	debt     float64 // dropped messages not yet forgiven
	floodAt  float64
	lastNano int64
}

// newRateLimiter returns a limiter with a full bucket as of now.
func newRateLimiter(rate float64, burst int, now int64) *rateLimiter {
	return &rateLimiter{
		rate:     rate,
		burst:    float64(burst),
		tokens:   float64(burst),
		floodAt:  floodSeconds * rate,
		lastNano: now,
	}
}

// take spends a token for one message arriving at now.
func (l *rateLimiter) take(now int64) verdict {
	if elapsed := float64(now-l.lastNano) / 1e9; elapsed > 0 {
		l.tokens = min(l.burst, l.tokens+elapsed*l.rate)
		l.debt = max(0, l.debt-elapsed*l.rate)
		l.lastNano = now
	}
	if l.tokens >= 1 {
		l.tokens--
		return allowed
	}
	l.debt++
	if l.debt > l.floodAt {
		return flooded
	}
	return dropped
}
