package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestFiguresOf checks the arithmetic of one window: 100 clients for 10 s
// of lines, sampled 10 s apart by the harness.
func TestFiguresOf(t *testing.T) {
	h := &harness{cfg: config{maxAckP99: 100 * time.Millisecond, minDelivery: 0.95}, tck: 100}
	r := &trial{t: target{name: serverTickwire}, clients: 100}
	start := time.Unix(1000, 0)
	scrape := func(ticks, overruns float64) metrics {
		m, err := parseMetrics(strings.NewReader(
			"tickwire_tick_duration_seconds_bucket{le=\"0.001\"} " + formatFloat(ticks*0.99) + "\n" +
				"tickwire_tick_duration_seconds_bucket{le=\"0.002\"} " + formatFloat(ticks) + "\n" +
				"tickwire_tick_duration_seconds_bucket{le=\"+Inf\"} " + formatFloat(ticks) + "\n" +
				"tickwire_tick_overruns_total " + formatFloat(overruns) + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a := sample{at: start, serverCPU: cpuTime{user: time.Second, sys: time.Second}, loadCPU: cpuTime{user: time.Second},
		machine: machineCPU{busy: 1000, softirq: 100}, metrics: scrape(1000, 2),
		line: statsLine{T: 20, Live: 100, SeatedS: 1500, Snapshots: 30000, BytesIn: 3_000_000, BytesOut: 900_000, Inputs: 45000}}
	b := sample{at: start.Add(10 * time.Second), serverCPU: cpuTime{user: time.Second + 200*time.Millisecond, sys: time.Second + 300*time.Millisecond},
		loadCPU: cpuTime{user: time.Second + 500*time.Millisecond, sys: 100 * time.Millisecond},
		machine: machineCPU{busy: 1000 + 1400, softirq: 100 + 100}, metrics: scrape(61000, 5), rss: 100 << 20,
		line: statsLine{T: 30, Live: 100, SeatedS: 2500, Snapshots: 49800, BytesIn: 5_000_000, BytesOut: 1_200_000, Inputs: 75000}}
	between := []statsLine{{AckNs: [][2]uint64{{30_000_000, 99}, {70_000_000, 1}}}}
	f := h.figuresOf(r, a, b, between)

	want := map[string]float64{
		"server_cpu_ms_per_client_s": 0.5,  // 0.05 cores over 100 clients
		"server_cores":               0.05, // 0.5 s of CPU in 10 s
		"server_sys_share":           0.6,  // 0.3 s of it in the kernel
		"down_bytes_per_client_s":    2000, // 2 MB over 1000 client-seconds
		"up_bytes_per_client_s":      300,
		"inputs_per_client_s":        30,
		"snapshots_per_client_s":     19.8,
		"delivery":                   0.99, // 19800 of 20 × 100 × 10
		"input_ack_p50_ms":           30,
		"input_ack_p99_ms":           30,   // rank 99 of 100
		"server_rss_kib_per_client":  1024, // 100 MiB over 100 clients
		"load_cpu_ms_per_bot_s":      0.6,
		"tick_p99_ms":                1, // 99 % of the window's ticks ≤ 1 ms
		"tick_overruns":              3,
		"other_cores":                1.19, // 1.4 busy − 0.05 server − 0.06 load − 0.1 softirq
	}
	for _, d := range figureDefs {
		w, ok := want[d.key]
		if !ok || w < 0 {
			continue
		}
		if got, _ := d.get(f); math.Abs(got-w) > 1e-6 {
			t.Errorf("%s = %v, want %v", d.key, got, w)
		}
	}
	if f.ServerSysShare != 0.6 {
		t.Errorf("server sys share = %v, want 0.6 (0.3 s of the window's 0.5 s)", f.ServerSysShare)
	}
	if f.SoftirqCores != 0.1 {
		t.Errorf("softirq cores = %v, want 0.1", f.SoftirqCores)
	}
	if !f.passes(h.cfg) {
		t.Errorf("figures %+v do not pass", f)
	}
	if f.Desyncs == nil || *f.Desyncs != 0 {
		t.Errorf("desyncs = %v, want 0 for tickwire", f.Desyncs)
	}
}
