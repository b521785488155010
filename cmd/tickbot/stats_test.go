package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestHistogramBuckets(t *testing.T) {
	var h histogram
	if got := h.buckets(); got == nil || len(got) != 0 {
		t.Errorf("empty histogram buckets = %v, want an empty, non-nil list (JSON [])", got)
	}
	for _, d := range []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond} {
		h.add(d)
	}
	got := h.buckets()
	if len(got) != 2 || got[0][1] != 2 || got[1][1] != 1 {
		t.Fatalf("buckets = %v, want two buckets holding 2 and 1", got)
	}
	for i, b := range got {
		d := []time.Duration{10 * time.Millisecond, 30 * time.Millisecond}[i]
		if up := time.Duration(b[0]); up < d || float64(up) > float64(d)*histogramBase {
			t.Errorf("bucket %d upper bound %v does not hold %v within 1 %%", i, up, d)
		}
	}
}

// TestStatsLines checks the -stats stream: cumulative counters, and the
// input→ack samples of each interval only once.
func TestStatsLines(t *testing.T) {
	c, err := parseConfig([]string{"-bots", "2"}, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFleet(c, nil)
	f.start = time.Now().Add(-2 * time.Second)
	f.tally.connect()
	f.tally.ack(20 * time.Millisecond)
	f.bots[0].mu.Lock()
	f.bots[0].stats.Snapshots, f.bots[0].stats.BytesIn, f.bots[0].stats.InputsSent = 40, 4000, 60
	f.bots[0].inRoom = 2 * time.Second
	f.bots[0].mu.Unlock()

	first := f.takeStats(time.Now())
	if first.Bots != 2 || first.Live != 1 || first.Snapshots != 40 || first.BytesIn != 4000 || first.Inputs != 60 || first.SeatedS != 2 {
		t.Errorf("first line = %+v", first)
	}
	if len(first.AckNs) != 1 || first.AckNs[0][1] != 1 {
		t.Errorf("first line acks = %v, want the one sample", first.AckNs)
	}
	if second := f.takeStats(time.Now()); len(second.AckNs) != 0 || second.Snapshots != 40 {
		t.Errorf("second line = %+v: want the same counters and no acks", second)
	}

	// runStats writes JSON lines with the documented keys and a last one
	// when its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := runStats(ctx, f, &buf, time.Hour); err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("stats line %q: %v", buf.String(), err)
	}
	want := []string{"ack_ns", "bots", "bytes_in", "bytes_out", "desyncs", "errors", "failed", "inputs", "live", "seated_s", "snapshots", "t"}
	if got := sortedKeys(m); !slices.Equal(got, want) {
		t.Errorf("keys = %v\nwant   %v", got, want)
	}
}
