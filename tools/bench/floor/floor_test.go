package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestServerAndLoad runs the server and the load generator on loopback and
// checks the stats lines against the rates asked for, and that frames ack
// the inputs (without the echoed sequence numbers there are no samples).
func TestServerAndLoad(t *testing.T) {
	c, err := parseConfig([]string{"-load", "-bots", "3", "-ramp", "100", "-stats-every", "250ms",
		"-room-size", "2", "-frame-bytes", "50", "-input-bytes", "9"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.server = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveOn(ctx, c, ln) }()

	loadCtx, stopLoad := context.WithTimeout(ctx, 2*time.Second)
	defer stopLoad()
	var out bytes.Buffer
	if err := runLoad(loadCtx, c, &out); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}

	var lines []statsLine
	for _, raw := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var l statsLine
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("line %q: %v", raw, err)
		}
		lines = append(lines, l)
	}
	if len(lines) < 5 {
		t.Fatalf("%d stats lines in 2 s at 250 ms", len(lines))
	}
	last := lines[len(lines)-1]
	if last.Bots != 3 || last.Failed != 0 || last.Errors != 0 {
		t.Errorf("last line %+v: want 3 bots, none failed, no errors", last)
	}
	if last.SeatedS < 3*1.5 || last.SeatedS > 3*2.1 {
		t.Errorf("seated %.2f bot-seconds in a 2 s run of 3 bots", last.SeatedS)
	}
	perBotS := func(n uint64) float64 { return float64(n) / last.SeatedS }
	if r := perBotS(last.Snapshots); r < 15 || r > 22 {
		t.Errorf("%.1f frames a bot-second, want about 20", r)
	}
	if r := perBotS(last.Inputs); r < 25 || r > 32 {
		t.Errorf("%.1f inputs a bot-second, want about 30", r)
	}
	if last.BytesIn != last.Snapshots*50 || last.BytesOut != last.Inputs*9 {
		t.Errorf("bytes in %d for %d frames of 50, out %d for %d inputs of 9",
			last.BytesIn, last.Snapshots, last.BytesOut, last.Inputs)
	}
	var samples uint64
	for _, l := range lines {
		for _, b := range l.AckNs {
			samples += b[1]
			if time.Duration(b[0]) > time.Second {
				t.Errorf("an input acked after %v on loopback", time.Duration(b[0]))
			}
		}
	}
	// An ack sample is taken when a frame acks a newer input: with 30
	// inputs and 20 frames a second, nearly every frame.
	if float64(samples) < 0.5*float64(last.Snapshots) {
		t.Errorf("%d input→ack samples for %d frames", samples, last.Snapshots)
	}
}

func TestParseSources(t *testing.T) {
	got, err := parseSources("127.1.0.0/30")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Addr{netip.MustParseAddr("127.1.0.1"), netip.MustParseAddr("127.1.0.2")}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("host addresses of a /30 = %v, want %v", got, want)
	}
	if got, _ := parseSources("127.1.0.0/16"); len(got) != 65534 {
		t.Errorf("a /16 has %d host addresses, want 65534", len(got))
	}
	if got, err := parseSources(""); err != nil || got != nil {
		t.Errorf(`"" = %v, %v; want none`, got, err)
	}
	for _, bad := range []string{"127.1.0.1", "::1/64", "127.0.0.0/31", "10.0.0.0/4", "nonsense"} {
		if _, err := parseSources(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLatencyBuckets(t *testing.T) {
	var h latencyHistogram
	for _, d := range []time.Duration{5 * time.Microsecond, 999 * time.Microsecond, 1500 * time.Microsecond, 42 * time.Millisecond, 42 * time.Millisecond} {
		h.add(d)
	}
	got := h.buckets()
	want := [][2]uint64{{10_000, 1}, {1_000_000, 1}, {1_600_000, 1}, {43_000_000, 2}}
	if len(got) != len(want) {
		t.Fatalf("buckets %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bucket %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestConfigRefusals(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-serve", "-load"},
		{"-serve", "-frame-bytes", "3"},
		{"-load", "-input-bytes", "0"},
		{"-load", "-bots", "0"},
		{"-load", "-ramp", "0"},
		{"-serve", "extra"},
	} {
		if _, err := parseConfig(args, io.Discard); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func TestProfilesOnLoopbackOnly(t *testing.T) {
	for _, bad := range []string{"0.0.0.0:7791", "10.1.2.3:7791", "localhost:7791", ":7791"} {
		if ln, err := listenLoopback(bad); err == nil {
			ln.Close()
			t.Errorf("%q accepted", bad)
		}
	}
	ln, err := listenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		serveProfiles(ctx, ln)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	resp, err := http.Get("http://" + ln.Addr().String() + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "serveProfiles") {
		t.Errorf("goroutine profile: %s\n%.300s", resp.Status, body)
	}
}
