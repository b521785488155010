package main

import (
	"testing"
	"time"
)

func TestWindowOf(t *testing.T) {
	a, err := parseStatsLine([]byte(`{"t":10,"bots":4,"live":4,"seated_s":30,"snapshots":600,"bytes_in":60000,"bytes_out":9000,"inputs":900,"desyncs":0,"errors":0,"ack_ns":[[5000000,7]]}`))
	if err != nil {
		t.Fatal(err)
	}
	mid := statsLine{T: 11, AckNs: [][2]uint64{{20_000_000, 50}, {40_000_000, 49}}}
	b := statsLine{T: 12, Bots: 4, Live: 4, SeatedS: 38, Snapshots: 760, BytesIn: 76000, BytesOut: 11400,
		Inputs: 1140, Desyncs: 1, Errors: 2, AckNs: [][2]uint64{{60_000_000, 1}}}
	w := windowOf(a, b, []statsLine{mid, b})
	if w.seconds != 2 || w.clientSeconds != 8 || w.snapshots != 160 || w.bytesIn != 16000 ||
		w.bytesOut != 2400 || w.inputs != 240 || w.desyncs != 1 || w.errors != 2 {
		t.Errorf("window = %+v", w)
	}
	// The first line's samples came before the window: left out.
	if w.acks.n != 100 {
		t.Errorf("ack samples = %d, want 100", w.acks.n)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0, 20 * time.Millisecond}, {50, 20 * time.Millisecond}, {51, 40 * time.Millisecond}, {99, 40 * time.Millisecond}, {100, 60 * time.Millisecond}} {
		if got := w.acks.percentile(tt.q); got != tt.want {
			t.Errorf("p%v = %v, want %v", tt.q, got, tt.want)
		}
	}
	var empty latencies
	if got := empty.percentile(99); got != 0 {
		t.Errorf("empty p99 = %v", got)
	}
	if _, err := parseStatsLine([]byte("tickbot PASS")); err == nil {
		t.Error("a summary line parsed as stats")
	}
}
