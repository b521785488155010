package main

import (
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/lobby"
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

// mixedBotsPerMode is how many bots TestMixedModesEndToEnd plays in each
// mode. The acceptance run is 64 a mode (docs/tickbot.md has the command
// and its figures); under the race detector on two cores 64+64 bots starve
// and their snapshot rates drift past 5 %, while 16+16 hold them with room
// to spare.
const mixedBotsPerMode = 16

// TestMixedModesEndToEnd is the acceptance run of several modes on one
// server: the shipped catalogue (arena at 60/20 Hz, drones at 30/15 Hz),
// and tickbot spreading its bots over both with -mode arena,drones. The
// run passes (every bot connected, no desync, no error) and each mode's
// bots get their own rooms' snapshot rate, within 5 %.
func TestMixedModesEndToEnd(t *testing.T) {
	const bots = 2 * mixedBotsPerMode
	url := startServer(t, nil)
	res := runTickbot(t, "-server", url, "-bots", strconv.Itoa(bots), "-mode", "arena,drones", "-ramp", "400",
		"-duration", "3s", "-behavior", "mixed", "-progress", "0")
	r := res.report
	if res.code != exitOK {
		t.Errorf("exit status %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	if got := num(t, r, "connected"); got != bots {
		t.Errorf("connected = %v, want %d", got, bots)
	}
	for _, key := range []string{"failed", "desyncs", "errors", "disconnects"} {
		if got := num(t, r, key); got != 0 {
			t.Errorf("%s = %v, want 0", key, got)
		}
	}
	if got, want := num(t, r, "rooms"), float64(2*((mixedBotsPerMode+15)/16)); got != want {
		t.Errorf("rooms = %v, want %v (16 seats a room in each mode)", got, want)
	}
	modes, _ := r["modes"].(map[string]any)
	if len(modes) != 2 {
		t.Fatalf("modes = %v, want arena and drones", r["modes"])
	}
	for name, nominal := range map[string]float64{"arena": 20, "drones": 15} {
		m, ok := modes[name].(map[string]any)
		if !ok {
			t.Errorf("modes lack %s: %v", name, modes)
			continue
		}
		if got := num(t, m, "bots"); got != mixedBotsPerMode {
			t.Errorf("%s bots = %v, want %d", name, got, mixedBotsPerMode)
		}
		if got := num(t, m, "snapshot_hz"); got != nominal {
			t.Errorf("%s snapshot_hz = %v, want %v", name, got, nominal)
		}
		if got := num(t, m, "snapshots_per_bot_per_s"); got < nominal*0.95 || got > nominal*1.05 {
			t.Errorf("%s snapshots_per_bot_per_s = %v, want %v ± 5%%", name, got, nominal)
		}
		if got := num(t, m, "desyncs"); got != 0 {
			t.Errorf("%s desyncs = %v, want 0", name, got)
		}
		for _, key := range []string{"down_bytes_per_bot_per_s", "up_bytes_per_bot_per_s"} {
			if got := num(t, m, key); got <= 0 {
				t.Errorf("%s %s = %v, want > 0", name, key, got)
			}
		}
	}
	for _, want := range []string{"mode arena", "mode drones"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.stdout)
		}
	}
	t.Logf("report: %v", r)
}

// TestSourceAddrsSpreadBots: a server that lets each client address sign
// in two guests a minute seats six bots dialing from three loopback
// addresses, and refuses the sign-ins past two of six dialing from one.
func TestSourceAddrsSpreadBots(t *testing.T) {
	skipWithoutLoopbackRange(t)
	url := startServer(t, func(c *lobby.Config) {
		c.Limits.SignInsPerAddr = lobby.Rate{N: 2, Per: time.Minute}
	})
	args := []string{"-server", url, "-bots", "6", "-ramp", "20", "-duration", "1s", "-progress", "0"}

	spread := runTickbot(t, append(args, "-source-addrs", "127.0.1.1,127.0.1.2,127.0.1.3")...)
	if spread.code != exitOK {
		t.Errorf("from three addresses: exit status %d, want 0\n%s%s", spread.code, spread.stdout, spread.stderr)
	}
	if got := num(t, spread.report, "connected"); got != 6 {
		t.Errorf("from three addresses: connected = %v, want 6", got)
	}

	// The same fleet from the one address the system picks (127.0.0.1,
	// as the server listens there), which the spread fleet did not use.
	one := runTickbot(t, args...)
	if one.code == exitOK {
		t.Errorf("from one address: exit status 0, want 1 (sign-ins past the budget refused)\n%s", one.stdout)
	}
	if got, failed := num(t, one.report, "connected"), num(t, one.report, "failed"); got != 2 || failed != 4 {
		t.Errorf("from one address: connected %v and failed %v, want the budget's 2 and 4", got, failed)
	}
	if !strings.Contains(one.stdout, "too many guest sign-ins") {
		t.Errorf("from one address: the summary names no sign-in refusal:\n%s", one.stdout)
	}
}
