package lobby

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// slowArena keeps many rooms cheap under the race detector: seating is
// what these tests are about, not the simulation.
func slowArena(size int) func(*game.Settings) {
	return func(s *game.Settings) { s.TickHz, s.SnapshotHz, s.MaxPlayers = 10, 5, size }
}

// quickPlay seats n players of distinct addresses (from loopback(first))
// by quick play and returns their room ids; every join must succeed.
func quickPlay(t *testing.T, url string, first, n int) []string {
	t.Helper()
	rooms, err := tryQuickPlay(t, url, first, n, true)
	if err != nil {
		t.Fatal(err)
	}
	return rooms
}

// tryQuickPlay is quickPlay returning the failed joins as an error, for a
// goroutine other than the test's; the players stay until the test ends
// when keep is set, and leave once seated otherwise.
func tryQuickPlay(t *testing.T, url string, first, n int, keep bool) ([]string, error) {
	rooms := make([]string, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dialFrom(context.Background(), url, loopback(first+i), fmt.Sprintf("honest%d", i), func(c *client.ClientConfig) { c.PingInterval = -1 })
			if err != nil {
				errs <- fmt.Errorf("honest %d: %w", i, err)
				return
			}
			if keep {
				t.Cleanup(func() { _ = c.Close() })
			} else {
				defer c.Close()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			j, err := c.Join(ctx, "", "")
			if err != nil {
				errs <- fmt.Errorf("honest %d: quick play: %w", i, err)
				return
			}
			rooms[i] = j.GetRoomId()
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return rooms, errors.Join(all...)
}

// createAndGo signs a guest in from the loopback address n, creates a room
// of maxPlayers seats and says goodbye (its room is then empty); it
// reports whether the server made the room.
func createAndGo(t *testing.T, url string, n, maxPlayers int) bool {
	t.Helper()
	c, err := dialFrom(context.Background(), url, loopback(n), "maker", func(c *client.ClientConfig) { c.PingInterval = -1 })
	if err != nil {
		t.Fatalf("dial from %v: %v", loopback(n), err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err = c.CreateRoom(ctx, "", maxPlayers, false)
	if err != nil && !isServerError(err, pb.ErrorCode_ERROR_CODE_TOO_MANY_ROOMS) {
		t.Fatalf("create room from %v: %v", loopback(n), err)
	}
	return err == nil
}

// TestFinding2RoomExhaustion reproduces finding 2 of the hardening review:
// the CreateRoom limit was per connection, so one client that reconnected
// between requests filled -max-rooms in under half a second, honest quick
// play got TOO_MANY_ROOMS, and the empty rooms kept a core busy. CreateRoom
// now has a budget per client address and per session, rooms made by
// CreateRoom may take three quarters of -max-rooms at most, and an empty
// created room closes after -empty-timeout; quick play from other
// addresses still finds room.
func TestFinding2RoomExhaustion(t *testing.T) {
	const maxRooms = 20 // custom rooms: at most 15
	fd := startFrontDoor(t, func(c *Config) {
		c.Rooms.MaxRooms = maxRooms
		c.Rooms.EmptyTimeout = time.Second
		c.Limits.SignInsPerAddr = Rate{}
	}, slowArena(16))
	addrRefused := metricValue(t, "tickwire_requests_refused_total", "reason", "create_addr")
	sessionRefused := metricValue(t, "tickwire_requests_refused_total", "reason", "create_session")

	// One address, a new session for every room: 10 rooms, not 30.
	made := 0
	for range 30 {
		if createAndGo(t, fd.url, 1, 1) {
			made++
		}
	}
	if made != 10 {
		t.Errorf("one address reconnecting made %d rooms, want 10 (its budget)", made)
	}
	if d := metricValue(t, "tickwire_requests_refused_total", "reason", "create_addr") - addrRefused; d != 20 {
		t.Errorf("%v creates counted over the address's budget, want 20", d)
	}

	// One session of another address, leaving each room it makes: 5.
	c := mustDialFrom(t, fd.url, loopback(2), "maker", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	made = 0
	for range 8 {
		_, _, err := c.CreateRoom(ctx, "", 1, false)
		if err == nil {
			made++
			if err := c.Leave(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !isServerError(err, pb.ErrorCode_ERROR_CODE_TOO_MANY_ROOMS) {
			t.Fatal(err)
		}
	}
	if made != 5 {
		t.Errorf("one session made %d rooms, want 5 (its budget)", made)
	}
	if d := metricValue(t, "tickwire_requests_refused_total", "reason", "create_session") - sessionRefused; d != 3 {
		t.Errorf("%v creates counted over the session's budget, want 3", d)
	}

	// More addresses join in; whatever they make, created rooms stay
	// within their share of the room limit.
	for n := 3; n < 6; n++ {
		for range 10 {
			createAndGo(t, fd.url, n, 1)
		}
	}
	fd.registry.mu.Lock()
	custom := fd.registry.custom
	fd.registry.mu.Unlock()
	if custom > maxRooms*3/4 {
		t.Errorf("%d created rooms live, more than their share %d", custom, maxRooms*3/4)
	}

	// Honest quick play of 20 players of other addresses: everyone seated.
	rooms := quickPlay(t, fd.url, 20, 20)
	distinct := map[string]bool{}
	for _, r := range rooms {
		distinct[r] = true
	}
	if len(distinct) != 2 {
		t.Errorf("20 honest players went into %d rooms, want 2 of 16 seats", len(distinct))
	}

	// The empty created rooms close after the empty timeout.
	eventually(t, "the empty created rooms to close", func() bool {
		fd.registry.mu.Lock()
		defer fd.registry.mu.Unlock()
		return fd.registry.custom == 0
	})
}

// TestFinding13QuickPlaySteering reproduces finding 13: quick play filled
// the oldest public room with a free seat, including rooms players had
// created with one seat, so 40 bots ended up in 40 solo rooms. Quick play
// now fills only rooms the matchmaker opened; a created room is joined by
// its id or code.
func TestFinding13QuickPlaySteering(t *testing.T) {
	fd := startFrontDoor(t, func(c *Config) { c.Limits.SignInsPerAddr = Rate{} }, slowArena(16))
	// One address makes bait: public rooms of one seat it leaves empty,
	// and a public room of four seats it sits in.
	created := map[string]bool{}
	for range 4 {
		c := mustDialFrom(t, fd.url, loopback(1), "bait", nil)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		rc, _, err := c.CreateRoom(ctx, "", 1, false)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		created[rc.GetRoom().GetRoomId()] = true
		_ = c.Close()
	}
	host := mustDialFrom(t, fd.url, loopback(1), "host", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	four, _, err := host.CreateRoom(ctx, "", 4, false)
	if err != nil {
		t.Fatal(err)
	}
	created[four.GetRoom().GetRoomId()] = true

	rooms := quickPlay(t, fd.url, 10, 20)
	distinct := map[string]bool{}
	for _, r := range rooms {
		if created[r] {
			t.Errorf("quick play seated a player in the created room %s", r)
		}
		distinct[r] = true
	}
	if len(distinct) != 2 {
		t.Errorf("20 quick-play players went into %d rooms, want 2 of 16 seats", len(distinct))
	}
	// The created room is still open to those who ask for it.
	guest := mustDialFrom(t, fd.url, loopback(2), "guest", nil)
	if j, err := guest.Join(ctx, "", four.GetRoom().GetRoomId()); err != nil || j.GetRoomId() != four.GetRoom().GetRoomId() {
		t.Fatalf("join the created room by id: %v %v", j, err)
	}
	friend := mustDialFrom(t, fd.url, loopback(3), "friend", nil)
	if j, err := friend.JoinCode(ctx, four.GetJoinCode()); err != nil || j.GetRoomId() != four.GetRoom().GetRoomId() {
		t.Fatalf("join the created room by code: %v %v", j, err)
	}
}

// TestFinding6SeatSquatting reproduces finding 6: seats could be held with
// no connection (join, drop the socket, repeat), so one client held every
// seat through the reconnection grace and honest quick play got none.
// Seats held for the players of one address are now capped: past the cap
// the address's oldest hold is released, and counted. (A session holds one
// seat at most.)
func TestFinding6SeatSquatting(t *testing.T) {
	const perAddr = 2
	fd := startFrontDoor(t, func(c *Config) {
		c.Rooms.MaxRooms = 3 // 12 seats of rooms of 4
		c.Limits.SignInsPerAddr = Rate{}
		c.Limits.HeldSeatsPerAddr = perAddr
	}, slowArena(4))
	released := metricValue(t, "tickwire_held_seats_released_early_total", "reason", "addr_budget")
	held := testutil.ToFloat64(seatsHeldTotal)

	var firstToken string
	for i := range 12 {
		c := mustDialFrom(t, fd.url, loopback(1), fmt.Sprintf("squat%d", i), nil)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := c.Join(ctx, "", "")
		cancel()
		if err != nil {
			t.Fatalf("squatter %d: %v", i, err)
		}
		if i == 0 {
			firstToken = c.SessionToken()
		}
		c.DropConnection()
		// The next join must find the seat released or held, not both.
		eventually(t, "the dropped seat to be held", func() bool {
			return testutil.ToFloat64(seatsHeldTotal)-held == float64(i+1)
		})
		if n := fd.holds.heldByAddr("127.0.0.2"); n != min(i+1, perAddr) {
			t.Fatalf("after %d drops the address holds %d seats, want %d", i+1, n, min(i+1, perAddr))
		}
	}
	if d := metricValue(t, "tickwire_held_seats_released_early_total", "reason", "addr_budget") - released; d != 12-perAddr {
		t.Errorf("%v holds released early for the address's budget, want %d", d, 12-perAddr)
	}
	if n := fd.holds.cache.Len(); n != perAddr {
		t.Errorf("%d seats held, want %d", n, perAddr)
	}
	// The first squatter comes back: no seat, and a notice saying why.
	notices := make(chan *pb.Notice, 4)
	back := mustDialFrom(t, fd.url, loopback(1), "squat0", func(c *client.ClientConfig) {
		c.SessionToken = firstToken
		c.OnNotice = func(n *pb.Notice) { notices <- n }
	})
	if back.Welcome().GetResumed() {
		t.Error("a session whose hold was released early resumed")
	}
	select {
	case n := <-notices:
		if n.GetScope() != pb.NoticeScope_NOTICE_SCOPE_PLAYER || !strings.Contains(n.GetText(), "too many players of your network were away at once") {
			t.Errorf("notice %v, want one to the player saying why its seat was given up", n)
		}
	case <-time.After(5 * time.Second):
		t.Error("no notice for a seat released early")
	}
	// The early releases run on their own goroutines; then ten honest
	// players find seats: 12 less the 2 held.
	eventually(t, "the released seats to be free", func() bool {
		fd.registry.mu.Lock()
		defer fd.registry.mu.Unlock()
		taken := 0
		for _, e := range fd.registry.rooms {
			taken += e.reserved
		}
		return taken == perAddr
	})
	quickPlay(t, fd.url, 10, 10)
}
