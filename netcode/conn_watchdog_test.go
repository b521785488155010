package netcode

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
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
