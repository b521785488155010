package netcode

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestConnWriteWatchdogCutsBlockedWrite: a peer that stops reading fills the
// socket buffers until a write blocks; the watchdog cuts that write once it
// has taken WriteTimeout, and the connection ends as a write timeout. The
// cut is a deadline set from the watchdog's goroutine, so it must also get
// through a deadline.Conn, as the lobby's connections have.
func TestConnWriteWatchdogCutsBlockedWrite(t *testing.T) {
	for _, memo := range []bool{false, true} {
		t.Run(fmt.Sprintf("memoDeadlines=%v", memo), func(t *testing.T) {
			testWatchdogCut(t, memo)
		})
	}
}

func testWatchdogCut(t *testing.T, memoDeadlines bool) {
	timeouts := counter(connectionsClosed.WithLabelValues(closedWriteTimeout))
	cfg := ConnConfig{WriteTimeout: 300 * time.Millisecond, SlowConsumerAfter: time.Minute, PingPeriod: time.Minute, PongWait: 2 * time.Minute}
	s := newTestServer(t, serveOpts{cfg: cfg, memoDeadlines: memoDeadlines, beforeServe: func(sv *served) {
		if err := tcpConn(sv.conn.ws.NetConn()).SetWriteBuffer(4096); err != nil {
			t.Errorf("set write buffer: %v", err)
		}
	}})
	ws, sv := s.dial(t) // never read from
	if err := ws.NetConn().(*net.TCPConn).SetReadBuffer(4096); err != nil {
		t.Fatalf("set read buffer: %v", err)
	}
	frame := make([]byte, 64<<10)
	giveUp := time.After(waitLimit)
	var err error
	for offering := true; offering; {
		select {
		case err = <-sv.err:
			offering = false
		case <-time.After(10 * time.Millisecond):
			sv.conn.OfferSnapshot(frame)
		case <-giveUp:
			t.Fatal("Serve did not return: the blocked write was never cut")
		}
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !strings.Contains(err.Error(), "write blocked for more than 300ms") {
		t.Errorf("Serve returned %v, want a write blocked for more than 300ms (a timeout)", err)
	}
	if got := counter(connectionsClosed.WithLabelValues(closedWriteTimeout)) - timeouts; got != 1 {
		t.Errorf("connections closed{write_timeout} rose by %v, want 1", got)
	}
}

// TestWatchdogCutMissesFinishedWrite: the watchdog decides to cut a write
// from what it read a moment before; when that write has finished and the
// next one begun in the meantime, the cut must not land on the next one.
func TestWatchdogCutMissesFinishedWrite(t *testing.T) {
	_, c := idleConn(t, false)
	first := c.writeStarted()
	c.writeDone(first, true)
	for monoNanos() == first {
		// a clock coarser than two calls must move on before the next write
	}
	next := c.writeStarted()
	if c.cutWrite(first) {
		t.Error("the watchdog cut a write that had finished")
	}
	if c.writeTimedOut.Load() {
		t.Error("a write is marked as cut though none was")
	}
	// A write to the socket fails at once when its deadline is past.
	if _, err := tcpConn(c.ws.NetConn()).Write(nil); err != nil {
		t.Errorf("the write in progress would fail: %v", err)
	}
	c.writeDone(next, true)
}

// TestWatchdogClaimedWriteThatSucceeded: a write that finishes just as the
// watchdog claims it succeeds all the same; the cut is then undone by the
// next write's deadline, and the connection is not marked as having had a
// write cut, so a later failure is not reported as a write timeout. Also
// with the socket under a deadline.Conn, as the lobby has it.
func TestWatchdogClaimedWriteThatSucceeded(t *testing.T) {
	for _, memo := range []bool{false, true} {
		t.Run(fmt.Sprintf("memoDeadlines=%v", memo), func(t *testing.T) {
			testClaimedWriteThatSucceeded(t, memo)
		})
	}
}

func testClaimedWriteThatSucceeded(t *testing.T, memoDeadlines bool) {
	ws, c := idleConn(t, memoDeadlines)
	since := c.writeStarted()
	if !c.cutWrite(since) {
		t.Fatal("the watchdog did not cut the write in progress")
	}
	if !c.writeTimedOut.Load() {
		t.Error("the cut write is not marked as cut")
	}
	c.writeDone(since, true)
	if c.writeTimedOut.Load() {
		t.Error("a write that succeeded is still marked as cut")
	}
	if got := c.writingSince.Load(); got != 0 {
		t.Errorf("writingSince = %d after the write, want 0", got)
	}
	c.OfferSnapshot(snapshotFrame(t, 42, 8))
	if tick := mustRead(t, ws).GetSnapshot().GetTick(); tick != 42 {
		t.Errorf("the next message is not the snapshot of tick 42 but tick %d", tick)
	}
}

// TestWatchdogClaimedWriteWaitsForCut: a write the watchdog has claimed
// waits, as it finishes, until the cut is made (watchMu), so that the
// writer's next write sets its deadline after the cut and undoes it.
func TestWatchdogClaimedWriteWaitsForCut(t *testing.T) {
	_, c := idleConn(t, false)
	since := c.writeStarted()
	c.watchMu.Lock() // the watchdog, between its claim and its cut
	c.writingSince.Store(writeCut)
	done := make(chan struct{})
	go func() {
		c.writeDone(since, true)
		close(done)
	}()
	select {
	case <-done:
		c.watchMu.Unlock()
		t.Fatal("a claimed write finished before the cut was made")
	case <-time.After(50 * time.Millisecond):
	}
	c.watchMu.Unlock()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatal("a claimed write did not finish once the cut was made")
	}
	if got := c.writingSince.Load(); got != 0 {
		t.Errorf("writingSince = %d after the write, want 0", got)
	}
}

// idleConn dials a test server whose pings are a minute apart and returns
// the client's socket and the server's connection once its writer is
// idle (waitWriterIdle), so that a test can drive the watchdog by hand.
func idleConn(t *testing.T, memoDeadlines bool) (*websocket.Conn, *Conn) {
	t.Helper()
	s := newTestServer(t, serveOpts{memoDeadlines: memoDeadlines, cfg: ConnConfig{PingPeriod: time.Minute, PongWait: 2 * time.Minute}})
	ws, sv := s.dial(t)
	waitWriterIdle(t, sv.conn)
	return ws, sv.conn
}

// waitWriterIdle waits until c's writer has sent its first ping and no
// flush runs, so that no write of its own touches the socket's deadline
// (a cut could land on that ping). A writer Serve has not started yet
// neither runs nor has its ping due, so it must have started too.
func waitWriterIdle(t *testing.T, c *Conn) {
	t.Helper()
	giveUp := time.Now().Add(waitLimit)
	for {
		c.w.mu.Lock()
		idle := c.w.started && !c.w.running && !c.w.pingDue.Load()
		c.w.mu.Unlock()
		if idle {
			return
		}
		if time.Now().After(giveUp) {
			t.Fatal("the writer did not go idle")
		}
		time.Sleep(time.Millisecond)
	}
}
