package game

import (
	"sync"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
)

// Clock is the monotonic time source of a room: its tick schedule, tick
// durations and snapshot server times all come from it, so a test can drive a
// room with a ManualClock.
type Clock interface {
	// Now returns the monotonic time since the clock's epoch.
	Now() time.Duration
	// NewTimer returns a timer that fires once, d from now (at once when
	// d <= 0).
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer of a Clock, with the semantics of time.Timer in
// Go 1.23 and later: after Reset or Stop no stale value is received.
type Timer interface {
	// C returns the channel the timer fires on.
	C() <-chan time.Time
	// Reset makes the timer fire d from now; it reports whether the timer
	// was active.
	Reset(d time.Duration) bool
	// Stop stops the timer; it reports whether the timer was active.
	Stop() bool
}

// realEpoch is aligned with the epoch of wire.ServerTimeUS (process
// start), so snapshot server times agree with Welcome and Pong and a client
// needs one clock offset for all of them.
var realEpoch = time.Now().Add(-time.Duration(wire.ServerTimeUS()) * time.Microsecond)

// RealClock is the process's monotonic clock; its epoch is that of
// wire.ServerTimeUS. The zero value is ready to use.
type RealClock struct{}

// Now returns the monotonic time since process start.
func (RealClock) Now() time.Duration { return time.Since(realEpoch) }

// NewTimer wraps time.NewTimer.
func (RealClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

// realTimer adapts *time.Timer to Timer.
type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }
func (r realTimer) Stop() bool                 { return r.t.Stop() }

// ManualClock is a Clock that moves only when Advance is called. It is meant
// for tests: timers whose deadline has been reached fire during Advance (or
// at once when created or reset with a deadline already reached). It is safe
// for concurrent use.
type ManualClock struct {
	mu     sync.Mutex
	now    time.Duration
	timers map[*manualTimer]struct{} // active timers
}

// NewManualClock returns a ManualClock reading start.
func NewManualClock(start time.Duration) *ManualClock {
	return &ManualClock{now: start, timers: make(map[*manualTimer]struct{})}
}

// Now returns the clock's current reading.
func (c *ManualClock) Now() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and fires every timer that is due.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now += d
	for t := range c.timers {
		if t.at <= c.now {
			c.fireLocked(t)
		}
	}
}

// Timers returns how many timers are active (set and not yet fired), so a
// test can wait until a room is idle before advancing the clock.
func (c *ManualClock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// NewTimer returns a timer that fires when the clock reaches Now()+d.
func (c *ManualClock) NewTimer(d time.Duration) Timer {
	t := &manualTimer{c: c, ch: make(chan time.Time, 1)}
	t.Reset(d)
	return t
}

// fireLocked delivers t's tick and deactivates it; c.mu must be held.
func (c *ManualClock) fireLocked(t *manualTimer) {
	delete(c.timers, t)
	select {
	case t.ch <- time.Time{}:
	default:
	}
}

// manualTimer is a ManualClock timer.
type manualTimer struct {
	c  *ManualClock
	ch chan time.Time
	at time.Duration
}

func (t *manualTimer) C() <-chan time.Time { return t.ch }

func (t *manualTimer) Reset(d time.Duration) bool {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	active := t.stopLocked()
	t.at = c.now + d
	c.timers[t] = struct{}{}
	if t.at <= c.now {
		c.fireLocked(t)
	}
	return active
}

func (t *manualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	return t.stopLocked()
}

// stopLocked deactivates t and drops an undelivered tick, as Go 1.23 timers
// do; c.mu must be held.
func (t *manualTimer) stopLocked() bool {
	_, active := t.c.timers[t]
	delete(t.c.timers, t)
	select {
	case <-t.ch:
	default:
	}
	return active
}
