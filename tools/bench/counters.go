package main

import (
	"math"
	"sort"
	"time"

	"github.com/tickwire/tickwire/tools/bench/loadstats"
)

// statsLine is one line of a load generator's counter stream: tickbot's
// -stats lines, and the same keys from the peer's loadgen.mjs and the
// floor.
type statsLine = loadstats.Line

// parseStatsLine decodes one line of the stream.
func parseStatsLine(b []byte) (statsLine, error) { return loadstats.Parse(b) }

// window is what a load generator saw between two of its lines.
type window struct {
	seconds       float64 // between the lines' times
	clientSeconds float64 // bot-seconds seated
	snapshots     uint64
	bytesIn       uint64
	bytesOut      uint64
	inputs        uint64
	desyncs       uint64
	errors        int
	acks          latencies
}

// windowOf returns the window from line a to line b, with the input→ack
// samples of the lines after a up to b (between).
func windowOf(a, b statsLine, between []statsLine) window {
	w := window{
		seconds:       b.T - a.T,
		clientSeconds: b.SeatedS - a.SeatedS,
		snapshots:     b.Snapshots - a.Snapshots,
		bytesIn:       b.BytesIn - a.BytesIn,
		bytesOut:      b.BytesOut - a.BytesOut,
		inputs:        b.Inputs - a.Inputs,
		desyncs:       b.Desyncs - a.Desyncs,
		errors:        b.Errors - a.Errors,
	}
	for _, l := range between {
		w.acks.add(l.AckNs)
	}
	return w
}

// latencies merges histograms of [upper bound ns, count] pairs.
type latencies struct {
	counts map[uint64]uint64
	n      uint64
}

// add merges one line's samples.
func (l *latencies) add(pairs [][2]uint64) {
	if l.counts == nil {
		l.counts = map[uint64]uint64{}
	}
	for _, p := range pairs {
		l.counts[p[0]] += p[1]
		l.n += p[1]
	}
}

// percentile returns the nearest-rank percentile q (0..100): the bucket
// bound of the sample of rank ceil(q/100·n); 0 when empty.
func (l *latencies) percentile(q float64) time.Duration {
	if l.n == 0 {
		return 0
	}
	bounds := make([]uint64, 0, len(l.counts))
	for b := range l.counts {
		bounds = append(bounds, b)
	}
	sort.Slice(bounds, func(i, j int) bool { return bounds[i] < bounds[j] })
	rank := uint64(math.Ceil(q/100*float64(l.n) - 1e-9))
	rank = max(rank, 1)
	var seen uint64
	for _, b := range bounds {
		seen += l.counts[b]
		if seen >= rank {
			return time.Duration(b)
		}
	}
	return time.Duration(bounds[len(bounds)-1])
}
