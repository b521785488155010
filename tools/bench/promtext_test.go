package main

import (
	"math"
	"strings"
	"testing"
)

const scrape = `# HELP tickwire_tick_duration_seconds Work time of one room tick.
# TYPE tickwire_tick_duration_seconds histogram
tickwire_tick_duration_seconds_bucket{le="0.001"} 90
tickwire_tick_duration_seconds_bucket{le="0.002"} 99
tickwire_tick_duration_seconds_bucket{le="0.004"} 100
tickwire_tick_duration_seconds_bucket{le="+Inf"} 100
tickwire_tick_duration_seconds_sum 0.05
tickwire_tick_duration_seconds_count 100
# TYPE tickwire_tick_overruns_total counter
tickwire_tick_overruns_total 3
tickwire_inputs_dropped_total{reason="queue_full"} 4
tickwire_inputs_dropped_total{reason="a b}"} 1.5e+00
`

func TestParseMetrics(t *testing.T) {
	m, err := parseMetrics(strings.NewReader(scrape))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.sum("tickwire_tick_overruns_total"); got != 3 {
		t.Errorf("overruns = %v, want 3", got)
	}
	if got := m.sum("tickwire_inputs_dropped_total"); got != 5.5 {
		t.Errorf("inputs dropped (every reason) = %v, want 5.5", got)
	}
	bs := m.buckets("tickwire_tick_duration_seconds")
	if len(bs) != 4 || bs[0].le != 0.001 || !math.IsInf(bs[3].le, 1) || bs[3].count != 100 {
		t.Errorf("buckets = %+v", bs)
	}
	if _, err := parseMetrics(strings.NewReader("name_without_value\n")); err == nil {
		t.Error("a line without a value gave no error")
	}
}

func TestBucketQuantile(t *testing.T) {
	bs := []bucket{{0.001, 90}, {0.002, 99}, {0.004, 100}, {math.Inf(1), 100}}
	tests := []struct {
		q, want float64
	}{
		{0.5, 0.001 * 50 / 90}, // inside the first bucket, from 0
		{0.9, 0.001},           // exactly the first bound
		{0.99, 0.002},          // exactly the second
		{0.995, 0.003},         // halfway through the third
	}
	for _, tt := range tests {
		if got := bucketQuantile(tt.q, bs); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("q%v = %v, want %v", tt.q, got, tt.want)
		}
	}
	// A rank in the +Inf bucket answers the highest finite bound.
	inf := []bucket{{0.001, 1}, {math.Inf(1), 10}}
	if got := bucketQuantile(0.99, inf); got != 0.001 {
		t.Errorf("q0.99 in +Inf = %v, want 0.001", got)
	}
	if got := bucketQuantile(0.99, []bucket{{0.001, 0}, {math.Inf(1), 0}}); !math.IsNaN(got) {
		t.Errorf("empty histogram = %v, want NaN", got)
	}
	if got := bucketQuantile(0.5, nil); !math.IsNaN(got) {
		t.Errorf("no buckets = %v, want NaN", got)
	}
}

func TestBucketDelta(t *testing.T) {
	a := []bucket{{0.001, 10}, {0.002, 20}, {math.Inf(1), 20}}
	b := []bucket{{0.001, 15}, {0.002, 40}, {math.Inf(1), 41}}
	d := bucketDelta(a, b)
	want := []bucket{{0.001, 5}, {0.002, 20}, {math.Inf(1), 21}}
	for i := range want {
		if d[i] != want[i] {
			t.Fatalf("delta = %+v, want %+v", d, want)
		}
	}
	// Only the window's observations count: the delta's p99 (rank 20.79
	// of 21) falls in its +Inf bucket, which answers the highest finite
	// bound, where the whole histogram's (rank 40.59 of 41) would not.
	if got := bucketQuantile(0.99, d); got != 0.002 {
		t.Errorf("p99 of the delta = %v, want 0.002", got)
	}
}
