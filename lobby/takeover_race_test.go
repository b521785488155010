package lobby

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// gatedSessions is a SessionStore whose Revoked, once armed, waits for the
// test: it holds a Hello between its claim of the session and its check
// for a revocation.
type gatedSessions struct {
	SessionStore
	armed   atomic.Bool
	entered chan string
	release chan struct{}
}

func (g *gatedSessions) Revoked(id string) bool {
	if g.armed.CompareAndSwap(true, false) {
		g.entered <- id
		<-g.release
	}
	return g.SessionStore.Revoked(id)
}

// TestRevokeDuringTakeover: an operator revokes a session while a second
// connection with its token is taking it over, after its claim. The
// revocation finds the newcomer, and the newcomer closes the connection it
// took the session from too. (That one used to play on, out of the
// server's session map, where no second revocation could find it.)
func TestRevokeDuringTakeover(t *testing.T) {
	store := &gatedSessions{SessionStore: NewMemorySessions(1000, time.Hour),
		entered: make(chan string, 1), release: make(chan struct{})}
	srv := startServer(t, func(c *Config) { c.Sessions = store })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	first := dial(t, srv.url, "first", nil)
	if _, err := first.Join(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	store.armed.Store(true)
	dialed := make(chan error, 1)
	go func() {
		c, err := client.Dial(ctx, client.ClientConfig{URL: srv.url, Name: "second", SessionToken: first.SessionToken()})
		if err == nil {
			c.Close()
		}
		dialed <- err
	}()
	id := <-store.entered
	if rev := srv.RevokeSession(id); !rev.ConnectionClosed {
		t.Errorf("revocation %+v, want the newcomer's connection closed", rev)
	}
	close(store.release)
	if err := <-dialed; err == nil {
		t.Error("the newcomer with a revoked token was welcomed")
	}
	if r := closeReason(t, first); r != pb.CloseReason_CLOSE_REASON_AUTH_FAILED {
		t.Errorf("the first connection closed with %v, want AUTH_FAILED", r)
	}
}

// gateHandler is a slog handler that, once armed, holds the goroutine
// logging a record with message msg until the test releases it.
type gateHandler struct {
	msg     string
	armed   atomic.Bool
	entered chan struct{}
	release chan struct{}
}

func (g *gateHandler) Enabled(context.Context, slog.Level) bool { return true }
func (g *gateHandler) WithAttrs([]slog.Attr) slog.Handler       { return g }
func (g *gateHandler) WithGroup(string) slog.Handler            { return g }
func (g *gateHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == g.msg && g.armed.CompareAndSwap(true, false) {
		g.entered <- struct{}{}
		<-g.release
	}
	return nil
}

// TestTakeoverDuringResume: a player's connection dropped and its seat is
// held; a reconnection takes the held seat, and a second reconnection with
// the same token takes the session over before the first has reattached
// the seat. The second waits and gets the seat (Welcome resumed, Joined
// resumed). (It used to find no seat and start afresh, while the seat went
// with the replaced connection and was held again under the session.)
func TestTakeoverDuringResume(t *testing.T) {
	gate := &gateHandler{msg: "session welcomed", entered: make(chan struct{}, 1), release: make(chan struct{})}
	srv := startServerLogged(t, nil, arenaModes(nil), slog.New(gate))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := dial(t, srv.url, "p", nil)
	if _, err := p.Join(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	token := p.SessionToken()
	held := metricValue(t, "tickwire_seats_held_total")
	p.DropConnection()
	eventually(t, "the dropped player's seat to be held", func() bool { return metricValue(t, "tickwire_seats_held_total") != held })

	gate.armed.Store(true)
	go func() {
		// The first reconnection: welcomed, then held at its log line
		// before it reattaches the seat; replaced by the second.
		if c, err := client.Dial(ctx, client.ClientConfig{URL: srv.url, Name: "p", SessionToken: token}); err == nil {
			<-c.Done()
		}
	}()
	<-gate.entered
	type dialed struct {
		c   *client.Client
		err error
	}
	second := make(chan dialed, 1)
	go func() {
		c, err := client.Dial(ctx, client.ClientConfig{URL: srv.url, Name: "p", SessionToken: token})
		second <- dialed{c, err}
	}()
	time.Sleep(200 * time.Millisecond) // the second reaches the takeover
	close(gate.release)
	d := <-second
	if d.err != nil {
		t.Fatal(d.err)
	}
	defer d.c.Close()
	if !d.c.Welcome().GetResumed() {
		t.Fatal("the second reconnection was welcomed without the seat")
	}
	eventually(t, "a resumed Joined on the second reconnection", func() bool { return d.c.Joined().GetResumed() })
}
