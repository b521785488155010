package loadstats

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Input→ack buckets as tickbot's -stats lines have them (docs/tickbot.md):
// bucket i holds samples up to latencyFloor·latencyBase^i, so a
// percentile read from them is at most 1 % above the true sample.
const (
	latencyBase  = 1.01
	latencyFloor = time.Microsecond
)

// Latencies counts durations in those buckets. The zero value is empty
// and ready; it is not safe for concurrent use.
type Latencies struct {
	counts map[int]uint64 // by bucket index
}

// Add counts d; a negative d counts as 0.
func (h *Latencies) Add(d time.Duration) {
	if h.counts == nil {
		h.counts = map[int]uint64{}
	}
	h.counts[bucketOf(max(d, 0))]++
}

// bucketOf returns the smallest i with d <= bucketUpper(i).
func bucketOf(d time.Duration) int {
	if d <= latencyFloor {
		return 0
	}
	i := int(math.Ceil(math.Log(float64(d)/float64(latencyFloor)) / math.Log(latencyBase)))
	// Float rounding may put a value exactly on a bound one bucket off.
	for i > 0 && d <= bucketUpper(i-1) {
		i--
	}
	for d > bucketUpper(i) {
		i++
	}
	return i
}

// bucketUpper is bucket i's upper bound.
func bucketUpper(i int) time.Duration {
	return time.Duration(math.Ceil(float64(latencyFloor) * math.Pow(latencyBase, float64(i))))
}

// Buckets returns the non-empty buckets as [upper bound ns, count] pairs
// in increasing order, as Line.AckNs holds them.
func (h *Latencies) Buckets() [][2]uint64 {
	out := [][2]uint64{}
	for i, n := range h.counts {
		out = append(out, [2]uint64{uint64(bucketUpper(i)), n})
	}
	slices.SortFunc(out, func(a, b [2]uint64) int { return cmp.Compare(a[0], b[0]) })
	return out
}
