package netcode

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// TestConnWriteWatchdogCutsBlockedWrite: a peer that stops reading fills the
// socket buffers until a write blocks; the watchdog cuts that write once it
// has taken WriteTimeout, and the connection ends as a write timeout.
func TestConnWriteWatchdogCutsBlockedWrite(t *testing.T) {
	timeouts := counter(connectionsClosed.WithLabelValues(closedWriteTimeout))
	cfg := ConnConfig{WriteTimeout: 300 * time.Millisecond, SlowConsumerAfter: time.Minute, PingPeriod: time.Minute, PongWait: 2 * time.Minute}
	s := newTestServer(t, serveOpts{cfg: cfg, beforeServe: func(sv *served) {
		if err := sv.conn.ws.NetConn().(*net.TCPConn).SetWriteBuffer(4096); err != nil {
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
