package game

import (
	"testing"
	"time"
)

// fired reports whether t has a value ready, without blocking.
func fired(t Timer) bool {
	select {
	case <-t.C():
		return true
	default:
		return false
	}
}

func TestManualClockTimers(t *testing.T) {
	tests := []struct {
		name      string
		run       func(c *ManualClock, tm Timer)
		wantFired bool
	}{
		{"not yet due", func(c *ManualClock, tm Timer) { c.Advance(9) }, false},
		{"due", func(c *ManualClock, tm Timer) { c.Advance(10) }, true},
		{"stopped", func(c *ManualClock, tm Timer) { tm.Stop(); c.Advance(20) }, false},
		{"reset later", func(c *ManualClock, tm Timer) { tm.Reset(30); c.Advance(20) }, false},
		{"reset to the past fires at once", func(c *ManualClock, tm Timer) { tm.Reset(-5) }, true},
		{"reset drops an undelivered fire", func(c *ManualClock, tm Timer) { c.Advance(10); tm.Reset(5) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewManualClock(time.Second)
			tm := c.NewTimer(10)
			tt.run(c, tm)
			if got := fired(tm); got != tt.wantFired {
				t.Errorf("fired = %v, want %v", got, tt.wantFired)
			}
		})
	}
}

func TestManualClockNowAndTimers(t *testing.T) {
	c := NewManualClock(5)
	tm := c.NewTimer(10)
	if got := c.Timers(); got != 1 {
		t.Errorf("Timers() = %d, want 1", got)
	}
	c.Advance(10)
	if got := c.Now(); got != 15 {
		t.Errorf("Now() = %v, want 15", got)
	}
	if got := c.Timers(); got != 0 {
		t.Errorf("Timers() after firing = %d, want 0", got)
	}
	if !fired(tm) {
		t.Error("timer did not fire")
	}
}

func TestRealClockIsMonotonic(t *testing.T) {
	var c RealClock
	a := c.Now()
	b := c.Now()
	if a <= 0 || b < a {
		t.Errorf("Now() went %v then %v", a, b)
	}
	tm := c.NewTimer(0)
	<-tm.C()
	if tm.Stop() {
		t.Error("Stop of a fired timer reported it active")
	}
}
