package client

import (
	"testing"
	"time"
)

// TestRatesComeFromJoined: the room runs at 30/10; interpolation, the
// snapshot interval and the input tick estimate must use the room's rates,
// and outside a room there are none.
func TestRatesComeFromJoined(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	c, sc := srv.dial(t, quiet)
	rates := func() (tickHz, snapHz int, interp, interval time.Duration) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.tickHzLocked(), c.snapshotHzLocked(), c.interpDelayLocked(), c.snapshotIntervalLocked()
	}
	if tick, snap, interp, interval := rates(); tick != 0 || snap != 0 || interp != 0 || interval != 0 {
		t.Errorf("outside a room: tick %d Hz, snapshots %d Hz, interpolation %v, interval %v: want all 0, not Welcome's", tick, snap, interp, interval)
	}
	slow := joinedMsg("r1")
	slow.GetJoined().TickHz, slow.GetJoined().SnapshotHz = 30, 10
	if _, err := sc.join(c, "arena-slow", "", slow); err != nil {
		t.Fatal(err)
	}
	tick, snap, interp, interval := rates()
	if tick != 30 || snap != 10 {
		t.Errorf("in the room: %d/%d Hz, want Joined's 30/10", tick, snap)
	}
	if want := time.Duration(DefaultInterpolationSnapshots * float64(time.Second) / 10); interp != want {
		t.Errorf("interpolation delay %v, want %v (%.1f snapshots at 10 Hz)", interp, want, DefaultInterpolationSnapshots)
	}
	if interval != 100*time.Millisecond {
		t.Errorf("snapshot interval %v, want 100ms", interval)
	}
	// One second of server time after the join, an input aims about 30
	// ticks ahead of the join tick, not 60.
	c.mu.Lock()
	target := c.targetTickLocked(c.joinedAtUS + time.Second.Microseconds())
	joinTick := c.joined.GetTick()
	c.mu.Unlock()
	if ahead := target - joinTick; ahead < 25 || ahead > 35 {
		t.Errorf("an input 1 s after the join aims %d ticks ahead, want about 30 (the room's rate)", ahead)
	}
}
