package lobby

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func timeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestPrivateRoomByCode(t *testing.T) {
	ts := startServer(t, nil)
	ctx := timeout(t, 10*time.Second)
	host := dial(t, ts.url, "host", nil)
	created, joined, err := host.CreateRoom(ctx, "arena", 2, true)
	if err != nil {
		t.Fatal(err)
	}
	code := created.GetJoinCode()
	if len(code) != JoinCodeLength || strings.ContainsAny(code, "01OIL") {
		t.Fatalf("join code %q: want %d characters without look-alikes", code, JoinCodeLength)
	}
	if !created.GetRoom().GetPrivate() || created.GetRoom().GetMaxPlayers() != 2 || created.GetRoom().GetRoomId() != joined.GetRoomId() {
		t.Fatalf("created = %v, joined = %v", created, joined)
	}
	if rooms := ts.Registry().List(""); len(rooms) != 0 {
		t.Fatalf("private room is listed: %v", rooms)
	}

	guest := dial(t, ts.url, "guest", nil)
	if _, err := guest.JoinCode(ctx, "ZZZZZZ"); !isServerError(err, pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE) {
		t.Fatalf("wrong code: %v, want UNKNOWN_CODE", err)
	}
	if _, err := guest.Join(ctx, "", joined.GetRoomId()); !isServerError(err, pb.ErrorCode_ERROR_CODE_UNKNOWN_ROOM) {
		t.Fatalf("private room by id: %v, want UNKNOWN_ROOM", err)
	}
	typed := strings.ToLower(code[:3]) + "-" + code[3:] // as a person types it
	j, err := guest.JoinCode(ctx, typed)
	if err != nil || j.GetRoomId() != joined.GetRoomId() {
		t.Fatalf("join by code %q: %v %v", typed, j, err)
	}
	third := dial(t, ts.url, "third", nil)
	if _, err := third.JoinCode(ctx, code); !isServerError(err, pb.ErrorCode_ERROR_CODE_ROOM_FULL) {
		t.Fatalf("join of a full private room: %v, want ROOM_FULL", err)
	}
	if _, _, err := third.CreateRoom(ctx, "arena", 99, false); !isServerError(err, pb.ErrorCode_ERROR_CODE_BAD_REQUEST) {
		t.Fatalf("create with 99 seats: %v, want BAD_REQUEST", err)
	}
}

func TestSessionTokens(t *testing.T) {
	secret := []byte("test-secret-0123456789abcdef")
	ts := startServer(t, func(c *Config) { c.SessionSecret = secret })
	ctx := timeout(t, 10*time.Second)

	c := dial(t, ts.url, "ada", nil)
	w := c.Welcome()
	if w.GetSessionToken() == "" || w.GetName() != "ada" || w.GetSessionExpiresUnix() <= time.Now().Unix() {
		t.Fatalf("welcome = %v: want a token for ada expiring in the future", w)
	}

	old, err := NewSigner(secret, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	old.now = func() time.Time { return time.Now().Add(-2 * time.Hour) }
	expired, _, err := old.Issue("sess-x", "ada")
	if err != nil {
		t.Fatal(err)
	}
	forged := w.GetSessionToken()[:len(w.GetSessionToken())-2] + "AA"

	tests := []struct {
		name  string
		token string
		want  pb.ErrorCode
	}{
		{"expired", expired, pb.ErrorCode_ERROR_CODE_EXPIRED_TOKEN},
		{"forged", forged, pb.ErrorCode_ERROR_CODE_INVALID_TOKEN},
		{"garbage", "not-a-token", pb.ErrorCode_ERROR_CODE_INVALID_TOKEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.Dial(ctx, client.ClientConfig{URL: ts.url, SessionToken: tt.token})
			var ce *wire.CloseError
			if !isServerError(err, tt.want) || !errors.As(err, &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_AUTH_FAILED {
				t.Fatalf("dial with %s token: %v; want %v and an auth-failed close", tt.name, err, tt.want)
			}
		})
	}

	// A token from the HTTP sign-in works on the socket and keeps its name.
	resp, err := http.Post(ts.http.URL+"/v1/session", "application/json", strings.NewReader(`{"name":"  Grace "}`))
	if err != nil {
		t.Fatal(err)
	}
	var sj SessionJSON
	err = json.NewDecoder(resp.Body).Decode(&sj)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || sj.Name != "Grace" {
		t.Fatalf("POST /v1/session: %v %v %+v", resp.Status, err, sj)
	}
	g := dial(t, ts.url, "", func(cfg *client.ClientConfig) { cfg.SessionToken = sj.SessionToken })
	if g.Welcome().GetSessionId() != sj.SessionID || g.Welcome().GetName() != "Grace" {
		t.Fatalf("welcome %v does not continue session %+v", g.Welcome(), sj)
	}
	bad, err := http.Post(ts.http.URL+"/v1/session", "application/json", strings.NewReader(`{"name":"<x>"}`))
	if err != nil {
		t.Fatal(err)
	}
	bad.Body.Close()
	if bad.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad name sign-in: %s, want 400", bad.Status)
	}
}

func TestReplacedConnection(t *testing.T) {
	ts := startServer(t, nil)
	ctx := timeout(t, 10*time.Second)
	first := dial(t, ts.url, "ada", nil)
	j1, err := first.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	second := dial(t, ts.url, "", func(c *client.ClientConfig) { c.SessionToken = first.SessionToken() })
	if !second.Welcome().GetResumed() {
		t.Fatalf("second connection's welcome %v: want resumed", second.Welcome())
	}
	select {
	case <-first.Done():
	case <-ctx.Done():
		t.Fatal("first connection not closed")
	}
	var ce *wire.CloseError
	if !errors.As(first.Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_REPLACED {
		t.Fatalf("first connection ended with %v, want REPLACED", first.Err())
	}
	j2 := waitJoined(t, second)
	if !j2.GetResumed() || j2.GetPlayerId() != j1.GetPlayerId() || j2.GetEntityId() != j1.GetEntityId() {
		t.Fatalf("second joined %v, want the seat of %v resumed", j2, j1)
	}
	waitSnapshots(t, second, 3)
}

// TestReconnectWithinGrace drops a playing client's socket; the client
// reconnects on its own and resumes the same player with a verified replica.
func TestReconnectWithinGrace(t *testing.T) {
	ts := startServer(t, nil)
	ctx := timeout(t, 20*time.Second)
	var mu sync.Mutex
	var resumed []bool
	c := dial(t, ts.url, "ada", func(cfg *client.ClientConfig) {
		cfg.Reconnect = client.ReconnectPolicy{Enabled: true, MinBackoff: 20 * time.Millisecond}
		cfg.OnReconnect = func(r bool) {
			mu.Lock()
			resumed = append(resumed, r)
			mu.Unlock()
		}
	})
	other := dial(t, ts.url, "bob", nil)
	j, err := c.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Join(ctx, "", j.GetRoomId()); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if _, err := c.SendInput(arena.Input{MoveX: arena.MoveAxisMax}.Values()...); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	waitSnapshots(t, c, 5)
	before, ok := entityOf(c, j.GetEntityId())
	if !ok {
		t.Fatal("own entity missing before the drop")
	}
	seqBefore := c.Stats().LastAppliedInputSeq
	fullBefore := c.Stats().FullSnapshots

	c.DropConnection()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(resumed)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("client did not reconnect")
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	if !resumed[0] {
		t.Fatal("reconnected without resuming the seat")
	}
	mu.Unlock()
	// OnReconnect fires on the Welcome; the resumed Joined comes after it,
	// and until then Joined still shows the seat as first joined.
	waitFor(t, "the resumed Joined", func() bool { return c.Joined().GetResumed() })
	j2 := c.Joined()
	if !j2.GetResumed() || j2.GetEntityId() != j.GetEntityId() || j2.GetPlayerId() != j.GetPlayerId() {
		t.Fatalf("after reconnect joined = %v, want the seat of %v", j2, j)
	}
	waitSnapshots(t, c, 5)
	if c.Stats().FullSnapshots <= fullBefore || c.Stats().Desyncs != 0 {
		t.Fatalf("after resume: %d full snapshots, %d desyncs", c.Stats().FullSnapshots, c.Stats().Desyncs)
	}
	after, ok := entityOf(c, j.GetEntityId())
	if !ok || after[arena.PlayerScore] != before[arena.PlayerScore] {
		t.Fatalf("own entity after resume %v (ok=%v), before %v: want the same score", after, ok, before)
	}
	if _, err := c.SendInput(arena.Input{MoveY: arena.MoveAxisMax}.Values()...); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "inputs applied after resume", func() bool { return c.Stats().LastAppliedInputSeq > seqBefore })
	// The other player's replica agrees.
	if _, ok := entityOf(other, j.GetEntityId()); !ok {
		t.Fatal("other player lost sight of the resumed entity")
	}
}

// TestSeatReleasedAfterGrace: a client that never comes back loses its seat
// when the grace runs out, and the others see its entity go.
func TestSeatReleasedAfterGrace(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.ReconnectGrace = 500 * time.Millisecond })
	ctx := timeout(t, 20*time.Second)
	gone := dial(t, ts.url, "gone", nil)
	stay := dial(t, ts.url, "stay", nil)
	j, err := gone.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stay.Join(ctx, "", j.GetRoomId()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "stay sees gone's entity", func() bool { _, ok := entityOf(stay, j.GetEntityId()); return ok })
	gone.DropConnection()
	// Held: the seat still counts right after the drop.
	if n := playersIn(ts, j.GetRoomId()); n != 2 {
		t.Fatalf("room shows %d players right after the drop, want 2 (one held)", n)
	}
	waitFor(t, "seat released after the grace", func() bool { return playersIn(ts, j.GetRoomId()) == 1 })
	waitFor(t, "entity removed for the others", func() bool { _, ok := entityOf(stay, j.GetEntityId()); return !ok })
	// A late reconnect gets a new session seat-less: no resume.
	late := dial(t, ts.url, "", func(c *client.ClientConfig) { c.SessionToken = gone.SessionToken() })
	if late.Welcome().GetResumed() {
		t.Fatal("resumed after the grace ran out")
	}
}

func TestRoomListingAndUpdates(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.Rooms.EmptyTimeout = 300 * time.Millisecond })
	ctx := timeout(t, 20*time.Second)
	watcher := dial(t, ts.url, "watcher", nil)
	updates := make(chan *pb.RoomUpdate, 64)
	initial, err := watcher.SubscribeRooms("arena", func(u *pb.RoomUpdate) { updates <- u })
	if err != nil {
		t.Fatal(err)
	}
	if len(initial) != 0 {
		t.Fatalf("initial list %v, want empty", initial)
	}
	p := dial(t, ts.url, "p", nil)
	j, err := p.Join(ctx, "arena", "")
	if err != nil {
		t.Fatal(err)
	}
	expectUpdate(t, updates, pb.RoomUpdate_KIND_CREATED, j.GetRoomId(), func(r *pb.RoomInfo) bool { return r.GetMaxPlayers() == 16 })
	expectUpdate(t, updates, pb.RoomUpdate_KIND_CHANGED, j.GetRoomId(), func(r *pb.RoomInfo) bool { return r.GetPlayers() == 1 })

	rooms, err := watcher.ListRooms(ctx, "")
	if err != nil || len(rooms) != 1 || rooms[0].GetRoomId() != j.GetRoomId() {
		t.Fatalf("ListRooms = %v, %v", rooms, err)
	}
	var body RoomsJSON
	resp, err := http.Get(ts.http.URL + "/v1/rooms?mode=arena")
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || len(body.Rooms) != 1 || body.Rooms[0].ID != j.GetRoomId() || body.Rooms[0].Players != 1 || body.Rooms[0].MaxPlayers != 16 || body.Rooms[0].Mode != "arena" {
		t.Fatalf("GET /v1/rooms = %+v, %v", body, err)
	}

	if err := p.Leave(); err != nil {
		t.Fatal(err)
	}
	expectUpdate(t, updates, pb.RoomUpdate_KIND_CHANGED, j.GetRoomId(), func(r *pb.RoomInfo) bool { return r.GetPlayers() == 0 })
	// Empty for longer than EmptyTimeout: the room is disposed.
	expectUpdate(t, updates, pb.RoomUpdate_KIND_CLOSED, j.GetRoomId(), nil)
	if rooms := ts.Registry().List(""); len(rooms) != 0 {
		t.Fatalf("disposed room still listed: %v", rooms)
	}
}

func TestLifecycleCountdown(t *testing.T) {
	ts := startServerModes(t, nil, arenaModes(func(s *game.Settings) {
		s.MinPlayers = 2
		s.Countdown = 200 * time.Millisecond
	}))
	ctx := timeout(t, 10*time.Second)
	phases := make(chan pb.RoomPhase, 16)
	a := dial(t, ts.url, "a", func(cfg *client.ClientConfig) {
		cfg.OnMessage = func(m *pb.ServerMessage) {
			if s := m.GetRoomState(); s != nil {
				phases <- s.GetPhase()
			}
		}
	})
	j, err := a.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if j.GetPhase() != pb.RoomPhase_ROOM_PHASE_WAITING {
		t.Fatalf("first player joined in %v, want WAITING", j.GetPhase())
	}
	b := dial(t, ts.url, "b", nil)
	if _, err := b.Join(ctx, "", j.GetRoomId()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []pb.RoomPhase{pb.RoomPhase_ROOM_PHASE_COUNTDOWN, pb.RoomPhase_ROOM_PHASE_RUNNING} {
		select {
		case got := <-phases:
			if got != want {
				t.Fatalf("phase %v, want %v", got, want)
			}
		case <-ctx.Done():
			t.Fatalf("no %v", want)
		}
	}
	waitFor(t, "listing shows running", func() bool {
		rooms := ts.Registry().List("")
		return len(rooms) == 1 && rooms[0].GetPhase() == pb.RoomPhase_ROOM_PHASE_RUNNING
	})
}

func expectUpdate(t *testing.T, ch <-chan *pb.RoomUpdate, kind pb.RoomUpdate_Kind, room string, ok func(*pb.RoomInfo) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case u := <-ch:
			if u.GetKind() == kind && u.GetRoom().GetRoomId() == room && (ok == nil || ok(u.GetRoom())) {
				return
			}
		case <-deadline:
			t.Fatalf("no %v update for room %s", kind, room)
		}
	}
}

func waitJoined(t *testing.T, c *client.Client) *pb.Joined {
	t.Helper()
	waitFor(t, "joined", func() bool { return c.Joined() != nil })
	return c.Joined()
}

func waitSnapshots(t *testing.T, c *client.Client, n uint64) {
	t.Helper()
	start := c.Stats().Snapshots
	waitFor(t, "snapshots", func() bool { return c.Stats().Snapshots >= start+n })
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// entityOf returns the fields of entity id in the client's newest state,
// and whether the state holds it.
func entityOf(c *client.Client, id uint32) ([]int32, bool) {
	_, rows := c.State()
	i, ok := rows.Find(id)
	if !ok {
		return nil, false
	}
	return rows.Fields(i), true
}

func playersIn(ts *testServer, roomID string) uint32 {
	for _, r := range ts.Registry().List("") {
		if r.GetRoomId() == roomID {
			return r.GetPlayers()
		}
	}
	return 0
}

// TestNormalCloseReleasesSeat: a client that says goodbye (close 1000)
// gives its seat up at once instead of having it held for the grace.
func TestNormalCloseReleasesSeat(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.ReconnectGrace = time.Hour })
	ctx := timeout(t, 10*time.Second)
	stay := dial(t, ts.url, "stay", nil)
	j, err := stay.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	leaver := dial(t, ts.url, "leaver", nil)
	if _, err := leaver.Join(ctx, "", j.GetRoomId()); err != nil {
		t.Fatal(err)
	}
	if err := leaver.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the leaver's seat released", func() bool { return playersIn(ts, j.GetRoomId()) == 1 })
}
