package lobby

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/client"
)

// TestQuickPlayStorm joins 1,000 clients at once into rooms of 16 over real
// loopback WebSockets: everyone is seated, no room passes 16, and rooms are
// filled before new ones open (so exactly one room is left part-full).
func TestQuickPlayStorm(t *testing.T) {
	const players, roomSize = 1000, 16
	ts := startServerModes(t, nil, arenaModes(func(s *game.Settings) {
		// Slow clocks keep 63 rooms cheap under the race detector; seating
		// is what this test is about.
		s.TickHz, s.SnapshotHz, s.MaxPlayers = 10, 2, roomSize
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	clients := make([]*client.Client, players)
	rooms := make([]string, players)
	errs := make(chan error, players)
	var wg sync.WaitGroup
	for i := range players {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := client.Dial(ctx, client.ClientConfig{URL: ts.url, Name: fmt.Sprintf("p%d", i), PingInterval: -1})
			if err != nil {
				errs <- fmt.Errorf("dial %d: %w", i, err)
				return
			}
			clients[i] = c
			j, err := c.Join(ctx, "arena", "")
			if err != nil {
				errs <- fmt.Errorf("join %d: %w", i, err)
				return
			}
			rooms[i] = j.GetRoomId()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	defer func() {
		for _, c := range clients {
			if c != nil {
				_ = c.Close()
			}
		}
	}()
	if t.Failed() {
		t.FailNow()
	}

	count := map[string]int{}
	for _, r := range rooms {
		count[r]++
	}
	partial := 0
	for id, n := range count {
		if n > roomSize {
			t.Errorf("room %s has %d players, more than %d", id, n, roomSize)
		}
		if n < roomSize {
			partial++
		}
	}
	want := (players + roomSize - 1) / roomSize
	if len(count) != want || partial != 1 {
		t.Errorf("%d players went into %d rooms with %d part-full; want %d rooms and 1 part-full", players, len(count), partial, want)
	}
	t.Logf("%d players seated in %d rooms (%d part-full)", players, len(count), partial)
	for _, info := range ts.Registry().List("") {
		if info.GetPlayers() > uint32(roomSize) {
			t.Errorf("registry shows room %s with %d players", info.GetRoomId(), info.GetPlayers())
		}
	}
}
