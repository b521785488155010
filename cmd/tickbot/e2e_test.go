package main

import (
	"io"
	"testing"
)

// TestFleetEndToEnd runs 32 bots for a few seconds against an in-process
// server and checks the report: everyone connected, no desync, and the
// nominal 20 snapshots per second per bot.
func TestFleetEndToEnd(t *testing.T) {
	url := startServer(t, nil)
	res := runTickbot(t, "-server", url, "-bots", "32", "-ramp", "200", "-duration", "3s",
		"-behavior", "mixed", "-progress", "0")
	r := res.report
	if res.code != exitOK {
		t.Errorf("exit status %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	if got := num(t, r, "connected"); got != 32 {
		t.Errorf("connected = %v, want 32", got)
	}
	for _, key := range []string{"failed", "desyncs", "errors", "disconnects"} {
		if got := num(t, r, key); got != 0 {
			t.Errorf("%s = %v, want 0", key, got)
		}
	}
	if got := num(t, r, "rooms"); got != 2 {
		t.Errorf("rooms = %v, want 2 (32 bots, 16 seats a room)", got)
	}
	const nominal = 20.0
	if got := num(t, r, "snapshots_per_bot_per_s"); got < nominal*0.95 || got > nominal*1.05 {
		t.Errorf("snapshots_per_bot_per_s = %v, want %v ± 5%%", got, nominal)
	}
	if got := num(t, r, "full_snapshots"); got < 32 {
		t.Errorf("full_snapshots = %v, want at least one per bot", got)
	}
	for _, key := range []string{"down_bytes_per_bot_per_s", "up_bytes_per_bot_per_s"} {
		if got := num(t, r, key); got <= 0 {
			t.Errorf("%s = %v, want > 0", key, got)
		}
	}
	for _, key := range []string{"rtt_ms", "input_ack_ms"} {
		lat, _ := r[key].(map[string]any)
		if p50, max := num(t, lat, "p50"), num(t, lat, "max"); p50 <= 0 || max < p50 {
			t.Errorf("%s = %v, want 0 < p50 <= max", key, lat)
		}
	}
	t.Logf("report: %v", r)
}

// TestGarbageBotsExpectProtocolError: bots that send malformed frames are
// closed with the protocol-error code, which the run counts as expected.
func TestGarbageBotsExpectProtocolError(t *testing.T) {
	const bots = 6
	url := startServer(t, nil)
	args := []string{"-server", url, "-bots", "6", "-ramp", "200", "-duration", "1500ms",
		"-chaos-garbage", "0.5", "-seed", "3", "-progress", "0"}
	res := runTickbot(t, args...)
	cfg, err := parseConfig(args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	garbage := 0
	for i := range bots {
		if planBot(cfg, i).garbage {
			garbage++
		}
	}
	if garbage == 0 || garbage == bots {
		t.Fatalf("seed 3 plans %d garbage bots of %d; pick a seed with some of each", garbage, bots)
	}
	if res.code != exitOK {
		t.Errorf("exit status %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	if got := num(t, res.report, "errors"); got != 0 {
		t.Errorf("errors = %v, want 0\n%s", got, res.stdout)
	}
	if got := num(t, res.report, "connected"); got != bots {
		t.Errorf("connected = %v, want %d", got, bots)
	}
	want := "garbage bot closed with protocol error"
	if !containsCount(res.stdout, want, garbage) {
		t.Errorf("summary lacks %d × %q:\n%s", garbage, want, res.stdout)
	}
}
