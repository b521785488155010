package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tickwire/tickwire/directory/redistest"
	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// buildOnce builds this command once per test binary, for the tests that
// run nodes as processes of their own.
var buildOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tickwire-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "tickwire")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// clusterNode is a tickwire process that is one node of a test cluster.
type clusterNode struct {
	id   string
	addr string
	cmd  *exec.Cmd
	done chan struct{}
}

func (n *clusterNode) url() string { return "ws://" + n.addr + "/ws" }

// startClusterNode starts node id as a process on a free loopback port.
func startClusterNode(t *testing.T, bin, id, redisURL string) *clusterNode {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	n := &clusterNode{id: id, addr: addr, done: make(chan struct{})}
	n.cmd = exec.Command(bin, clusterNodeArgs(id, addr, redisURL)...)
	n.cmd.Stderr = os.Stderr
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = n.cmd.Wait(); close(n.done) }()
	t.Cleanup(func() {
		_ = n.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-n.done:
		case <-time.After(10 * time.Second):
			_ = n.cmd.Process.Kill()
			<-n.done
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return n
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s does not answer /healthz: %v", id, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// clusterNodeArgs are the flags of node id of a test cluster on addr.
func clusterNodeArgs(id, addr, redisURL string) []string {
	return []string{"-addr", addr, "-admin-addr", "", "-node-id", id,
		"-directory", redisURL, "-session-secret", "a-secret-shared-by-every-node",
		"-directory-heartbeat", "200ms", "-directory-ttl", "1s",
		"-arena.room-size", "4", "-arena.tick-hz", "30", "-arena.snapshot-hz", "10",
		"-max-conns-per-addr", "0", "-conn-rate-per-addr", "0", "-signin-rate-per-addr", "0", "-signin-rate", "0",
		"-join-rate-per-addr", "0", "-join-miss-rate-per-addr", "0",
		"-list-rate-per-addr", "0", "-list-rate-per-session", "0", "-list-rate", "0", "-log-level", "warn"}
}

// TestClusterDoubleStart starts a running node a second time with the same
// flags: the second process fails at its port in use, before it claims the
// node's id, so the running node keeps placing players. (It used to claim
// the id first: the running node then found it taken and refused quick
// play until the failed process's record lapsed.)
func TestClusterDoubleStart(t *testing.T) {
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	srv := redistest.Start(t)
	n := startClusterNode(t, bin, "n0", srv.URL())

	second := exec.Command(bin, clusterNodeArgs(n.id, n.addr, srv.URL())...)
	out, err := second.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "listen") {
		t.Fatalf("second start: %v, want exit status 1 for the port in use; output:\n%s", err, out)
	}
	// Three heartbeats: a node whose id was taken over has noticed by now.
	time.Sleep(600 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, client.ClientConfig{URL: n.url(), Name: "after"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Join(ctx, "", ""); err != nil {
		t.Fatalf("quick play on the running node after the failed start: %v", err)
	}
}

// listRooms returns GET /v1/rooms of a node.
func listRooms(t *testing.T, n *clusterNode) []lobby.RoomJSON {
	t.Helper()
	resp, err := http.Get("http://" + n.addr + "/v1/rooms?limit=100")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out lobby.RoomsJSON
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Rooms
}

// TestClusterNodeKilled runs three nodes as processes on one Redis and
// SIGKILLs one: its rooms leave every live node's listing within the
// directory's TTL, its players come back to the lobby with a clear reason,
// and new players go to the live nodes.
func TestClusterNodeKilled(t *testing.T) {
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	srv := redistest.Start(t)
	nodes := []*clusterNode{
		startClusterNode(t, bin, "n0", srv.URL()),
		startClusterNode(t, bin, "n1", srv.URL()),
		startClusterNode(t, bin, "n2", srv.URL()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	type player struct {
		c    *client.Client
		mu   sync.Mutex
		left []*pb.Left
	}
	join := func(i int) *player {
		p := &player{}
		cfg := client.ClientConfig{URL: nodes[0].url(), Name: fmt.Sprintf("p%d", i), PingInterval: 200 * time.Millisecond,
			Reconnect: client.ReconnectPolicy{Enabled: true, MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, GiveUpAfter: 20 * time.Second},
			OnMessage: func(m *pb.ServerMessage) {
				if l := m.GetLeft(); l != nil {
					p.mu.Lock()
					p.left = append(p.left, l)
					p.mu.Unlock()
				}
			}}
		c, err := client.Dial(ctx, cfg)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		t.Cleanup(func() { _ = c.Close() })
		p.c = c
		if _, err := c.Join(ctx, "", ""); err != nil {
			t.Fatalf("join %d: %v", i, err)
		}
		return p
	}
	// Twelve players in rooms of four: one room on each node, the
	// least-loaded node getting each new room.
	var players []*player
	for i := range 12 {
		players = append(players, join(i))
	}
	nodeOf := make(map[string]string)
	for _, r := range listRooms(t, nodes[0]) {
		nodeOf[r.ID] = r.Node
	}
	var doomed []*player
	for _, p := range players {
		if nodeOf[p.c.Joined().GetRoomId()] == "n2" {
			doomed = append(doomed, p)
		}
	}
	if len(doomed) == 0 {
		t.Fatalf("no player on n2: rooms %v", nodeOf)
	}

	if err := nodes[2].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	<-nodes[2].done
	for _, n := range nodes[:2] {
		for {
			gone := true
			for _, r := range listRooms(t, n) {
				if r.Node == "n2" {
					gone = false
				}
			}
			if gone {
				break
			}
			// The TTL (1 s), then the listing's cache (250 ms); a
			// loaded machine gets a second more.
			if time.Since(killed) > 2250*time.Millisecond {
				t.Fatalf("node %s still lists n2's rooms %v after SIGKILL", n.id, time.Since(killed))
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("%s stopped listing n2's rooms %v after the kill", n.id, time.Since(killed).Round(time.Millisecond))
	}
	// The dead node's players redial n0, learn their room is gone and are
	// back in the lobby, connected.
	for i, p := range doomed {
		deadline := time.Now().Add(15 * time.Second)
		for {
			p.mu.Lock()
			var reason pb.CloseReason
			if len(p.left) > 0 {
				reason = p.left[len(p.left)-1].GetReason()
			}
			p.mu.Unlock()
			if reason == pb.CloseReason_CLOSE_REASON_ROOM_CLOSED && p.c.Joined() == nil && !p.c.Reconnecting() {
				break
			}
			if time.Now().After(deadline) || p.c.Err() != nil {
				t.Fatalf("player %d of n2: left %v, joined %v, err %v", i, p.left, p.c.Joined(), p.c.Err())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// New players (and the dead node's, playing again) go to live nodes.
	for i, p := range doomed {
		if _, err := p.c.Join(ctx, "", ""); err != nil {
			t.Fatalf("player %d of n2 joins again: %v", i, err)
		}
	}
	for i := range 8 {
		players = append(players, join(100+i))
	}
	// Every room is listed once the listing's cache (250 ms) caught up.
	live := make(map[string]string)
	for deadline := time.Now().Add(5 * time.Second); ; {
		for _, r := range listRooms(t, nodes[1]) {
			live[r.ID] = r.Node
		}
		missing := false
		for _, p := range players {
			if _, ok := live[p.c.Joined().GetRoomId()]; !ok {
				missing = true
			}
		}
		if !missing || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for i, p := range players {
		if n := live[p.c.Joined().GetRoomId()]; n != "n0" && n != "n1" {
			t.Errorf("player %d is in room %s on node %q", i, p.c.Joined().GetRoomId(), n)
		}
		if st := p.c.Stats(); st.Desyncs != 0 {
			t.Errorf("player %d: %d desyncs", i, st.Desyncs)
		}
	}
}
