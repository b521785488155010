package lobby

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tickwire/tickwire/directory"
	"github.com/tickwire/tickwire/directory/redistest"
	"github.com/tickwire/tickwire/game"
)

// clusterSecret is the session secret every node of a test cluster shares.
var clusterSecret = []byte("a-secret-shared-by-every-node-of-the-cluster")

// clusterDirConfig makes nodes notice a returning store quickly; its TTL
// is long enough that a node starved by a loaded machine running every
// package's race tests at once is not taken for dead.
var clusterDirConfig = directory.RedisConfig{Heartbeat: 250 * time.Millisecond, TTL: 3 * time.Second}

// clusterModes is the arena at low rates, so that hundreds of players in
// one process under the race detector leave time to spare to the tests of
// other packages running beside them.
func clusterModes() game.Modes {
	return arenaModes(func(s *game.Settings) { s.TickHz, s.SnapshotHz = 10, 5 })
}

// startNode starts a lobby server that is node id of the cluster on srv.
func startNode(t *testing.T, srv *redistest.Server, id string, tweak func(*Config)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "ws://" + ln.Addr().String() + "/ws"
	rdb, err := directory.NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := DefaultConfig()
	cfg.Limits = Limits{}
	// Hundreds of clients dialing at once on a loaded machine may take
	// longer than the default 5 s to be read.
	cfg.HelloTimeout = 30 * time.Second
	cfg.SessionSecret = clusterSecret
	cfg.Cluster = ClusterConfig{Directory: directory.NewRedis(rdb, clusterDirConfig, log), NodeID: id, PublicURL: url}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := NewServer(cfg, clusterModes(), log)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(s.Handler())
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	ts := &testServer{Server: s, http: hs, url: url}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("shutdown %s: %v", id, err)
		}
		hs.Close()
	})
	return ts
}

// startCluster starts redis-server and n nodes on it.
func startCluster(t *testing.T, n int) (*redistest.Server, []*testServer) {
	t.Helper()
	srv := redistest.Start(t)
	nodes := make([]*testServer, n)
	for i := range nodes {
		nodes[i] = startNode(t, srv, string(rune('a'+i)), nil)
	}
	return srv, nodes
}

// nodeOfRoom returns the index of the node that runs room id, or -1.
func nodeOfRoom(nodes []*testServer, id string) int {
	for i, n := range nodes {
		if _, ok := n.Room(id); ok {
			return i
		}
	}
	return -1
}

// seatedOn reports whether node n holds session id's live connection,
// seated in room.
func seatedOn(n *testServer, sessionID, room string) bool {
	n.mu.Lock()
	sess := n.sessions[sessionID]
	n.mu.Unlock()
	if sess == nil {
		return false
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	return sess.entry != nil && sess.entry.room.ID() == room
}
