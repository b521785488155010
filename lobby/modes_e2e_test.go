package lobby

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
)

// TestModesRunAtTheirOwnRates runs rooms of two modes with different rates
// side by side in one server, over a real loopback WebSocket: the arena at
// 60/20 Hz and the same game as "arena-slow" at 30/10 Hz. Each client's
// Joined must carry its room's rates, and each must receive snapshots at
// its room's rate.
func TestModesRunAtTheirOwnRates(t *testing.T) {
	const (
		window    = 2 * time.Second
		tolerance = 0.25
	)
	slow := arena.Mode("arena-slow")
	slow.Settings.TickHz, slow.Settings.SnapshotHz = 30, 10
	modes := game.NewModes()
	modes.Register(arena.Mode("arena"))
	modes.Register(slow)
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, modes)

	type player struct {
		mode           string
		tickHz, snapHz uint32
		client         *client.Client
		first          chan struct{} // closed at the first snapshot
		counting       atomic.Bool
		snapshots      atomic.Int64
	}
	players := []*player{
		{mode: "arena", tickHz: 60, snapHz: 20},
		{mode: "arena-slow", tickHz: 30, snapHz: 10},
	}
	for _, p := range players {
		p.first = make(chan struct{})
		var seen atomic.Bool
		p.client = dial(t, ts.url, p.mode, func(c *client.ClientConfig) {
			c.OnSnapshot = func(client.SnapshotInfo) {
				if seen.CompareAndSwap(false, true) {
					close(p.first)
				}
				if p.counting.Load() {
					p.snapshots.Add(1)
				}
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		joined, err := p.client.Join(ctx, p.mode, "")
		cancel()
		if err != nil {
			t.Fatalf("join %s: %v", p.mode, err)
		}
		if joined.GetMode() != p.mode || joined.GetTickHz() != p.tickHz || joined.GetSnapshotHz() != p.snapHz {
			t.Fatalf("joined %v, want mode %s at %d/%d Hz", joined, p.mode, p.tickHz, p.snapHz)
		}
	}
	for _, p := range players {
		select {
		case <-p.first:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no snapshot within 5 s", p.mode)
		}
	}
	for _, p := range players {
		p.counting.Store(true)
	}
	start := time.Now()
	time.Sleep(window)
	for _, p := range players {
		p.counting.Store(false)
	}
	elapsed := time.Since(start).Seconds()
	for _, p := range players {
		got := float64(p.snapshots.Load()) / elapsed
		want := float64(p.snapHz)
		if got < want*(1-tolerance) || got > want*(1+tolerance) {
			t.Errorf("%s: %.1f snapshots/s, want %.0f ± %.0f%%", p.mode, got, want, tolerance*100)
		}
		if d := p.client.Stats().Desyncs; d != 0 {
			t.Errorf("%s: %d desyncs", p.mode, d)
		}
		t.Logf("%s: %.1f snapshots/s (room rate %.0f)", p.mode, got, want)
	}
}
