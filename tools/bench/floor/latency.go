package main

import (
	"cmp"
	"slices"
	"time"
)

// latencyHistogram counts durations in buckets fine enough for the
// harness's percentiles: 10 µs wide below 1 ms, 100 µs below 10 ms, 1 ms
// above.
type latencyHistogram struct {
	counts map[time.Duration]uint64 // by bucket upper bound
}

// add counts d.
func (h *latencyHistogram) add(d time.Duration) {
	if h.counts == nil {
		h.counts = map[time.Duration]uint64{}
	}
	h.counts[bucketUpper(d)]++
}

// bucketUpper is the upper bound of d's bucket.
func bucketUpper(d time.Duration) time.Duration {
	width := time.Millisecond
	switch {
	case d < time.Millisecond:
		width = 10 * time.Microsecond
	case d < 10*time.Millisecond:
		width = 100 * time.Microsecond
	}
	return (d/width + 1) * width
}

// buckets returns the non-empty buckets as [upper bound ns, count] pairs in
// increasing order, as tickbot's stats lines have them.
func (h *latencyHistogram) buckets() [][2]uint64 {
	out := [][2]uint64{}
	for upper, n := range h.counts {
		out = append(out, [2]uint64{uint64(upper), n})
	}
	slices.SortFunc(out, func(a, b [2]uint64) int { return cmp.Compare(a[0], b[0]) })
	return out
}
