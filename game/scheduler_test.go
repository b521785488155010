package game

import (
	"testing"
	"time"
)

func TestSchedulerAdvance(t *testing.T) {
	const period = 10 * time.Millisecond // 100 Hz
	tests := []struct {
		name            string
		start           time.Duration
		wakes           []time.Duration // times of successive wake-ups, after start
		wantRun         []int
		wantSkip        []int
		wantNextDueFrom time.Duration // nextDue - start after the last wake
	}{
		{
			name:    "early wake runs nothing",
			wakes:   []time.Duration{period - 1},
			wantRun: []int{0}, wantSkip: []int{0},
			wantNextDueFrom: period,
		},
		{
			name:    "on time, one tick per wake",
			start:   time.Hour,
			wakes:   []time.Duration{period, 2 * period, 3 * period},
			wantRun: []int{1, 1, 1}, wantSkip: []int{0, 0, 0},
			wantNextDueFrom: 4 * period,
		},
		{
			name:    "late by 2 ticks catches up",
			wakes:   []time.Duration{period, 4*period + period/2},
			wantRun: []int{1, 3}, wantSkip: []int{0, 0},
			wantNextDueFrom: 5 * period,
		},
		{
			name:    "late by 50 ticks runs max catch-up and skips the rest",
			wakes:   []time.Duration{51 * period, 52 * period},
			wantRun: []int{4, 1}, wantSkip: []int{47, 0},
			wantNextDueFrom: 53 * period,
		},
		{
			name:    "spurious second wake in the same period",
			wakes:   []time.Duration{period, period + 1},
			wantRun: []int{1, 0}, wantSkip: []int{0, 0},
			wantNextDueFrom: 2 * period,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScheduler(tt.start, 100, 4)
			for i, w := range tt.wakes {
				run, skip := s.advance(tt.start + w)
				if run != tt.wantRun[i] || skip != tt.wantSkip[i] {
					t.Errorf("wake %d at +%v: run %d skip %d, want run %d skip %d", i, w, run, skip, tt.wantRun[i], tt.wantSkip[i])
				}
			}
			if got := s.nextDue() - tt.start; got != tt.wantNextDueFrom {
				t.Errorf("next due at +%v, want +%v", got, tt.wantNextDueFrom)
			}
		})
	}
}

func TestSchedulerNoDrift(t *testing.T) {
	// 60 Hz has no whole-nanosecond period; slot times must still land on
	// exact seconds.
	s := newScheduler(0, 60, 4)
	for k := uint64(1); k <= 600; k++ {
		if run, _ := s.advance(s.nextDue()); run != 1 {
			t.Fatalf("slot %d: ran %d ticks at its due time", k, run)
		}
		if k%60 == 0 && s.dueAt(k) != time.Duration(k/60)*time.Second {
			t.Fatalf("slot %d due at %v, want %v", k, s.dueAt(k), time.Duration(k/60)*time.Second)
		}
	}
}
