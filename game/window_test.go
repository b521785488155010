package game

import (
	"testing"
	"time"
)

func TestTickPercentiles(t *testing.T) {
	ms := time.Millisecond
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100-i) * ms // 100 ms .. 1 ms, unsorted
	}
	tests := []struct {
		name          string
		in            []time.Duration
		p50, p99, max time.Duration
	}{
		{"none", nil, 0, 0, 0},
		{"one", []time.Duration{3 * ms}, 3 * ms, 3 * ms, 3 * ms},
		{"two", []time.Duration{4 * ms, 2 * ms}, 2 * ms, 4 * ms, 4 * ms},
		{"hundred", hundred, 50 * ms, 99 * ms, 100 * ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p50, p99, mx := tickPercentiles(tt.in)
			if p50 != tt.p50 || p99 != tt.p99 || mx != tt.max {
				t.Errorf("got p50 %v p99 %v max %v, want %v %v %v", p50, p99, mx, tt.p50, tt.p99, tt.max)
			}
		})
	}
}

func TestTickWindowKeepsTheLatest(t *testing.T) {
	w := newTickWindow(3)
	if got := w.values(); len(got) != 0 {
		t.Fatalf("empty window holds %v", got)
	}
	for i := 1; i <= 5; i++ {
		w.add(time.Duration(i))
	}
	_, _, mx := tickPercentiles(w.values())
	p50, _, _ := tickPercentiles(w.values())
	if got := w.values(); len(got) != 3 || mx != 5 || p50 != 4 {
		t.Errorf("window %v (p50 %v, max %v), want the last three: 3, 4, 5", got, p50, mx)
	}
}

func TestRateWindow(t *testing.T) {
	var w rateWindow
	if r := w.rate(time.Second, 100); r != 0 {
		t.Errorf("rate with no sample = %v, want 0", r)
	}
	// 1,000 bytes a second, sampled each second for 10 s.
	for s := 0; s <= 10; s++ {
		w.add(time.Duration(s)*time.Second, uint64(s)*1000)
	}
	// The window holds samples 5..10 s; at 10.5 s the counter says 10,500.
	if r := w.rate(10500*time.Millisecond, 10500); r != 1000 {
		t.Errorf("steady rate = %v, want 1000", r)
	}
	// A burst of 11,000 bytes in the last half second raises it over the
	// 5.5 s window: (21,500 - 5,000) / 5.5 s = 3,000.
	if r := w.rate(10500*time.Millisecond, 21500); r != 3000 {
		t.Errorf("rate after a burst = %v, want 3000", r)
	}
	if r := w.rate(5*time.Second, 5000); r != 0 {
		t.Errorf("rate at the oldest sample's time = %v, want 0", r)
	}
}
