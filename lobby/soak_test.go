package lobby

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
)

// The soak (make soak; not part of go test's default run): soakBots bots,
// each from its own client address, play arena by quick play on a server
// with the production budgets; each second every bot drops its socket with
// probability soakDropChance and its client resumes the seat; meanwhile
// the attacks of the attack test run in turn, each for a second out of
// every five. TICKWIRE_SOAK sets the duration (such as 10m). At the end:
// no desync, every resume within the grace got its seat back, and once the
// bots have left and the server has stopped, the process is back to its
// goroutines (but the caches' cleaners, see below) and, within 16 MiB, its
// heap of before.
const (
	soakBots       = 300
	soakDropChance = 0.02
	soakAttackOn   = time.Second
	soakAttackOff  = 4 * time.Second
)

// soakBot is one bot and its counts.
type soakBot struct {
	c                   *client.Client
	snapshots, drops    atomic.Int64
	resumed, notResumed atomic.Int64
}

// soakFigures are what the soak found.
type soakFigures struct {
	share                   float64
	p50, p99                time.Duration
	acked                   int
	desyncs                 uint64
	drops, resumed, lost    int64
	attacks                 int
	goroutines0, goroutines int
	heap0, heap             uint64
}

func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("TICKWIRE_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("set TICKWIRE_SOAK to a duration (make soak) to run the soak")
	}
	before := goleak.IgnoreCurrent()
	goroutines0, heap0 := settle()
	var f soakFigures
	f.goroutines0, f.heap0 = goroutines0, heap0
	f.goroutines, f.heap = soak(t, d, &f)
	t.Logf("soak of %v: %d bots, snapshots %.1f %% of due, input→ack p50 %v p99 %v over %d inputs, desyncs %d, "+
		"drops %d, resumed %d, not resumed %d, attack bursts %d; goroutines %d → %d, heap %.1f → %.1f MiB",
		d, soakBots, 100*f.share, f.p50.Round(time.Millisecond), f.p99.Round(time.Millisecond), f.acked, f.desyncs,
		f.drops, f.resumed, f.lost, f.attacks, f.goroutines0, f.goroutines, mib(f.heap0), mib(f.heap))
	if f.desyncs != 0 {
		t.Errorf("%d desyncs", f.desyncs)
	}
	if f.lost != 0 {
		t.Errorf("%d of %d resumes lost the seat", f.lost, f.resumed+f.lost)
	}
	// The expirable caches' cleaners (held seats, sessions) never stop,
	// by the library's design; every other goroutine must have ended.
	if err := goleak.Find(before, goleak.IgnoreAnyFunction("github.com/hashicorp/golang-lru/v2/expirable.NewLRU[...].func1")); err != nil {
		t.Errorf("goroutines left after the soak (%d before, %d after): %v", f.goroutines0, f.goroutines, err)
	}
	if f.heap > f.heap0+16<<20 {
		t.Errorf("heap %.1f MiB after the soak, %.1f MiB before", mib(f.heap), mib(f.heap0))
	}
}

// soak runs the server, bots and attacks for d, stops them all, and
// returns the process's goroutines and heap once everything has ended.
func soak(t *testing.T, d time.Duration, f *soakFigures) (int, uint64) {
	// A sub-test owns the server, so that its cleanups (the server's
	// shutdown) have run when the figures after it are taken.
	t.Run("play", func(t *testing.T) {
		fd := startFrontDoorModes(t, func(c *Config) {
			c.Rooms.DefaultMode = "arena"
			c.Rooms.EmptyTimeout = time.Second
		}, soakModes())
		latencies := make(chan time.Duration, 1<<16)
		bots := startSoakBots(t, fd, latencies)
		var lat []time.Duration
		var latDone sync.WaitGroup
		latDone.Go(func() {
			for l := range latencies {
				lat = append(lat, l)
			}
		})
		ctx, stop := context.WithTimeout(context.Background(), d)
		defer stop()
		var wg sync.WaitGroup
		for i, b := range bots {
			wg.Go(func() { playSoak(ctx, b, uint64(i)) })
		}
		wg.Go(func() { f.attacks = attackTrickle(ctx, t, fd) })
		start := time.Now()
		wg.Wait()
		elapsed := time.Since(start)
		var got int64
		for _, b := range bots {
			got += b.snapshots.Load()
			f.desyncs += b.c.Stats().Desyncs
			f.drops += b.drops.Load()
			f.resumed += b.resumed.Load()
			f.lost += b.notResumed.Load()
			_ = b.c.Close()
		}
		close(latencies) // the clients are closed: no ack callback runs now
		latDone.Wait()
		f.share = float64(got) / (elapsed.Seconds() * float64(game.DefaultSnapshotHz) * soakBots)
		slices.Sort(lat)
		if f.acked = len(lat); f.acked > 0 {
			f.p50, f.p99 = pct(lat, 50), pct(lat, 99)
		}
	})
	return settle()
}

// soakModes is the arena with matches long enough never to end in a soak.
func soakModes() game.Modes {
	m := arena.Mode("arena")
	m.Options.(*arena.Options).MatchDuration = 24 * time.Hour
	m.Options.(*arena.Options).ScoreLimit = 1 << 30
	modes := game.NewModes()
	modes.Register(m)
	return modes
}

// startSoakBots seats the bots by quick play, each from its own address,
// with reconnection on; every 30th input→ack latency of each goes to
// latencies.
func startSoakBots(t *testing.T, fd *frontDoor, latencies chan<- time.Duration) []*soakBot {
	t.Helper()
	bots := make([]*soakBot, soakBots)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wg sync.WaitGroup
	errs := make(chan error, soakBots)
	for i := range bots {
		b := &soakBot{}
		bots[i] = b
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := dialFrom(ctx, fd.url, loopback(500+i), fmt.Sprintf("soak%03d", i), func(cfg *client.ClientConfig) {
				cfg.Logger = quiet
				cfg.Reconnect = client.ReconnectPolicy{Enabled: true}
				cfg.OnSnapshot = func(client.SnapshotInfo) { b.snapshots.Add(1) }
				var acks int
				cfg.OnInputAck = func(_ uint32, l time.Duration) {
					if acks++; acks%attackInputHz == 0 {
						select {
						case latencies <- l:
						default:
						}
					}
				}
				cfg.OnReconnect = func(resumed bool) {
					if resumed {
						b.resumed.Add(1)
					} else {
						b.notResumed.Add(1)
					}
				}
			})
			if err != nil {
				errs <- fmt.Errorf("bot %d: %w", i, err)
				return
			}
			b.c = c
			if _, err := c.Join(ctx, "arena", ""); err != nil {
				errs <- fmt.Errorf("bot %d: join: %w", i, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return bots
}

// playSoak sends inputs at attackInputHz and, each second, drops the
// socket with probability soakDropChance, until ctx ends.
func playSoak(ctx context.Context, b *soakBot, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	tick := time.NewTicker(time.Second / attackInputHz)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		in := arena.Input{MoveX: int32(rng.IntN(255) - 127), MoveY: int32(rng.IntN(255) - 127)}
		_, _ = b.c.SendInput(in.Values()...) // refused while redialing
		if n%attackInputHz != 0 {
			continue
		}
		if !b.c.Reconnecting() && rng.Float64() < soakDropChance {
			b.drops.Add(1)
			b.c.DropConnection()
		}
	}
}

// attackTrickle runs the attacks of the attack test in turn, each for
// soakAttackOn out of every soakAttackOn+soakAttackOff, until ctx ends; it
// returns how many bursts ran.
func attackTrickle(ctx context.Context, t *testing.T, fd *frontDoor) int {
	attacks := []func(context.Context, *testing.T, *frontDoor){attackRooms, attackListings, attackIdle, attackSquat, attackPings, attackInputs}
	n := 0
	for ctx.Err() == nil {
		actx, cancel := context.WithTimeout(ctx, soakAttackOn)
		attacks[n%len(attacks)](actx, t, fd)
		cancel()
		n++
		select {
		case <-ctx.Done():
		case <-time.After(soakAttackOff):
		}
	}
	return n
}

// settle waits for the process to quiet down (goroutines ending, the
// expirable caches' cleaners aside) and returns its goroutines and live
// heap after a collection.
func settle() (int, uint64) {
	var last int
	for range 50 {
		runtime.GC()
		n := runtime.NumGoroutine()
		if n == last {
			break
		}
		last = n
		time.Sleep(200 * time.Millisecond)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapAlloc
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
