package netcode

import (
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestConnNormalCloseWhileStreaming: a peer's close 1000 is a goodbye even
// when it arrives while the writer is in the middle of a write. The reader's
// close handler answers the close as soon as the writer lets go of the
// socket, and from then on every write fails (websocket.ErrCloseSent, or a
// reset once the peer hangs up). That failure is a consequence of the
// peer's close and must not turn the goodbye into a drop: the lobby would
// hold the seat for the reconnection grace instead of releasing it.
//
// To have the write in flight when the close is read, the client stops
// reading while the server streams snapshots, so the writer blocks on full
// socket buffers; only then does it send the close and read on.
func TestConnNormalCloseWhileStreaming(t *testing.T) {
	peerClosed := counter(connectionsClosed.WithLabelValues(closedPeer))
	writeErrors := counter(connectionsClosed.WithLabelValues(closedWriteError))
	// The writer is meant to stall here: no slow-consumer close meanwhile.
	s := newTestServer(t, serveOpts{cfg: ConnConfig{SlowConsumerAfter: time.Hour}})
	ws, sv := s.dial(t)

	frame := snapshotFrame(t, 1, 64<<10)
	stop := make(chan struct{})
	streamed := make(chan struct{})
	go func() {
		// Offer without pause, so the slot is full whenever the writer
		// comes back for the next frame.
		defer close(streamed)
		for {
			select {
			case <-stop:
				return
			default:
				sv.conn.OfferSnapshot(frame)
			}
		}
	}()
	defer func() {
		close(stop)
		<-streamed
	}()

	for range 5 {
		if mustRead(t, ws).GetSnapshot() == nil {
			t.Fatal("want snapshots while the server streams")
		}
	}
	waitWriterStuck(t, sv.conn)

	// As the Go client does: send the close, read on (the snapshots the
	// stuck writer could not get out come first) until the server answers
	// it, then hang up.
	bye := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	if err := ws.WriteControl(websocket.CloseMessage, bye, time.Now().Add(waitLimit)); err != nil {
		t.Fatalf("write close: %v", err)
	}
	// Give the server's reader a moment to take the close while the write
	// is still stuck; its answer waits for the writer for up to a second.
	// Were it slower, the test would only be less sharp, not wrong.
	time.Sleep(100 * time.Millisecond)
	for {
		_, err := readMsg(ws)
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure {
			t.Fatalf("read after close = %v, want the server's answer to close 1000", err)
		}
		break
	}
	ws.Close()

	if err := sv.serveResult(t); err != nil {
		t.Errorf("Serve after the peer's normal close during a write = %v, want nil", err)
	}
	if !sv.conn.PeerLeft() {
		t.Error("PeerLeft() = false after the peer closed with 1000 during a write")
	}
	if got := counter(connectionsClosed.WithLabelValues(closedPeer)) - peerClosed; got != 1 {
		t.Errorf("connections closed{peer_closed} rose by %v, want 1", got)
	}
	if got := counter(connectionsClosed.WithLabelValues(closedWriteError)) - writeErrors; got != 0 {
		t.Errorf("connections closed{write_error} rose by %v, want 0", got)
	}
}

// waitWriterStuck waits until conn has written no snapshot for a while
// although one is always on offer: its writer is blocked on a peer that
// does not read.
func waitWriterStuck(t *testing.T, conn *Conn) {
	t.Helper()
	const still = 50 * time.Millisecond
	deadline := time.Now().Add(waitLimit)
	last, since := conn.Stats().SnapshotsSent, time.Now()
	for time.Since(since) < still {
		if time.Now().After(deadline) {
			t.Fatal("the writer never stalled on a peer that does not read")
		}
		time.Sleep(5 * time.Millisecond)
		if sent := conn.Stats().SnapshotsSent; sent != last {
			last, since = sent, time.Now()
		}
	}
}
