package lobby

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestClusterQuickPlay: 300 concurrent quick plays spread over three
// nodes sharing one Redis. Every room stays within its capacity, every
// player plays on the node that runs its room and gets its snapshots
// from there, with no desync.
func TestClusterQuickPlay(t *testing.T) {
	_, nodes := startCluster(t, 3)
	const players = 300
	clients := make([]*client.Client, players)
	var wg sync.WaitGroup
	errs := make(chan error, players)
	for i := range players {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := client.Dial(ctx, client.ClientConfig{URL: nodes[i%3].url, Name: fmt.Sprintf("p%d", i), PingInterval: -1})
			if err != nil {
				errs <- fmt.Errorf("dial %d: %w", i, err)
				return
			}
			clients[i] = c
			if _, err := c.Join(ctx, "", ""); err != nil {
				errs <- fmt.Errorf("join %d: %w", i, err)
			}
		})
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, c := range clients {
			if c != nil {
				_ = c.Close()
			}
		}
	})
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	perRoom := make(map[string]int)
	remote := 0
	for i, c := range clients {
		j := c.Joined()
		if j == nil {
			t.Fatalf("player %d has no seat", i)
		}
		perRoom[j.RoomId]++
		n := nodeOfRoom(nodes, j.RoomId)
		if n < 0 {
			t.Fatalf("player %d's room %s runs on no node", i, j.RoomId)
		}
		if n != i%3 {
			remote++
		}
		// The room sends Joined before the session stores its seat.
		eventually(t, fmt.Sprintf("player %d connected to node %d, which runs its room %s", i, n, j.RoomId), func() bool {
			return seatedOn(nodes[n], c.Welcome().SessionId, j.RoomId)
		})
	}
	for id, n := range perRoom {
		if n > 16 {
			t.Errorf("room %s has %d players, capacity 16", id, n)
		}
	}
	byNode := make([]int, 3)
	for id := range perRoom {
		byNode[nodeOfRoom(nodes, id)]++
	}
	t.Logf("%d players in %d rooms, by node %v; %d played on another node than they dialed", players, len(perRoom), byNode, remote)
	for i, n := range byNode {
		if n == 0 {
			t.Errorf("node %d runs no room: %v", i, byNode)
		}
	}
	if remote == 0 {
		t.Error("no player was redirected")
	}
	// Every player gets snapshots (from its room's node: its only
	// connection) and verifies their checksums.
	for i, c := range clients {
		eventually(t, fmt.Sprintf("snapshots of player %d", i), func() bool { return c.Stats().Snapshots >= 3 })
	}
	for i, c := range clients {
		if st := c.Stats(); st.Desyncs != 0 || st.DecodeErrors != 0 {
			t.Errorf("player %d: %d desyncs, %d decode errors", i, st.Desyncs, st.DecodeErrors)
		}
	}
	// The cluster-wide listing from any node counts every player. (A node
	// whose directory is slower than a second to answer lists its own
	// rooms: a loaded machine gets another try.)
	for n, node := range nodes {
		cl := dial(t, node.url, "lister", nil)
		var rooms, total int
		eventually(t, fmt.Sprintf("node %d lists every room", n), func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			list, err := cl.ListRoomsPage(ctx, "", "", 100)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			rooms, total = len(list.GetRooms()), 0
			for _, r := range list.GetRooms() {
				total += int(r.GetPlayers())
				if r.GetPlayers() > r.GetMaxPlayers() {
					t.Errorf("node %d lists room %s with %d of %d players", n, r.GetRoomId(), r.GetPlayers(), r.GetMaxPlayers())
				}
			}
			return rooms == len(perRoom) && total == players
		})
	}
}

// TestClusterJoinByCodeAndResume: a private room made on node a is joined
// by its code from node b; the player from b drops its connection and
// resumes its seat through b, which sends it back to a.
func TestClusterJoinByCodeAndResume(t *testing.T) {
	_, nodes := startCluster(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	host := dial(t, nodes[0].url, "host", nil)
	created, _, err := host.CreateRoom(ctx, "", 4, true)
	if err != nil {
		t.Fatal(err)
	}
	guest := dial(t, nodes[1].url, "guest", func(c *client.ClientConfig) {
		c.Reconnect = client.ReconnectPolicy{Enabled: true, MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, GiveUpAfter: 10 * time.Second}
	})
	j, err := guest.JoinCode(ctx, created.GetJoinCode())
	if err != nil {
		t.Fatal(err)
	}
	room := created.GetRoom().GetRoomId()
	if j.GetRoomId() != room || guest.Stats().Redirects != 1 {
		t.Fatalf("joined %s with %d redirects, want room %s after one", j.GetRoomId(), guest.Stats().Redirects, room)
	}
	sid := guest.Welcome().GetSessionId()
	eventually(t, "the guest seated on node a", func() bool { return seatedOn(nodes[0], sid, room) })
	eventually(t, "snapshots", func() bool { return guest.Stats().Snapshots >= 3 })

	guest.DropConnection() // redials node b, its URL
	eventually(t, "the guest resumed on node a", func() bool {
		return guest.Stats().Reconnects == 1 && guest.Welcome().GetResumed() && seatedOn(nodes[0], sid, room)
	})
	before := guest.Stats().Snapshots
	eventually(t, "snapshots after the resume", func() bool { return guest.Stats().Snapshots >= before+3 })
	if guest.Joined().GetRoomId() != room {
		t.Fatalf("resumed into %q, want %s", guest.Joined().GetRoomId(), room)
	}
	if st := guest.Stats(); st.Desyncs != 0 || st.Redirects != 2 {
		t.Errorf("%d desyncs, %d redirects (want 0 and 2)", st.Desyncs, st.Redirects)
	}
	// The host's session is unaffected; one live connection per session.
	if host.Err() != nil {
		t.Fatalf("host ended: %v", host.Err())
	}
}

// TestClusterRedisDown: with Redis gone, rooms keep ticking at their
// snapshot rate and matchmaking answers MATCHMAKING_UNAVAILABLE; when it
// comes back (empty), the nodes register their rooms again by themselves
// and matchmaking works.
func TestClusterRedisDown(t *testing.T) {
	srv, nodes := startCluster(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	player := dial(t, nodes[0].url, "player", nil)
	j, err := player.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	// rate measures the room's ticks (asked of the room itself) and the
	// player's snapshots per second, over three seconds.
	live, ok := nodes[0].Room(j.GetRoomId())
	if !ok {
		t.Fatalf("room %s is not on node a", j.GetRoomId())
	}
	roomTick := func() uint32 {
		d, err := live.Room.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return d.Tick
	}
	rate := func() (ticks, snaps float64) {
		tick0, s0, t0 := roomTick(), player.Stats().Snapshots, time.Now()
		time.Sleep(3 * time.Second)
		tick1, s1 := roomTick(), player.Stats().Snapshots
		secs := time.Since(t0).Seconds()
		return float64(tick1-tick0) / secs, float64(s1-s0) / secs
	}
	upTicks, upSnaps := rate()

	srv.Stop()
	other := dial(t, nodes[1].url, "other", nil)
	eventually(t, "matchmaking refused", func() bool {
		qctx, qcancel := context.WithTimeout(ctx, 5*time.Second)
		defer qcancel()
		_, err := other.Join(qctx, "", "")
		var se *client.ServerError
		return errors.As(err, &se) && se.Code == pb.ErrorCode_ERROR_CODE_MATCHMAKING_UNAVAILABLE
	})
	downTicks, downSnaps := rate()
	// 10 Hz ticks, 5 Hz snapshots: three seconds hold about 30 ticks and
	// 15 snapshots either way. A loaded machine may make the player's
	// client skip a few snapshots (latest wins), not the room's ticks.
	if downTicks < upTicks*0.8 || downSnaps < upSnaps*0.6 {
		t.Errorf("with Redis down %.1f ticks/s and %.1f snapshots/s; before %.1f and %.1f", downTicks, downSnaps, upTicks, upSnaps)
	}
	t.Logf("ticks/s %.1f before, %.1f with Redis down; snapshots/s %.1f, %.1f", upTicks, downTicks, upSnaps, downSnaps)
	if player.Err() != nil || player.Stats().Desyncs != 0 {
		t.Fatalf("player: %v, %d desyncs", player.Err(), player.Stats().Desyncs)
	}

	srv.Restart()
	eventually(t, "matchmaking back", func() bool {
		qctx, qcancel := context.WithTimeout(ctx, 5*time.Second)
		defer qcancel()
		_, err := other.Join(qctx, "", "")
		return err == nil
	})
	// The room of before is in the directory again, with both players
	// when other was placed there.
	eventually(t, "the room registered again", func() bool {
		rooms, err := nodes[1].registry.cluster.dir.Rooms(ctx)
		if err != nil {
			return false
		}
		for _, r := range rooms {
			if r.ID == j.GetRoomId() {
				return true
			}
		}
		return false
	})
}
