package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// statsLine is one line of the -stats stream: the fleet's counters as of
// t, cumulative since the start, and the input→ack latencies of the
// interval since the previous line. A harness that wants the figures of a
// window subtracts the lines at its ends and merges the latencies of the
// lines between. docs/tickbot.md describes the keys; other tools parse them.
type statsLine struct {
	T       float64 `json:"t"` // seconds since the fleet started
	Bots    int     `json:"bots"`
	Live    int     `json:"live"` // connected and playing now
	Failed  int     `json:"failed"`
	Errors  int     `json:"errors"`
	SeatedS float64 `json:"seated_s"` // bot-seconds seated, summed over bots

	Snapshots uint64 `json:"snapshots"`
	BytesIn   uint64 `json:"bytes_in"`
	BytesOut  uint64 `json:"bytes_out"`
	Inputs    uint64 `json:"inputs"`
	Desyncs   uint64 `json:"desyncs"`

	// AckNs is the interval's input→ack histogram: [upper bound in ns,
	// count] for every non-empty bucket, in increasing order.
	AckNs [][2]uint64 `json:"ack_ns"`
}

// buckets returns h's non-empty buckets as [upper bound ns, count] pairs.
func (h *histogram) buckets() [][2]uint64 {
	out := [][2]uint64{}
	for i, c := range h.counts {
		if c > 0 {
			out = append(out, [2]uint64{uint64(bucketUpper(i)), c})
		}
	}
	return out
}

// takeStats returns the fleet's counters as of now, with the input→ack
// samples since the previous call.
func (f *fleet) takeStats(now time.Time) statsLine {
	tot := f.sum(now)
	tl := f.tally
	tl.mu.Lock()
	line := statsLine{
		T: round(now.Sub(f.start).Seconds(), 3), Bots: len(f.bots),
		Live: tl.live, Failed: tl.failed, Errors: sumCounts(tl.errors) + int(tot.decodeErrors),
		SeatedS:   round(tot.seated.Seconds(), 3),
		Snapshots: tot.snapshots, BytesIn: tot.bytesIn, BytesOut: tot.bytesOut,
		Inputs: tot.inputs, Desyncs: tot.desyncs,
		AckNs: tl.statsWindow.buckets(),
	}
	tl.statsWindow = histogram{}
	tl.mu.Unlock()
	return line
}

// runStats writes a statsLine to w every interval until ctx ends, and one
// last line then.
func runStats(ctx context.Context, f *fleet, w io.Writer, interval time.Duration) error {
	enc := json.NewEncoder(w)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return writeStats(enc, f.takeStats(time.Now()))
		case now := <-t.C:
			if err := writeStats(enc, f.takeStats(now)); err != nil {
				return err
			}
		}
	}
}

func writeStats(enc *json.Encoder, l statsLine) error {
	if err := enc.Encode(l); err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	return nil
}
