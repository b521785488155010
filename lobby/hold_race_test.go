package lobby

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
)

// TestHoldsCapsUnderRace: holds made at the same moment (an address's
// sockets dropping together) stay within the cap per address and the
// server-wide one, and every hold pushed out is released once, counted
// once and marked with its reason.
func TestHoldsCapsUnderRace(t *testing.T) {
	const racers, rounds = 16, 30
	cases := []struct {
		name          string
		size, perAddr int
		addr          func(i int) string
		label         string
		early         int32
	}{
		{"per address", 100, 4, func(int) string { return "a" }, "addr_budget", earlyAddr},
		{"server-wide", 4, 0, func(i int) string { return fmt.Sprint("addr", i) }, "server_budget", earlyServer},
	}
	for _, tc := range cases {
		keep := tc.perAddr
		if tc.perAddr == 0 {
			keep = tc.size
		}
		for round := range rounds {
			var released, wrongReason atomic.Int32
			h := newHolds(tc.size, tc.perAddr, time.Hour, func(s *heldSeat) {
				released.Add(1)
				if s.early.Load() != tc.early {
					wrongReason.Add(1)
				}
			})
			counted := metricValue(t, "tickwire_held_seats_released_early_total", "reason", tc.label)
			atOnce(racers, func(i int) {
				h.hold(fmt.Sprint("s", i), &heldSeat{seat: new(game.Seat), addr: tc.addr(i)})
			})
			h.releases.Wait()
			held := h.cache.Len()
			if tc.perAddr > 0 {
				held = h.heldByAddr("a")
			}
			d := metricValue(t, "tickwire_held_seats_released_early_total", "reason", tc.label) - counted
			if held != keep || released.Load() != racers-int32(keep) || d != float64(racers-keep) || wrongReason.Load() != 0 {
				t.Fatalf("%s, round %d: %d held (want %d), %d released (want %d), %v counted as %s, %d released without that reason",
					tc.name, round, held, keep, released.Load(), racers-keep, d, tc.label, wrongReason.Load())
			}
		}
	}
}

// atOnce runs f(0) … f(n-1) on n goroutines released together, as
// requests arriving at the same moment, and waits for them all.
func atOnce(n int, f func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			f(i)
		}()
	}
	start.Done()
	done.Wait()
}
