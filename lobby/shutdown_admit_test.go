package lobby

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestConnAdmittedAsShutdownBegins: a connection admitted just before the
// server began shutting down, too late for Shutdown's list of connections,
// is told SERVER_SHUTDOWN and closed at once, and gives its slot back,
// rather than stay open until its hello timeout or Shutdown's deadline.
func TestConnAdmittedAsShutdownBegins(t *testing.T) {
	s := startServer(t, nil).Server
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := s.clientAddr(r)
		if reason, text := s.admit(addr); reason != "" {
			t.Errorf("admit: %s (%s)", reason, text)
			return
		}
		// Shutdown begins, and lists the connections, between this
		// connection's admission and its session's start.
		s.mu.Lock()
		s.closing = true
		s.mu.Unlock()
		ws, err := s.upgrader.Upgrade(w, r, nil)
		if err != nil {
			s.release(addr)
			t.Error(err)
			return
		}
		go s.serveConn(ws, addr)
	}))
	defer hs.Close()

	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	// Well before the 5 s hello timeout, which would close it too.
	_ = ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	var reason pb.CloseReason
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != wire.CloseCode(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN) {
				t.Fatalf("connection ended with %v, want close code %d (server shutdown)", err, wire.CloseCode(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN))
			}
			break
		}
		var m pb.ServerMessage
		if err := proto.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		if c := m.GetClosing(); c != nil {
			reason = c.GetReason()
		}
	}
	if reason != pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN {
		t.Errorf("Closing reason %v, want SERVER_SHUTDOWN", reason)
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the connection's slot never came back")
	}
}
