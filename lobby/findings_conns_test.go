package lobby

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestFinding1IdleKeepAliveConnections reproduces finding 1 of the
// hardening review: idle HTTP keep-alive connections on the public port
// never timed out and did not count toward -max-conns, so a thousand of
// them took every file descriptor, players could not connect and /healthz
// stopped answering. Every TCP connection now counts, per client address
// and in all; one address is refused past its share at once; a full port
// still answers /healthz from a reserve; and idle keep-alive connections
// are closed after the idle timeout, which lets players in again.
func TestFinding1IdleKeepAliveConnections(t *testing.T) {
	const perAddr, max = 8, 20
	fd := startFrontDoor(t, func(c *Config) {
		c.MaxConnections = max
		c.Limits.ConnsPerAddr = perAddr
		c.Limits.ConnReserve = 2
		c.HTTP.IdleTimeout = 300 * time.Millisecond
	}, nil)
	addrRefused := metricValue(t, "tickwire_connections_refused_total", "reason", "tcp_addr_limit")

	// One address opens 12 keep-alive connections: 8 are served, the
	// rest closed at once.
	var idle []*keepAlive
	for i := range 12 {
		ka, answered := openKeepAlive(t, fd.addr, loopback(1), "/healthz")
		if answered != (i < perAddr) {
			t.Fatalf("keep-alive connection %d from one address: answered %t, want %t", i, answered, i < perAddr)
		}
		if answered {
			idle = append(idle, ka)
		}
	}
	if d := metricValue(t, "tickwire_connections_refused_total", "reason", "tcp_addr_limit") - addrRefused; d != 4 {
		t.Errorf("%v connections counted over the address's budget, want 4", d)
	}
	// Two more addresses fill the port: 8 + 8 + 4 = 20.
	for i := range 12 {
		ka, answered := openKeepAlive(t, fd.addr, loopback(2+i/perAddr), "/healthz")
		if !answered {
			t.Fatalf("keep-alive connection %d filling the port was not answered", i)
		}
		idle = append(idle, ka)
	}

	// The port is full: a health check is answered from the reserve, a
	// player is not.
	hc := httpFrom(loopback(10))
	resp, err := hc.Get("http://" + fd.addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz on a full port: %v %v, want 200", resp, err)
	}
	resp.Body.Close()
	if _, err := dialFrom(context.Background(), fd.url, loopback(11), "early", nil); err == nil {
		t.Fatal("a player connected to a full port")
	}

	// Idle keep-alive connections end after the idle timeout, and the
	// player gets in.
	for i, ka := range idle {
		if !ka.closedByServer() {
			t.Fatalf("idle keep-alive connection %d was not closed", i)
		}
	}
	c := mustDialFrom(t, fd.url, loopback(11), "player", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Join(ctx, "", ""); err != nil {
		t.Fatalf("join after the idle connections closed: %v", err)
	}
}

// TestFinding5LobbyOnlyConnections reproduces finding 5: a signed-in
// connection that never joined a room and answered pings was kept forever,
// with no limit per address, so 200 of them filled -max-conns and honest
// players got HTTP 503. One address now has a budget of connections, and
// a connection that holds no seat for the lobby idle timeout is closed
// with IDLE_TIMEOUT however busy it keeps itself with listings; a seated
// player is not, until its seat ends.
func TestFinding5LobbyOnlyConnections(t *testing.T) {
	const perAddr, idleAfter = 4, 400 * time.Millisecond
	fd := startFrontDoor(t, func(c *Config) {
		c.MaxConnections = 8
		c.Limits.ConnsPerAddr = perAddr
		c.Limits.LobbyIdleTimeout = idleAfter
	}, nil)
	idleClosed := metricValue(t, "tickwire_lobby_idle_closed_total")

	// The lurker's address gets four connections, not six.
	var lurkers []*client.Client
	for i := range 6 {
		c, err := dialFrom(context.Background(), fd.url, loopback(1), "lurker", nil)
		if (err == nil) != (i < perAddr) {
			t.Fatalf("lurker %d: dial error %v, want success for the first %d only", i, err, perAddr)
		}
		if err == nil {
			t.Cleanup(func() { _ = c.Close() })
			lurkers = append(lurkers, c)
		}
	}
	// A player of another address joins meanwhile, and stays seated past
	// the timeout.
	player := mustDialFrom(t, fd.url, loopback(2), "player", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := player.Join(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	// The lurkers keep listing rooms; it does not keep them.
	listing, stop := context.WithCancel(context.Background())
	defer stop()
	for _, l := range lurkers {
		go func() {
			for listing.Err() == nil {
				lctx, cancel := context.WithTimeout(listing, time.Second)
				_, _ = l.ListRooms(lctx, "")
				cancel()
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	for i, l := range lurkers {
		if r := closeReason(t, l); r != pb.CloseReason_CLOSE_REASON_IDLE_TIMEOUT {
			t.Errorf("lurker %d closed with %v, want IDLE_TIMEOUT", i, r)
		}
	}
	stop()
	if d := metricValue(t, "tickwire_lobby_idle_closed_total") - idleClosed; d < perAddr {
		t.Errorf("%v lobby idle closes counted, want at least %d", d, perAddr)
	}
	time.Sleep(idleAfter) // well past the lurkers' end: the player was seated all along
	select {
	case <-player.Done():
		t.Fatalf("the seated player was closed: %v", player.Err())
	default:
	}
	// Once it leaves its seat, its clock starts.
	if err := player.Leave(); err != nil {
		t.Fatal(err)
	}
	if r := closeReason(t, player); r != pb.CloseReason_CLOSE_REASON_IDLE_TIMEOUT {
		t.Errorf("the player back in the lobby closed with %v, want IDLE_TIMEOUT", r)
	}
}

// discard reads and drops a body.
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// TestConnectionRatePerAddr: an address may open only so many connections
// in a while, so that one cut off for flooding (pings, inputs) cannot come
// straight back, again and again; past the rate a connection is closed at
// once and counted, and other addresses are not held back.
func TestConnectionRatePerAddr(t *testing.T) {
	fd := startFrontDoor(t, func(c *Config) { c.Limits.ConnRatePerAddr = Rate{N: 5, Per: time.Minute} }, nil)
	refused := metricValue(t, "tickwire_connections_refused_total", "reason", "tcp_addr_rate")
	for i := range 7 {
		_, answered := openKeepAlive(t, fd.addr, loopback(1), "/healthz")
		if answered != (i < 5) {
			t.Fatalf("connection %d of the address: answered %t, want %t", i, answered, i < 5)
		}
	}
	if d := metricValue(t, "tickwire_connections_refused_total", "reason", "tcp_addr_rate") - refused; d != 2 {
		t.Errorf("%v connections counted over the address's rate, want 2", d)
	}
	if _, answered := openKeepAlive(t, fd.addr, loopback(2), "/healthz"); !answered {
		t.Error("another address was refused")
	}
}
