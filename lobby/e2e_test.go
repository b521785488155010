package lobby

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
)

// player is one e2e client with what the test measures of it.
type player struct {
	client    *client.Client
	snapshots atomic.Int64 // snapshots applied inside the measuring window
	counting  atomic.Bool

	mu        sync.Mutex
	latencies []time.Duration // input→ack
	lastSent  uint32
}

// TestSixteenPlayersConverge plays 16 Go clients in one arena room over a
// real loopback WebSocket for 5 s, moving and shooting at 30 Hz.
func TestSixteenPlayersConverge(t *testing.T) {
	const (
		players = 16
		window  = 5 * time.Second
		inputHz = 30
	)
	ts := startServer(t, nil)
	ps := make([]*player, players)
	for i := range ps {
		p := &player{}
		p.client = dial(t, ts.url, fmt.Sprintf("bot-%02d", i), func(c *client.ClientConfig) {
			c.OnSnapshot = func(client.SnapshotInfo) {
				if p.counting.Load() {
					p.snapshots.Add(1)
				}
			}
			c.OnInputAck = func(_ uint32, latency time.Duration) {
				p.mu.Lock()
				p.latencies = append(p.latencies, latency)
				p.mu.Unlock()
			}
		})
		ps[i] = p
	}
	rooms := map[string]bool{}
	for _, p := range ps {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		joined, err := p.client.Join(ctx, "arena", "")
		cancel()
		if err != nil {
			t.Fatalf("join: %v", err)
		}
		rooms[joined.GetRoomId()] = true
		if joined.GetEntityId() == 0 {
			t.Fatalf("joined without an entity: %v", joined)
		}
	}
	if len(rooms) != 1 {
		t.Fatalf("16 players went to %d rooms, want 1", len(rooms))
	}

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			playMoveAndShoot(ctx, t, p, uint64(i), inputHz)
		}()
	}
	time.Sleep(500 * time.Millisecond) // warm up: every client past its full snapshot
	for _, p := range ps {
		p.counting.Store(true)
	}
	midSeq := make([]uint32, players)
	time.Sleep(window / 2)
	for i, p := range ps {
		midSeq[i] = p.client.Stats().LastAppliedInputSeq
	}
	time.Sleep(window / 2)
	for _, p := range ps {
		p.counting.Store(false)
	}
	stop()
	wg.Wait()

	nominal := float64(game.DefaultSnapshotHz)
	var all []time.Duration
	minRate, maxRate := nominal*10, 0.0
	for i, p := range ps {
		st := p.client.Stats()
		rate := float64(p.snapshots.Load()) / window.Seconds()
		minRate, maxRate = min(minRate, rate), max(maxRate, rate)
		if rate < nominal*0.95 || rate > nominal*1.05 {
			t.Errorf("player %d: %.2f snapshots/s, want %.0f ± 5%%", i, rate, nominal)
		}
		if st.Desyncs != 0 {
			t.Errorf("player %d: %d checksum mismatches", i, st.Desyncs)
		}
		if st.LastAppliedInputSeq <= midSeq[i] {
			t.Errorf("player %d: applied input seq stuck at %d", i, st.LastAppliedInputSeq)
		}
		p.mu.Lock()
		if p.lastSent-st.LastAppliedInputSeq > inputHz { // more than 1 s of inputs unapplied
			t.Errorf("player %d: sent seq %d but only %d applied", i, p.lastSent, st.LastAppliedInputSeq)
		}
		all = append(all, p.latencies...)
		p.mu.Unlock()
	}
	if len(all) == 0 {
		t.Fatal("no input was ever acknowledged")
	}
	slices.Sort(all)
	t.Logf("snapshots per client per second: min %.2f max %.2f (nominal %.0f)", minRate, maxRate, nominal)
	t.Logf("input→ack latency over %d inputs: p50 %v p95 %v p99 %v max %v",
		len(all), pct(all, 50), pct(all, 95), pct(all, 99), all[len(all)-1])

	// With inputs stopped the arena comes to rest (players stop, shots expire,
	// the dead respawn); then every replica must show the same world.
	deadline := time.Now().Add(10 * time.Second)
	for {
		diverged := divergence(ps)
		if diverged == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replicas did not converge: %s", diverged)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// playMoveAndShoot sends inputs at hz until ctx ends: a new random move
// direction about once a second, aim along it, fire now and then.
func playMoveAndShoot(ctx context.Context, t *testing.T, p *player, seed uint64, hz int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	moveX, moveY := &arena.Schema.Input[arena.InputMoveX], &arena.Schema.Input[arena.InputMoveY]
	aimField := &arena.Schema.Input[arena.InputAim]
	tick := time.NewTicker(time.Second / time.Duration(hz))
	defer tick.Stop()
	var mx, my, aim int32
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n%hz == 0 {
			a := rng.Float64() * 2 * math.Pi
			mx = moveX.Quantize(math.Cos(a) * arena.MoveAxisMax)
			my = moveY.Quantize(math.Sin(a) * arena.MoveAxisMax)
			aim = aimField.Quantize(a)
		}
		in := arena.Input{MoveX: mx, MoveY: my, Aim: aim}
		if rng.IntN(4) == 0 {
			in.Buttons = arena.ButtonFire
		}
		seq, err := p.client.SendInput(in.Values()...)
		if err != nil {
			t.Errorf("send input: %v", err)
			return
		}
		p.mu.Lock()
		p.lastSent = seq
		p.mu.Unlock()
	}
}

// divergence describes how the replicas differ, or returns "" when every
// replica holds the same entities.
func divergence(ps []*player) string {
	_, ref := ps[0].client.State()
	for i, p := range ps[1:] {
		_, got := p.client.State()
		if !ref.Equal(got) {
			return fmt.Sprintf("player %d has %d entities (checksum %08x), player 0 has %d (checksum %08x)",
				i+1, got.Len(), wire.Checksum(got), ref.Len(), wire.Checksum(ref))
		}
	}
	return ""
}

func pct(sorted []time.Duration, p int) time.Duration {
	return sorted[(len(sorted)-1)*p/100]
}
