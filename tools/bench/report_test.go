package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{3, 1}, 2}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
}

func TestRatiosAndTable(t *testing.T) {
	tw := &figures{Server: serverTickwire, Live: 800, ServerCPUMsPerClientS: 1.1, DownBytesPerClientS: 2000,
		InputAckP99Ms: 50, TickP99Ms: ptr(0.4), Desyncs: ptr(uint64(0))}
	peer := &figures{Server: serverPeer, Live: 800, ServerCPUMsPerClientS: 1.0, DownBytesPerClientS: 4000, InputAckP99Ms: 0}
	r := ratios(tw, peer)
	if r["server_cpu_ms_per_client_s"] != 1.1 || r["down_bytes_per_client_s"] != 0.5 {
		t.Errorf("ratios = %v", r)
	}
	if _, ok := r["input_ack_p99_ms"]; ok {
		t.Error("a ratio over a zero figure was given")
	}
	if _, ok := r["tick_p99_ms"]; ok {
		t.Error("a ratio of a tickwire-only figure was given")
	}
	if ratios(tw, nil) != nil {
		t.Error("ratios with one server missing")
	}

	tw2 := *tw
	tw2.ServerCPUMsPerClientS = 1.3
	rep := &scenarioReport{Clients: 800, Settings: settings{WindowS: 10, Servers: []string{serverTickwire, serverPeer}},
		Runs: []pairRun{
			{Figures: map[string]*figures{serverTickwire: tw, serverPeer: peer}, Ratio: ratios(tw, peer)},
			{Figures: map[string]*figures{serverTickwire: &tw2, serverPeer: peer}, Ratio: ratios(&tw2, peer)},
		}}
	rep.medians()
	if got := rep.Median[serverTickwire]["server_cpu_ms_per_client_s"]; math.Abs(got-1.2) > 1e-9 {
		t.Errorf("median cpu = %v, want 1.2", got)
	}
	if got := rep.Median["ratio"]["server_cpu_ms_per_client_s"]; got != 1.2 {
		t.Errorf("median ratio = %v, want 1.2", got)
	}
	if _, ok := rep.Median[serverPeer]["tick_p99_ms"]; ok {
		t.Error("the peer has a tick p99 median")
	}
	var buf bytes.Buffer
	if err := rep.writeTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"| server CPU, ms per client-second | 1.200 (1.100 / 1.300) | 1.000 (1.000 / 1.000) | 1.20× (1.10× / 1.30×) |",
		"| tick duration p99, ms | 0.400 (0.400 / 0.400) | – | |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestPasses(t *testing.T) {
	c := config{minDelivery: 0.95, maxAckP99: 100 * time.Millisecond}
	tests := []struct {
		f    figures
		want bool
	}{
		{figures{Delivery: 0.99, InputAckP99Ms: 60}, true},
		{figures{Delivery: 0.95, InputAckP99Ms: 100}, true},
		{figures{Delivery: 0.94, InputAckP99Ms: 60}, false},
		{figures{Delivery: 1, InputAckP99Ms: 100.5}, false},
	}
	for _, tt := range tests {
		if got := tt.f.passes(c); got != tt.want {
			t.Errorf("passes(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}

func TestCPUModel(t *testing.T) {
	info := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	if got := cpuModel(info); got != "AMD EPYC 7B13" {
		t.Errorf("cpuModel = %q", got)
	}
}

func TestTableWithTheFloor(t *testing.T) {
	tw := &figures{Server: serverTickwire, Live: 800, ServerCPUMsPerClientS: 0.9, TickP99Ms: ptr(0.4), Desyncs: ptr(uint64(0))}
	floor := &figures{Server: serverFloor, Live: 800, ServerCPUMsPerClientS: 0.6}
	peer := &figures{Server: serverPeer, Live: 800, ServerCPUMsPerClientS: 0.8}
	rep := &scenarioReport{Clients: 800, Settings: settings{WindowS: 10, Servers: []string{serverTickwire, serverFloor, serverPeer}},
		Runs: []pairRun{{Figures: map[string]*figures{serverTickwire: tw, serverFloor: floor, serverPeer: peer},
			Ratio: ratios(tw, peer), FloorRatio: ratios(floor, peer)}}}
	rep.medians()
	if got := rep.Median["floor_ratio"]["server_cpu_ms_per_client_s"]; got != 0.75 {
		t.Errorf("median floor ratio = %v, want 0.75", got)
	}
	var buf bytes.Buffer
	if err := rep.writeTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"| figure | tickwire | floor | colyseus | tickwire / colyseus | floor / colyseus |",
		"| server CPU, ms per client-second | 0.900 | 0.600 | 0.800 | 1.12× | 0.75× |",
		"| tick duration p99, ms | 0.400 | – | – | | |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	// Without the peer there is nothing to divide by.
	rep.Settings.Servers = []string{serverTickwire, serverFloor}
	buf.Reset()
	if err := rep.writeTable(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "/ colyseus") {
		t.Errorf("a ratio column without the peer:\n%s", buf.String())
	}
}
