package game

import (
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
)

func TestTickClock(t *testing.T) {
	c := tickClock{tickHz: 60}
	steps := []struct {
		tick       uint32
		nowUS      int64
		wantUS     int64
		wantAnchor uint32
	}{
		{3, 1_000_000, 1_000_000, 3},   // the first snapshot anchors
		{6, 1_050_100, 1_050_000, 3},   // on time: derived, 3 ticks of 16,666.67 µs
		{9, 1_110_000, 1_100_000, 3},   // 10 ms late: still derived
		{12, 1_170_000, 1_170_000, 12}, // 20 ms late, more than a tick: re-anchored
		{15, 1_220_000, 1_220_000, 12}, // derived from the new anchor (1,170,000 + 50,000)
	}
	for _, s := range steps {
		us, anchor := c.at(s.tick, s.nowUS)
		if us != s.wantUS || anchor != s.wantAnchor {
			t.Errorf("tick %d at %d µs: got %d µs anchored at %d, want %d µs anchored at %d",
				s.tick, s.nowUS, us, anchor, s.wantUS, s.wantAnchor)
		}
		if anchor != s.tick {
			// What a client computes from the anchor it holds.
			if d := wire.DeriveServerTimeUS(c.anchorTick, c.anchorUS, s.tick, 60); d != us {
				t.Errorf("tick %d: client derives %d µs, server says %d", s.tick, d, us)
			}
		}
	}
}

// TestHistoryTimeAfterReanchor: a delta whose baseline is older than the
// clock anchor carries the time; one from a baseline at or after it does
// not.
func TestHistoryTimeAfterReanchor(t *testing.T) {
	h := newHistory(8)
	s := &Seat{}
	for _, tick := range []uint32{3, 6} {
		pushTick(h, tick, []*view{testView(h, tick, 1, 0)}, s)
	}
	v9 := testView(h, 9, 1, 0)
	h.push(9, 777_000, 6, []*view{v9}) // anchored at 6
	h.recordOffer(s, v9)
	for _, tt := range []struct {
		since  uint32
		wantUS int64
	}{{3, 777_000}, {6, 0}, {0, 777_000}} {
		shared, _, _ := h.encode(s, v9, tt.since)
		if got := decodeShared(t, shared).GetServerTimeUs(); got != tt.wantUS {
			t.Errorf("from %d: server time %d, want %d", tt.since, got, tt.wantUS)
		}
	}
}
