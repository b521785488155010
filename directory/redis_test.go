package directory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/directory/redistest"
)

// testNode is one node's directory with the rooms it runs.
type testNode struct {
	d     Directory
	mu    sync.Mutex
	rooms map[string]Room
}

func (n *testNode) local() []Room {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]Room, 0, len(n.rooms))
	for _, r := range n.rooms {
		out = append(out, r)
	}
	return out
}

func startNode(t *testing.T, srv *redistest.Server, id string, cfg RedisConfig) *testNode {
	t.Helper()
	rdb, err := NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	return startDir(t, NewRedis(rdb, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))), id)
}

// startDir starts d as node id, closed when the test ends.
func startDir(t *testing.T, d Directory, id string) *testNode {
	t.Helper()
	n := &testNode{d: d, rooms: make(map[string]Room)}
	if err := n.d.Start(context.Background(), Node{ID: id, URL: "ws://" + id + "/ws"}, Hooks{LocalRooms: n.local}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.d.Close(context.Background()) })
	return n
}

// implementations starts the nodes of a cluster on each directory
// implementation, for the tests of the contract both keep.
var implementations = []struct {
	name  string
	start func(t *testing.T) func(id string) *testNode
}{
	{"redis", func(t *testing.T) func(string) *testNode {
		srv := redistest.Start(t)
		return func(id string) *testNode { return startNode(t, srv, id, RedisConfig{}) }
	}},
	{"memory", func(t *testing.T) func(string) *testNode {
		st := NewMemoryStore()
		return func(id string) *testNode { return startDir(t, st.Node(), id) }
	}},
}

// TestQuickPlayNeverOverfills runs concurrent quick plays on three nodes:
// every room ends at or under capacity and every placement counts.
func TestQuickPlayNeverOverfills(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			start := impl.start(t)
			testQuickPlayNeverOverfills(t, []*testNode{start("a"), start("b"), start("c")})
		})
	}
}

func testQuickPlayNeverOverfills(t *testing.T, nodes []*testNode) {
	const players, size = 150, 8
	var mu sync.Mutex
	seats := make(map[string]int)
	var wg sync.WaitGroup
	for i := range players {
		wg.Go(func() {
			n := nodes[i%len(nodes)]
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			id := fmt.Sprintf("r%03d", i)
			p, err := n.d.QuickPlay(ctx, "arena", "", Room{ID: id, Code: fmt.Sprintf("C%05d", i), MaxPlayers: size})
			if err != nil {
				t.Errorf("quick play %d: %v", i, err)
				return
			}
			mu.Lock()
			seats[p.Room.ID]++
			mu.Unlock()
		})
	}
	wg.Wait()
	total, byNode := 0, make(map[string]int)
	rooms, err := nodes[0].d.Rooms(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rooms {
		if r.Players > r.MaxPlayers || seats[r.ID] > r.MaxPlayers {
			t.Errorf("room %s has %d players (placed %d), capacity %d", r.ID, r.Players, seats[r.ID], r.MaxPlayers)
		}
		if r.Players != seats[r.ID] {
			t.Errorf("room %s counts %d players, %d were placed", r.ID, r.Players, seats[r.ID])
		}
		total += r.Players
		byNode[r.Node]++
	}
	if total != players {
		t.Errorf("rooms count %d players, want %d", total, players)
	}
	if want := (players + size - 1) / size; len(rooms) != want {
		t.Errorf("%d rooms, want %d (fill first)", len(rooms), want)
	}
	for _, id := range []string{"a", "b", "c"} {
		if byNode[id] == 0 {
			t.Errorf("node %s got no room: %v", id, byNode)
		}
	}
}

// TestReservationOnePerHolder: a holder (a session) keeps one reserved
// seat in the cluster. Reserving again, in the same room or another, takes
// out its earlier reservation, which can no longer be honoured; another
// holder's reservations are its own. (One session used to be able to fill
// any room with reservations, one JoinRoom each.)
func TestReservationOnePerHolder(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			start := impl.start(t)
			testReservationOnePerHolder(t, start("a"), start("b"))
		})
	}
}

func testReservationOnePerHolder(t *testing.T, a, b *testNode) {
	ctx := context.Background()
	for _, r := range []Room{{ID: "r1", Mode: "arena", Code: "AAAAAA", MaxPlayers: 2, Custom: true},
		{ID: "r2", Mode: "arena", Code: "BBBBBB", MaxPlayers: 2, Custom: true}} {
		if err := b.d.Register(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// Five reservations of one holder hold one of r1's two seats.
	var last Placement
	for range 5 {
		p, err := a.d.Reserve(ctx, "r1", "", "s1")
		if err != nil {
			t.Fatalf("holder s1 reserving r1 again: %v", err)
		}
		last = p
	}
	other, err := a.d.Reserve(ctx, "r1", "", "s2")
	if err != nil {
		t.Fatalf("another holder, the second seat: %v", err)
	}
	// s1 asking again for the full room gets its seat again: its own
	// earlier reservation does not count against it.
	if last, err = a.d.Reserve(ctx, "r1", "", "s1"); err != nil {
		t.Fatalf("holder s1 asking again for the full room: %v", err)
	}
	if _, err := a.d.Reserve(ctx, "r1", "", "s3"); !errors.Is(err, ErrFull) {
		t.Fatalf("a third holder: %v, want ErrFull", err)
	}
	// s1 goes for r2: its seat of r1 is free again.
	if _, err := a.d.Reserve(ctx, "r2", "", "s1"); err != nil {
		t.Fatal(err)
	}
	if err := b.d.Honour(ctx, "r1", last.Reservation); !errors.Is(err, ErrReservation) {
		t.Fatalf("s1's replaced reservation honoured: %v, want ErrReservation", err)
	}
	if _, err := a.d.Reserve(ctx, "r1", "", "s3"); err != nil {
		t.Fatalf("r1 once s1 went elsewhere: %v", err)
	}
	if err := b.d.Honour(ctx, "r1", other.Reservation); err != nil {
		t.Fatalf("s2's reservation: %v", err)
	}
}

// TestReservationHonouredOnce: a seat reserved for a client sent to another
// node is honoured there once; a second use and a wrong node are refused.
func TestReservationHonouredOnce(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			start := impl.start(t)
			testReservationHonouredOnce(t, start("a"), start("b"))
		})
	}
}

func testReservationHonouredOnce(t *testing.T, a, b *testNode) {
	ctx := context.Background()
	if err := b.d.Register(ctx, Room{ID: "r1", Mode: "arena", Code: "ABCDEF", MaxPlayers: 2, Players: 1, Custom: true, Private: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.d.Reserve(ctx, "r1", "", ""); !errors.Is(err, ErrNoRoom) {
		t.Fatalf("reserve a private room by id: %v, want ErrNoRoom", err)
	}
	p, err := a.d.Reserve(ctx, "", "abcdef", "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Room.Node != "b" || p.NodeURL != "ws://b/ws" || p.Reservation == "" {
		t.Fatalf("placement %+v", p)
	}
	if _, err := a.d.Reserve(ctx, "", "ABCDEF", ""); !errors.Is(err, ErrFull) {
		t.Fatalf("third seat of two: %v, want ErrFull", err)
	}
	if err := a.d.Honour(ctx, "r1", p.Reservation); !errors.Is(err, ErrNoRoom) {
		t.Fatalf("honoured on the wrong node: %v", err)
	}
	if err := b.d.Honour(ctx, "r1", p.Reservation); err != nil {
		t.Fatal(err)
	}
	if err := b.d.Honour(ctx, "r1", p.Reservation); !errors.Is(err, ErrReservation) {
		t.Fatalf("honoured twice: %v", err)
	}
	r, ok, err := a.d.Room(ctx, "r1")
	if err != nil || !ok || r.Players != 2 {
		t.Fatalf("room %+v %v %v, want 2 players", r, ok, err)
	}
}

// TestDeadNodeReaped: a node that stops heartbeating leaves the directory
// with its rooms within its TTL.
func TestDeadNodeReaped(t *testing.T) {
	srv := redistest.Start(t)
	cfg := quickBeats
	a := startNode(t, srv, "a", cfg)
	rdb, err := NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	b := NewRedis(rdb, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := b.Start(context.Background(), Node{ID: "b", URL: "ws://b/ws"}, Hooks{}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := b.Register(ctx, Room{ID: "rb", Mode: "arena", Code: "BBBBBB", MaxPlayers: 4, Players: 1}); err != nil {
		t.Fatal(err)
	}
	// Stop b's loops without leaving: as a killed process would.
	b.cancel()
	b.wg.Wait()
	defer b.rdb.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rooms, err := a.d.Rooms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rooms) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rooms of the dead node still listed: %+v", rooms)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := a.d.Reserve(ctx, "", "BBBBBB", ""); !errors.Is(err, ErrNoRoom) {
		t.Fatalf("code of a dead node's room: %v", err)
	}
}

// quickBeats is the directory setting of the tests that watch nodes die,
// lapse and come back: a tenth of a second between heartbeats, half a
// second to live.
var quickBeats = RedisConfig{Heartbeat: 100 * time.Millisecond, TTL: 500 * time.Millisecond}

// quietRedis returns a Redis directory on srv that logs nothing; the
// caller starts and closes it.
func quietRedis(t *testing.T, srv *redistest.Server, cfg RedisConfig) *Redis {
	t.Helper()
	rdb, err := NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	return NewRedis(rdb, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// startQuiet starts a quietRedis on srv as node id at url, or fails the
// test; the caller closes it.
func startQuiet(t *testing.T, srv *redistest.Server, cfg RedisConfig, id, url string) *Redis {
	t.Helper()
	d := quietRedis(t, srv, cfg)
	if err := d.Start(context.Background(), Node{ID: id, URL: url}, Hooks{}); err != nil {
		t.Fatalf("start %s at %s: %v", id, url, err)
	}
	return d
}

// kill stops d's loops without leaving the directory, as a killed process
// would, and closes its client.
func kill(d *Redis) {
	d.cancel()
	d.wg.Wait()
	_ = d.rdb.Close()
}

// TestNodeIDTaken: a node does not start under the id of a live node at
// another URL (their rooms, seats and redirects would mix), and does once
// that node has left.
func TestNodeIDTaken(t *testing.T) {
	ctx := context.Background()
	t.Run("redis", func(t *testing.T) {
		srv := redistest.Start(t)
		cfg := quickBeats
		live := startNode(t, srv, "n1", cfg) // at ws://n1/ws
		second := quietRedis(t, srv, cfg)
		err := second.Start(ctx, Node{ID: "n1", URL: "ws://elsewhere/ws"}, Hooks{})
		_ = second.Close(ctx)
		if !errors.Is(err, ErrNodeTaken) || !strings.Contains(err.Error(), "ws://n1/ws") {
			t.Fatalf("Start under a live node's id = %v, want ErrNodeTaken naming ws://n1/ws", err)
		}
		if err := live.d.Close(ctx); err != nil {
			t.Fatal(err)
		}
		after := startQuiet(t, srv, cfg, "n1", "ws://elsewhere/ws") // the id of a node that left
		_ = after.Close(ctx)
	})
	t.Run("memory", func(t *testing.T) {
		st := NewMemoryStore()
		startDir(t, st.Node(), "n1")
		second := st.Node()
		err := second.Start(ctx, Node{ID: "n1", URL: "ws://elsewhere/ws"}, Hooks{})
		_ = second.Close(ctx)
		if !errors.Is(err, ErrNodeTaken) {
			t.Fatalf("Start under a live node's id = %v, want ErrNodeTaken", err)
		}
	})
}

// TestNodeIDOfDeadNode: a node killed without leaving leaves its record
// behind; a node restarted at the same URL takes it over at once, and one
// at another URL once the record has lapsed.
func TestNodeIDOfDeadNode(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	cfg := quickBeats
	first := startQuiet(t, srv, cfg, "n2", "ws://n2/ws")
	kill(first)
	restarted := startQuiet(t, srv, cfg, "n2", "ws://n2/ws")
	kill(restarted)
	moved := startQuiet(t, srv, cfg, "n2", "ws://moved/ws")
	_ = moved.Close(ctx)
}

// TestNodeIDClaimDropsStaleRooms: a node killed without leaving leaves its
// rooms under its id; the node that claims the id next runs none of them
// yet, so the claim takes them out instead of letting players be sent to
// rooms nobody runs.
func TestNodeIDClaimDropsStaleRooms(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	cfg := quickBeats
	first := startQuiet(t, srv, cfg, "n3", "ws://n3/ws")
	if err := first.Register(ctx, Room{ID: "r3", Mode: "arena", Code: "CCCCCC", MaxPlayers: 4, Players: 1}); err != nil {
		t.Fatal(err)
	}
	// A placement waiting for its first player: the restarted node opens
	// it when that player comes.
	if err := first.Register(ctx, Room{ID: "p3", Mode: "arena", Code: "PPPPPP", MaxPlayers: 4, Players: 0}); err != nil {
		t.Fatal(err)
	}
	kill(first)
	restarted := startQuiet(t, srv, cfg, "n3", "ws://n3/ws")
	defer restarted.Close(ctx)
	rooms, err := restarted.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rooms) != 1 || rooms[0].ID != "p3" {
		t.Errorf("rooms after the restart: %+v, want only the waiting placement p3 (the dead process's room r3 taken out)", rooms)
	}
	if _, err := restarted.Reserve(ctx, "", "CCCCCC", ""); !errors.Is(err, ErrNoRoom) {
		t.Errorf("join code of the dead process's room: %v, want ErrNoRoom", err)
	}
}

// TestNodeIDTakenOverWhileSilent: a node silent past its TTL may find its
// id claimed by another node meanwhile; its heartbeat then leaves the
// other node's record alone and the node counts as unreachable
// (matchmaking refuses), until the other node leaves.
func TestNodeIDTakenOverWhileSilent(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	cfg := quickBeats
	// An hour between heartbeats: the node falls silent after its start,
	// as in a long pause, and the test makes its heartbeats with tick.
	silent := startQuiet(t, srv, RedisConfig{Heartbeat: time.Hour, TTL: cfg.TTL}, "n4", "ws://silent/ws")
	defer silent.Close(ctx)
	other := startQuiet(t, srv, cfg, "n4", "ws://other/ws")
	silent.tick(ctx)
	if silent.healthyNow() {
		t.Error("a node whose id was taken over counts as healthy")
	}
	if _, err := silent.QuickPlay(ctx, "arena", "", Room{ID: "q4", Mode: "arena", Code: "EEEEEE", MaxPlayers: 4}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("quick play on a node whose id was taken over = %v, want ErrUnavailable", err)
	}
	if err := silent.Register(ctx, Room{ID: "s4", Mode: "arena", Code: "FFFFFF", MaxPlayers: 4, Players: 1}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("register on a node whose id was taken over = %v, want ErrUnavailable", err)
	}
	url, err := silent.rdb.HGet(ctx, silent.key("node", "n4"), "url").Result()
	if err != nil || url != "ws://other/ws" {
		t.Errorf("record's url = %q, %v; want the other node's, ws://other/ws", url, err)
	}
	if err := other.Close(ctx); err != nil {
		t.Fatal(err)
	}
	silent.tick(ctx)
	if !silent.healthyNow() {
		t.Error("the node did not take its id back once the other node left")
	}
	url, err = silent.rdb.HGet(ctx, silent.key("node", "n4"), "url").Result()
	if err != nil || url != "ws://silent/ws" {
		t.Errorf("record's url = %q, %v; want ws://silent/ws back", url, err)
	}
}

// TestNodeCloseLeavesTakenID: a node whose id another node claimed while it
// was silent leaves that node's record and rooms alone when it closes.
func TestNodeCloseLeavesTakenID(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	cfg := quickBeats
	// An hour between heartbeats: the node falls silent after its start.
	silent := startQuiet(t, srv, RedisConfig{Heartbeat: time.Hour, TTL: cfg.TTL}, "n6", "ws://silent/ws")
	// Another node, whose view of the directory the checks below use.
	other := startNode(t, srv, "n6-other", cfg)
	taker := startQuiet(t, srv, cfg, "n6", "ws://taker/ws")
	defer taker.Close(ctx)
	if err := taker.Register(ctx, Room{ID: "r6", Mode: "arena", Code: "DDDDDD", MaxPlayers: 4, Players: 1}); err != nil {
		t.Fatal(err)
	}
	if err := silent.Close(ctx); err != nil {
		t.Fatal(err)
	}
	url, err := taker.rdb.HGet(ctx, taker.key("node", "n6"), "url").Result()
	if err != nil || url != "ws://taker/ws" {
		t.Errorf("record's url after the silent node closed = %q, %v; want ws://taker/ws", url, err)
	}
	if _, err := other.d.Reserve(ctx, "", "DDDDDD", ""); err != nil {
		t.Errorf("the taker's room after the silent node closed: %v", err)
	}
}

// TestEndSession: a session's record goes when its connection ends on the
// node that holds it, unless another node has claimed the session since;
// one ended with a seat held stays for the hold. (Records of every guest
// used to stay for the session's whole life, a day.)
func TestEndSession(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			start := impl.start(t)
			testEndSession(t, start("a"), start("b"))
		})
	}
}

func testEndSession(t *testing.T, a, b *testNode) {
	ctx := context.Background()
	if err := a.d.Register(ctx, Room{ID: "r1", Mode: "arena", Code: "AAAAAA", MaxPlayers: 4}); err != nil {
		t.Fatal(err)
	}
	seatOf := func(id string) string {
		t.Helper()
		s, err := b.d.Seat(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s.Room
	}
	// waitSeat waits for the asynchronous writes to show.
	waitSeat := func(id, want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for seatOf(id) != want {
			if time.Now().After(deadline) {
				t.Fatalf("session %s's seat %q, want %q", id, seatOf(id), want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for _, id := range []string{"gone", "held", "moved"} {
		if err := a.d.ClaimSession(ctx, id); err != nil {
			t.Fatal(err)
		}
		a.d.SetSeat(id, "r1")
		waitSeat(id, "r1")
	}
	if err := b.d.ClaimSession(ctx, "moved"); err != nil {
		t.Fatal(err)
	}
	a.d.EndSession("held", time.Hour)
	a.d.EndSession("moved", 0)
	a.d.EndSession("gone", 0)
	waitSeat("gone", "")
	if got := seatOf("held"); got != "r1" {
		t.Errorf("a session ended with its seat held: seat %q, want r1", got)
	}
	if r, ok := a.d.(*Redis); ok {
		// Kept for the hold only, not the session's whole life.
		ttl, err := r.rdb.PTTL(ctx, r.key("session", "held")).Result()
		if err != nil || ttl <= 0 || ttl > time.Hour {
			t.Errorf("a held session's record lives %v more (%v), want at most the hour asked", ttl, err)
		}
	}
	if got := seatOf("moved"); got != "r1" {
		t.Errorf("a session another node claimed, ended here: seat %q, want r1 kept", got)
	}
	a.d.EndSession("held", 0)
	waitSeat("held", "")
}

// TestEndedPhaseSticks: once a room's phase is "ended", a phase change
// written late (the lobby's notifier runs behind its rooms) leaves it
// ended, so quick play never offers the room again.
func TestEndedPhaseSticks(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			start := impl.start(t)
			a, b := start("a"), start("b")
			ctx := context.Background()
			if err := a.d.Register(ctx, Room{ID: "r1", Mode: "arena", Code: "AAAAAA", MaxPlayers: 4, Phase: "countdown"}); err != nil {
				t.Fatal(err)
			}
			a.d.SetPhase("r1", "ended")
			a.d.SetPhase("r1", "running")
			// Both writes are done once a later one shows.
			a.d.SetSeat("s1", "r1")
			deadline := time.Now().Add(5 * time.Second)
			for seat, _ := b.d.Seat(ctx, "s1"); seat.Room != "r1"; seat, _ = b.d.Seat(ctx, "s1") {
				if time.Now().After(deadline) {
					t.Fatal("the later write never showed")
				}
				time.Sleep(10 * time.Millisecond)
			}
			r, ok, err := b.d.Room(ctx, "r1")
			if err != nil || !ok {
				t.Fatalf("room r1: %v, %v", ok, err)
			}
			if r.Phase != "ended" {
				t.Errorf("a late phase change reopened an ended room: phase %q", r.Phase)
			}
		})
	}
}
