package game

import (
	"slices"
	"time"
)

// tickWindowSeconds is how much tick history Inspect's percentiles cover.
const tickWindowSeconds = 10

// rateSamples is how many once-a-second byte counter samples a rate keeps:
// the rate covers the last rateSamples-1 to rateSamples seconds.
const rateSamples = 6

// tickWindow is a ring of the latest tick durations. Room goroutine only.
type tickWindow struct {
	d    []time.Duration
	next int
	full bool
}

// newTickWindow returns a window of n durations.
func newTickWindow(n int) tickWindow { return tickWindow{d: make([]time.Duration, max(1, n))} }

// add records one tick's duration, forgetting the oldest.
func (w *tickWindow) add(d time.Duration) {
	w.d[w.next] = d
	w.next++
	if w.next == len(w.d) {
		w.next, w.full = 0, true
	}
}

// values returns a copy of the durations held, in no particular order.
func (w *tickWindow) values() []time.Duration {
	if w.full {
		return slices.Clone(w.d)
	}
	return slices.Clone(w.d[:w.next])
}

// tickPercentiles returns the nearest-rank 50th and 99th percentiles and
// the maximum of ds, which it sorts; zeros for none.
func tickPercentiles(ds []time.Duration) (p50, p99, maxD time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	slices.Sort(ds)
	rank := func(q int) time.Duration { // q in percent
		k := (q*len(ds) + 99) / 100 // ceil(q/100 · n)
		return ds[max(1, k)-1]
	}
	return rank(50), rank(99), ds[len(ds)-1]
}

// rateWindow turns a growing byte counter into a rate over the last few
// seconds, from samples taken about once a second. Room goroutine only.
type rateWindow struct {
	at   [rateSamples]time.Duration
	v    [rateSamples]uint64
	n    int // samples held
	next int // where the next sample goes
}

// add records counter value v at time t, forgetting the oldest sample.
func (w *rateWindow) add(t time.Duration, v uint64) {
	w.at[w.next], w.v[w.next] = t, v
	w.next = (w.next + 1) % rateSamples
	w.n = min(w.n+1, rateSamples)
}

// rate returns the counter's growth per second from the oldest sample to
// (now, v); 0 when there is no sample or no time has passed.
func (w *rateWindow) rate(now time.Duration, v uint64) float64 {
	if w.n == 0 {
		return 0
	}
	oldest := (w.next - w.n + rateSamples) % rateSamples
	dt := now - w.at[oldest]
	if dt <= 0 || v < w.v[oldest] {
		return 0
	}
	return float64(v-w.v[oldest]) / dt.Seconds()
}
