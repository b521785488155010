package lobby

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// frontDoor is a lobby server behind its own Listener and HTTPServer, as
// the tickwire command runs it, on a real loopback port.
type frontDoor struct {
	*Server
	addr string // 127.0.0.1:port
	url  string // ws://127.0.0.1:port/ws
}

// startFrontDoor starts a server with the production budgets
// (DefaultConfig), adjusted by tweak, playing the arena with settings
// adjusted by edit, and stops it when the test ends.
func startFrontDoor(t *testing.T, tweak func(*Config), edit func(*game.Settings)) *frontDoor {
	t.Helper()
	return startFrontDoorModes(t, tweak, arenaModes(edit))
}

// startFrontDoorModes is startFrontDoor playing the modes of a catalogue.
func startFrontDoorModes(t *testing.T, tweak func(*Config), modes game.Modes) *frontDoor {
	t.Helper()
	cfg := DefaultConfig()
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := NewServer(cfg, modes, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer(srv.Handler())
	served := make(chan error, 1)
	go func() { served <- hs.Serve(srv.Listener(ln)) }()
	fd := &frontDoor{Server: srv, addr: ln.Addr().String(), url: "ws://" + ln.Addr().String() + "/ws"}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := hs.Shutdown(ctx); err != nil {
			t.Errorf("http shutdown: %v", err)
		}
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return fd
}

// loopback returns the loopback address 127.0.0.n: on Linux every address
// of 127.0.0.0/8 is the local host, so a test dialing from several of them
// is several client addresses to the server.
func loopback(n int) net.IP { return net.IPv4(127, 0, byte(n/250), byte(1+n%250)) }

// netDialer dials TCP from ip.
func netDialer(ip net.IP) *net.Dialer {
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 5 * time.Second}
}

// wsDialer is a WebSocket dialer whose connections come from ip.
func wsDialer(ip net.IP) *websocket.Dialer {
	return &websocket.Dialer{NetDialContext: netDialer(ip).DialContext, HandshakeTimeout: 5 * time.Second}
}

// dialFrom signs a Go client in from ip, or returns why it could not.
func dialFrom(ctx context.Context, url string, ip net.IP, name string, tweak func(*client.ClientConfig)) (*client.Client, error) {
	cfg := client.ClientConfig{URL: url, Name: name, Dialer: wsDialer(ip)}
	if tweak != nil {
		tweak(&cfg)
	}
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return client.Dial(dctx, cfg)
}

// mustDialFrom is dialFrom that fails the test on an error and closes the
// client when the test ends.
func mustDialFrom(t *testing.T, url string, ip net.IP, name string, tweak func(*client.ClientConfig)) *client.Client {
	t.Helper()
	c, err := dialFrom(context.Background(), url, ip, name, tweak)
	if err != nil {
		t.Fatalf("dial %s from %v: %v", name, ip, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// httpFrom is an HTTP client whose connections come from ip and are not
// reused.
func httpFrom(ip net.IP) *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: netDialer(ip).DialContext, DisableKeepAlives: true}}
}

// closeReason returns the reason a client was closed with, waiting for it
// to end; the wait only guards against a hang.
func closeReason(t *testing.T, c *client.Client) pb.CloseReason {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(15 * time.Second):
		t.Fatal("client not closed")
	}
	var ce *wire.CloseError
	if errors.As(c.Err(), &ce) {
		return ce.Reason
	}
	return pb.CloseReason_CLOSE_REASON_UNSPECIFIED
}

// metricValue reads a counter or gauge of the default registry by name and
// label values (name=value pairs), 0 when it has none yet.
func metricValue(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metrics:
		for _, m := range f.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, l := range m.GetLabel() {
					found = found || l.GetName() == labels[i] && l.GetValue() == labels[i+1]
				}
				if !found {
					continue metrics
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// metricSum adds up every series of a counter of the default registry.
func metricSum(t *testing.T, name string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range families {
		if f.GetName() == name {
			for _, m := range f.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// eventually polls cond until it holds; the deadline only guards against a
// hang, it never decides a pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// keepAlive is a raw HTTP/1.1 connection that asks one request and then
// keeps the connection open, as a browser's idle keep-alive does.
type keepAlive struct {
	conn net.Conn
}

// openKeepAlive dials addr from ip and asks GET path; answered says
// whether the server answered 200 (false: it closed the connection
// without an answer).
func openKeepAlive(t *testing.T, addr string, ip net.IP, path string) (ka *keepAlive, answered bool) {
	t.Helper()
	conn, err := netDialer(ip).Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %v: %v", ip, err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, addr); err != nil {
		return &keepAlive{conn}, false
	}
	buf := make([]byte, 4096)
	n, err := conn.Read(buf)
	if err != nil || !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 200") {
		return &keepAlive{conn}, false
	}
	return &keepAlive{conn}, true
}

// closedByServer waits for the server to close the connection; the wait
// only guards against a hang.
func (ka *keepAlive) closedByServer() bool {
	_ = ka.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := ka.conn.Read(make([]byte, 1))
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}
