package client

import (
	"testing"
	"time"
)

func TestClockSync(t *testing.T) {
	type sample struct{ sent, server, recv int64 }
	tests := []struct {
		name       string
		samples    []sample
		wantOffset int64
		wantRTT    time.Duration // last
	}{
		{
			name:       "symmetric sample gives exact offset",
			samples:    []sample{{sent: 1000, server: 5_001_500, recv: 2000}},
			wantOffset: 5_000_000,
			wantRTT:    time.Millisecond,
		},
		{
			// The second sample sat in a queue on the way back; the filter
			// keeps the first, low-RTT one, so the estimate does not move.
			name: "queued sample loses to the lower rtt",
			samples: []sample{
				{sent: 1000, server: 5_001_500, recv: 2000},
				{sent: 10_000, server: 5_010_500, recv: 50_000},
			},
			wantOffset: 5_000_000,
			wantRTT:    40 * time.Millisecond,
		},
		{
			name: "negative rtt ignored",
			samples: []sample{
				{sent: 1000, server: 5_001_500, recv: 2000},
				{sent: 9000, server: 1, recv: 8000},
			},
			wantOffset: 5_000_000,
			wantRTT:    time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cs ClockSync
			for _, s := range tt.samples {
				cs.AddSample(s.sent, s.server, s.recv)
			}
			if got := cs.Offset(); got != tt.wantOffset {
				t.Errorf("Offset() = %d, want %d", got, tt.wantOffset)
			}
			if last, _ := cs.RTT(); last != tt.wantRTT {
				t.Errorf("RTT() last = %v, want %v", last, tt.wantRTT)
			}
			if got, want := cs.ServerTime(100), 100+tt.wantOffset; got != want {
				t.Errorf("ServerTime(100) = %d, want %d", got, want)
			}
		})
	}
}

func TestClockSyncFollowsNewOffsetSmoothly(t *testing.T) {
	var cs ClockSync
	// Offset 0 for a full window, then the server clock jumps by 80 ms.
	now := int64(0)
	for range clockWindow {
		cs.AddSample(now, now+500, now+1000)
		now += 10_000
	}
	if got := cs.Offset(); got != 0 {
		t.Fatalf("Offset() = %d before the jump, want 0", got)
	}
	prev := int64(0)
	for i := range clockWindow * 4 {
		cs.AddSample(now, now+80_500, now+1000)
		now += 10_000
		got := cs.Offset()
		if got < prev || got > 80_000 {
			t.Fatalf("sample %d: Offset() = %d, want monotone towards 80000 from %d", i, got, prev)
		}
		if i == 0 && got == 80_000 {
			t.Fatalf("Offset() jumped to the new value at once; want smoothing")
		}
		prev = got
	}
	if prev < 79_000 {
		t.Errorf("Offset() = %d after %d samples, want close to 80000", prev, clockWindow*4)
	}
	if cs.Samples() != uint64(clockWindow*5) {
		t.Errorf("Samples() = %d, want %d", cs.Samples(), clockWindow*5)
	}
}
