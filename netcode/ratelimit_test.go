package netcode

import (
	"testing"
	"time"
)

func TestRateLimiter(t *testing.T) {
	const rate, burst = 100, 10
	tests := []struct {
		name     string
		interval time.Duration // between messages
		messages int
		allowed  int // how many the limiter lets through
		floodAt  int // 1-based message that is a flood, 0 for none
	}{
		{"at the rate", 10 * time.Millisecond, 1000, 1000, 0},
		{"burst at once", 0, 10, 10, 0},
		{"one over the burst", 0, 11, 10, 0},
		// The burst of 10 plus 999.5 tokens refilled over 9.995 s.
		{"twice the rate only loses the excess", 5 * time.Millisecond, 2000, 1009, 0},
		// 10 pass, then drops pile up with nothing forgiven: flood when
		// the debt passes 2 s worth (200) at message 10+201.
		{"instant flood", 0, 1000, 10, 211},
		// Four times the rate: 3 of 4 dropped, 1 of 4 forgiven by time.
		{"sustained flood", 2500 * time.Microsecond, 2000, 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newRateLimiter(rate, burst)
			now := time.Unix(1000, 0)
			ok, floodAt := 0, 0
			for i := 1; i <= tt.messages && floodAt == 0; i++ {
				switch l.take(now) {
				case allowed:
					ok++
				case flooded:
					floodAt = i
				}
				now = now.Add(tt.interval)
			}
			switch {
			case tt.floodAt < 0:
				if floodAt == 0 {
					t.Errorf("no flood detected in %d messages", tt.messages)
				}
			case floodAt != tt.floodAt:
				t.Errorf("flood at message %d, want %d", floodAt, tt.floodAt)
			}
			if tt.floodAt >= 0 && ok != tt.allowed {
				t.Errorf("%d allowed, want %d", ok, tt.allowed)
			}
		})
	}
}

func TestReadBudget(t *testing.T) {
	tests := []struct {
		name      string
		perSecond int
		maxFrame  int64
		spends    []int           // bytes, all at the same instant
		wantWaits []time.Duration // what each spend asks the reader to wait
	}{
		{"within a second's bytes", 1000, 500, []int{400, 600}, []time.Duration{0, 0}},
		{"overdrawn waits for the refill", 1000, 500, []int{1000, 500}, []time.Duration{0, 500 * time.Millisecond}},
		// Frames larger than a second's bytes: the burst is one frame, and
		// the second frame waits a frame's time.
		{"frames above a second's bytes", 100, 1000, []int{1000, 1000}, []time.Duration{0, 10 * time.Second}},
		// A charge above the burst is clamped, so it is paid in a
		// finite wait rather than refused (which would wait forever).
		{"charge above the burst", 100, 200, []int{5000, 5000}, []time.Duration{0, 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newReadBudget(tt.perSecond, tt.maxFrame)
			if got, want := b.burst, b.limiter.Burst(); got != want {
				t.Fatalf("burst kept %d, limiter's %d", got, want)
			}
			now := time.Unix(1000, 0)
			for i, n := range tt.spends {
				if got := b.spend(now, n); got != tt.wantWaits[i] {
					t.Errorf("spend %d (%d bytes): wait %v, want %v", i, n, got, tt.wantWaits[i])
				}
			}
		})
	}
}
