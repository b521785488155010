package netcode

import (
	"fmt"
	"time"
)

// The writer bounds each data write by WriteTimeout with a watchdog rather
// than a socket deadline. The socket library sets the socket's deadline
// before every write, and a deadline in the future re-arms a runtime timer
// each time: at twenty snapshots a second per connection that timer work
// was a few percent of the server's CPU. With no deadline set (the zero
// time) a write touches no timer; the watchdog's one timer per connection
// fires about once a WriteTimeout while writes go on, and cuts a write that
// has been blocked for longer by moving the socket's deadline to the past.

// writeCut marks, in writingSince, the write the watchdog has claimed to
// cut: a time no write starts at.
const writeCut = -1

// writeStarted marks a data write as begun and makes sure the watchdog will
// look at it; writeDone takes what it returns.
func (c *Conn) writeStarted() int64 {
	since := monoNanos()
	c.writingSince.Store(since)
	c.armWatchdog(c.cfg.WriteTimeout)
	return since
}

// writeDone marks the data write begun at since as finished, ok when it
// succeeded. When the watchdog claimed that write, writeDone waits until
// the cut is made: the writer's next write then sets its own deadline,
// which undoes it. A write that succeeded all the same was not cut, and
// the mark saying one was goes.
func (c *Conn) writeDone(since int64, ok bool) {
	if c.writingSince.CompareAndSwap(since, 0) {
		return
	}
	c.watchMu.Lock()
	c.writingSince.Store(0)
	if ok {
		c.writeTimedOut.Store(false)
	}
	c.watchMu.Unlock()
}

// armWatchdog starts the watchdog's timer for after d, unless it is
// running already.
func (c *Conn) armWatchdog(d time.Duration) {
	if !c.watchArmed.CompareAndSwap(false, true) {
		return
	}
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	if c.watch == nil {
		c.watch = time.AfterFunc(d, c.checkWrite)
		return
	}
	c.watch.Reset(d)
}

// checkWrite is the watchdog: it cuts a write in progress for longer than
// WriteTimeout and otherwise comes back while one is in progress.
func (c *Conn) checkWrite() {
	// Disarm before looking, so a write that starts after the look arms
	// the timer again itself.
	c.watchArmed.Store(false)
	since := c.writingSince.Load()
	if since <= 0 {
		return // idle (the next write arms the watchdog), or cut already
	}
	elapsed := time.Duration(monoNanos() - since)
	if elapsed < c.cfg.WriteTimeout {
		c.armWatchdog(c.cfg.WriteTimeout - elapsed)
		return
	}
	c.cutWrite(since)
}

// cutWrite cuts the write begun at since, unless it has finished: the
// claim and the cut happen under watchMu, which a write that finishes
// while claimed waits for, so a cut meant for one write never lands on
// the writer's next one. (A pong or close reply the reader writes at
// that moment can still be cut: rare, and only once a write has taken
// about WriteTimeout.) It reports whether it cut.
func (c *Conn) cutWrite(since int64) bool {
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	if !c.writingSince.CompareAndSwap(since, writeCut) {
		return false
	}
	c.writeTimedOut.Store(true)
	// A deadline in the past fails the blocked write with a timeout.
	_ = c.ws.NetConn().SetWriteDeadline(time.Unix(1, 0))
	return true
}

// stopWatchdog stops the watchdog once the writer has returned.
func (c *Conn) stopWatchdog() {
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	if c.watch != nil {
		c.watch.Stop()
	}
}

// errWriteTimeout names a write the watchdog cut.
func (c *Conn) errWriteTimeout(err error) error {
	return fmt.Errorf("write blocked for more than %v: %w", c.cfg.WriteTimeout, err)
}
