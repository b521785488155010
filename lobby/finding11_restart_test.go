package lobby

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/client"
)

// switchProxy forwards loopback TCP connections to a backend that the test
// switches; cut resets every forwarded connection at once, as a crashed
// server's would be. Clients dial the proxy, so a "restarted" server keeps
// its address.
type switchProxy struct {
	ln      net.Listener
	backend atomic.Pointer[string]

	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

func newSwitchProxy(t *testing.T, backend string) *switchProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{ln: ln}
	p.backend.Store(&backend)
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *switchProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		b, err := net.Dial("tcp", *p.backend.Load())
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, b)
		p.mu.Unlock()
		p.wg.Add(2)
		go func() { defer p.wg.Done(); _, _ = io.Copy(b, c); b.Close() }()
		go func() { defer p.wg.Done(); _, _ = io.Copy(c, b); c.Close() }()
	}
}

// cut resets every forwarded connection.
func (p *switchProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		c.Close()
	}
	p.conns = nil
}

// url is the proxy's WebSocket URL.
func (p *switchProxy) url() string { return "ws://" + p.ln.Addr().String() + "/ws" }

// startSecretServer starts a lobby server signing tokens with secret.
func startSecretServer(t *testing.T, secret string) (*Server, string) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Limits = Limits{}
	cfg.SessionSecret = []byte(secret)
	srv, err := NewServer(cfg, arenaModes(nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		hs.Close()
	})
	return srv, strings.TrimPrefix(hs.URL, "http://")
}

// TestFinding11Restart reproduces the restart half of finding 11 of the
// hardening review: after a restart every client failed to resume
// (INVALID_TOKEN) and the Go client gave up. Now a server started with the
// same session secret (cmd/tickwire keeps a generated one in its state
// directory) takes the old token: the client is welcomed back into its
// session, its seat gone, and is in the lobby; a server with another
// secret refuses the token, and the client signs in again as a new guest
// and is in the lobby too. Either way OnReconnect(false) tells it, and it
// can join again.
func TestFinding11Restart(t *testing.T) {
	const secret = "a-secret-of-at-least-16-bytes!!"
	tests := []struct {
		name        string
		secret      string
		sameSession bool
	}{
		{name: "same secret", secret: secret, sameSession: true},
		{name: "another secret", secret: "another-secret-of-16-bytes-or-more", sameSession: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, first := startSecretServer(t, secret)
			p := newSwitchProxy(t, first)
			reconnected := make(chan bool, 4)
			c := dial(t, p.url(), "ann", func(cfg *client.ClientConfig) {
				cfg.Reconnect = client.ReconnectPolicy{Enabled: true, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
				cfg.OnReconnect = func(resumed bool) { reconnected <- resumed }
			})
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			if _, err := c.Join(ctx, "", ""); err != nil {
				t.Fatal(err)
			}
			session := c.Welcome().GetSessionId()

			_, second := startSecretServer(t, tt.secret)
			p.backend.Store(&second)
			p.cut() // the first server is gone as if killed

			select {
			case resumed := <-reconnected:
				if resumed {
					t.Fatal("resumed a seat on a server that never had it")
				}
			case <-ctx.Done():
				t.Fatalf("client did not come back: %v", c.Err())
			}
			if c.Joined() != nil {
				t.Errorf("client still thinks it is in room %s", c.Joined().GetRoomId())
			}
			if got := c.Welcome().GetSessionId() == session; got != tt.sameSession {
				t.Errorf("same session after the restart: %v, want %v", got, tt.sameSession)
			}
			wantSignIns := uint64(1)
			if tt.sameSession {
				wantSignIns = 0
			}
			if got := c.Stats().SignIns; got != wantSignIns {
				t.Errorf("fresh sign-ins %d, want %d", got, wantSignIns)
			}
			if _, err := c.Join(ctx, "", ""); err != nil {
				t.Errorf("join on the restarted server: %v", err)
			}
		})
	}
}
