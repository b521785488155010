package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestHistogramPercentiles(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name    string
		samples []time.Duration
		q       float64
		want    time.Duration // exact nearest-rank answer
	}{
		{"empty", nil, 50, 0},
		{"single", []time.Duration{7 * ms}, 99, 7 * ms},
		{"p50 of 1..100", seq(1, 100, ms), 50, 50 * ms},
		{"p95 of 1..100", seq(1, 100, ms), 95, 95 * ms},
		{"p99 of 1..100", seq(1, 100, ms), 99, 99 * ms},
		{"max of 1..100", seq(1, 100, ms), 100, 100 * ms},
		{"p0 is the minimum", seq(1, 100, ms), 0, ms},
		{"p50 of 4 is the 2nd", []time.Duration{40 * ms, 10 * ms, 30 * ms, 20 * ms}, 50, 20 * ms},
		{"p51 of 4 is the 3rd", []time.Duration{40 * ms, 10 * ms, 30 * ms, 20 * ms}, 51, 30 * ms},
		{"sub-microsecond", []time.Duration{100, 200, 300}, 100, 300},
		{"negative counts as zero", []time.Duration{-5 * ms}, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h histogram
			for _, s := range tt.samples {
				h.add(s)
			}
			got := h.percentile(tt.q)
			if got < tt.want || float64(got) > float64(tt.want)*histogramBase {
				t.Errorf("p%v = %v, want %v (at most 1%% above)", tt.q, got, tt.want)
			}
		})
	}
}

// TestHistogramMatchesSort compares every percentile with the exact
// nearest-rank value of sorted random samples spanning five decades.
func TestHistogramMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h histogram
	samples := make([]time.Duration, 20000)
	for i := range samples {
		samples[i] = time.Duration(rng.ExpFloat64() * float64(5*time.Millisecond))
		h.add(samples[i])
	}
	slices.Sort(samples)
	if h.count() != uint64(len(samples)) {
		t.Fatalf("count = %d, want %d", h.count(), len(samples))
	}
	for _, q := range []float64{1, 10, 50, 90, 95, 99, 99.9, 100} {
		rank := int(math.Ceil(q*float64(len(samples))/100-1e-9)) - 1
		want := samples[max(rank, 0)]
		got := h.percentile(q)
		if got < want || float64(got) > float64(want)*histogramBase+1 {
			t.Errorf("p%v = %v, exact %v", q, got, want)
		}
	}
}

func TestBucketBounds(t *testing.T) {
	for _, d := range []time.Duration{0, 1, time.Microsecond, time.Microsecond + 1, 1234567, time.Second, time.Hour} {
		i := bucketOf(d)
		if d > bucketUpper(i) || (i > 0 && d <= bucketUpper(i-1)) {
			t.Errorf("%v in bucket %d (%v, %v]", d, i, bucketUpper(i-1), bucketUpper(i))
		}
	}
}

// seq returns from·unit, (from+1)·unit, ... to·unit, shuffled.
func seq(from, to int, unit time.Duration) []time.Duration {
	var s []time.Duration
	for i := from; i <= to; i++ {
		s = append(s, time.Duration(i)*unit)
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}
