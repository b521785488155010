package main

import (
	"math"
	"time"
)

// histogramBase is the ratio between neighbouring bucket bounds: a reported
// percentile is at most 1 % above the true sample, and a run of any length
// costs a few kilobytes instead of one word per sample.
const histogramBase = 1.01

// histogramFloor is the upper bound of bucket 0; shorter samples land in it.
const histogramFloor = time.Microsecond

var logHistogramBase = math.Log(histogramBase)

// bucketUppers holds the bounds of the buckets up to about 20 minutes, so
// that placing a sample (tens of thousands a second) costs one logarithm
// and no powers.
var bucketUppers = func() []time.Duration {
	out := make([]time.Duration, 2100)
	for i := range out {
		out[i] = bucketUpperPow(i)
	}
	return out
}()

// histogram counts durations in log-spaced buckets and answers percentiles
// over every sample it was given. The zero value is empty and ready; it is
// not safe for concurrent use.
type histogram struct {
	counts   []uint64
	n        uint64
	min, max time.Duration
}

// bucketOf returns the index of the bucket holding d: the smallest i with
// d <= histogramFloor·histogramBase^i.
func bucketOf(d time.Duration) int {
	if d <= histogramFloor {
		return 0
	}
	i := int(math.Ceil(math.Log(float64(d)/float64(histogramFloor)) / logHistogramBase))
	// Float rounding may put a value exactly on a bound one bucket off.
	for i > 0 && d <= bucketUpper(i-1) {
		i--
	}
	for d > bucketUpper(i) {
		i++
	}
	return i
}

// bucketUpper returns bucket i's upper bound.
func bucketUpper(i int) time.Duration {
	if i < len(bucketUppers) {
		return bucketUppers[i]
	}
	return bucketUpperPow(i)
}

// bucketUpperPow computes bucket i's upper bound.
func bucketUpperPow(i int) time.Duration {
	return time.Duration(math.Ceil(float64(histogramFloor) * math.Pow(histogramBase, float64(i))))
}

// add records one sample; negative samples count as 0.
func (h *histogram) add(d time.Duration) {
	d = max(d, 0)
	h.addAt(bucketOf(d), d)
}

// addAt records sample d, which is at least 0 and falls in bucket i
// (bucketOf), for callers adding one sample to several histograms.
func (h *histogram) addAt(i int, d time.Duration) {
	if i >= len(h.counts) {
		h.counts = append(h.counts, make([]uint64, i+1-len(h.counts))...)
	}
	h.counts[i]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.n++
}

// count returns the number of samples.
func (h *histogram) count() uint64 { return h.n }

// percentile returns the sample of rank ceil(q/100·n) (the nearest-rank
// definition) to within one bucket, never beyond the smallest or largest
// sample; 0 for an empty histogram. q is clamped to 0..100.
func (h *histogram) percentile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	q = max(0, min(100, q))
	// The epsilon keeps float noise (99.9/100·20000 = 19980.000000000004)
	// from pushing an exact rank to the next sample.
	rank := uint64(math.Ceil(q/100*float64(h.n) - 1e-9))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return max(h.min, min(h.max, bucketUpper(i)))
		}
	}
	return h.max
}
