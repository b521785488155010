package game

import "time"

// scheduler is the fixed-timestep arithmetic of a room, free of clocks and
// goroutines so that it can be tested on its own. Slot k (k = 1, 2, ...) is
// due at start + k/hz seconds; each slot is either run (one simulation tick)
// or skipped after an overrun. Slot times are computed from k, not summed,
// so the schedule never drifts.
type scheduler struct {
	start      time.Duration
	hz         uint64
	maxCatchUp int
	next       uint64 // the next slot not yet run or skipped
}

// newScheduler returns a scheduler whose slot 1 is due one period after start.
func newScheduler(start time.Duration, hz, maxCatchUp int) scheduler {
	return scheduler{start: start, hz: uint64(hz), maxCatchUp: maxCatchUp, next: 1}
}

// dueAt returns when slot k is due, rounded up to the nanosecond so that
// advance(dueAt(k)) always counts slot k as due.
func (s *scheduler) dueAt(k uint64) time.Duration {
	return s.start + time.Duration((k*uint64(time.Second)+s.hz-1)/s.hz)
}

// nextDue returns when the next slot is due.
func (s *scheduler) nextDue() time.Duration { return s.dueAt(s.next) }

// advance consumes every slot due by now: it returns how many ticks to run
// (at most maxCatchUp) and how many to skip because more were due than a
// room may catch up in a row.
func (s *scheduler) advance(now time.Duration) (run, skip int) {
	if now < s.dueAt(s.next) {
		return 0, 0
	}
	// The last slot due by now: floor((now-start)*hz / 1s). Split the
	// product so that it cannot overflow for any realistic uptime.
	el := uint64(now - s.start)
	sec, rem := el/uint64(time.Second), el%uint64(time.Second)
	last := sec*s.hz + rem*s.hz/uint64(time.Second)
	n := last - s.next + 1
	s.next = last + 1
	run = int(min(n, uint64(s.maxCatchUp)))
	return run, int(n - uint64(run))
}
