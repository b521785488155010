package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/drones"
)

func TestParseConfigDefaults(t *testing.T) {
	c, err := parseConfig(nil, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != ":7777" || c.mode != "arena" {
		t.Fatalf("defaults = %+v", c)
	}
	m, ok := c.modes.Lookup("arena")
	if !ok || m.Settings != game.DefaultSettings() {
		t.Fatalf("arena = %+v, %t: want the default settings", m, ok)
	}
	if o := *m.Options.(*arena.Options); o != arena.DefaultOptions() {
		t.Fatalf("arena options = %+v, want the defaults", o)
	}
	d, ok := c.modes.Lookup("drones")
	if !ok || d.Settings != drones.Settings() {
		t.Fatalf("drones = %+v, %t: want the drones' settings", d, ok)
	}
	if o := *d.Options.(*drones.Options); o != drones.DefaultOptions() {
		t.Fatalf("drones options = %+v, want the defaults", o)
	}
}

// TestParseConfigDronesFlags: the drones mode has its own settings and
// option flags beside arena's, and a refused option names its flag.
func TestParseConfigDronesFlags(t *testing.T) {
	c, err := parseConfig([]string{"-mode", "drones", "-drones.snapshot-hz", "10", "-drones.view-radius", "300",
		"-drones.see-through-pillars"}, func(k string) string {
		return map[string]string{"TICKWIRE_DRONES_MAX_SPEED": "150"}[k]
	}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.modes.Lookup("arena")
	d, _ := c.modes.Lookup("drones")
	if c.mode != "drones" || a.Settings != game.DefaultSettings() || d.Settings.TickHz != 30 || d.Settings.SnapshotHz != 10 {
		t.Fatalf("mode %q, arena %+v, drones %+v", c.mode, a.Settings, d.Settings)
	}
	o := *d.Options.(*drones.Options)
	if o.ViewRadius != 300 || !o.SeeThroughPillars || o.MaxSpeed != 150 || o.CoreLimit != drones.DefaultOptions().CoreLimit {
		t.Fatalf("drones options %+v: want view radius 300, through pillars, max speed 150 (env), the rest default", o)
	}
	var stderr bytes.Buffer
	if _, err := parseConfig([]string{"-drones.view-radius", "0"}, func(string) string { return "" }, &stderr); err == nil ||
		!strings.Contains(stderr.String(), "-drones.view-radius") {
		t.Fatalf("err %v, stderr %q: want -drones.view-radius 0 refused", err, stderr.String())
	}
}

func TestParseConfigEnvAndFlags(t *testing.T) {
	env := map[string]string{
		"TICKWIRE_ADDR":                 "127.0.0.1:9000",
		"TICKWIRE_ARENA_TICK_HZ":        "30",
		"TICKWIRE_ARENA_SCORE_LIMIT":    "7",
		"TICKWIRE_ARENA_MATCH_DURATION": "2m",
	}
	c, err := parseConfig([]string{"-arena.snapshot-hz", "10", "-arena.room-size", "4", "-arena.min-players", "2",
		"-arena.countdown", "0s", "-arena.max-speed", "150", "-arena.match-duration", "90s"},
		func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := c.modes.Lookup("arena")
	if want := (game.Settings{TickHz: 30, SnapshotHz: 10, MaxPlayers: 4, MinPlayers: 2}); c.addr != "127.0.0.1:9000" || m.Settings != want {
		t.Fatalf("addr %q, arena settings %+v: want %+v", c.addr, m.Settings, want)
	}
	g, err := m.NewGame(game.Config{TickHz: 30, SnapshotHz: 10, MaxPlayers: 4})
	if err != nil {
		t.Fatal(err)
	}
	o := g.(*arena.Game).Options()
	if o.ScoreLimit != 7 || o.MaxSpeed != 150 || o.MatchDuration != 90*time.Second {
		t.Fatalf("a new arena's options %+v: want score limit 7 (env), max speed 150, match 90s (the flag beats the env)", o)
	}
}

// TestParseConfigTwoModes: every mode of the catalogue has its own flags.
func TestParseConfigTwoModes(t *testing.T) {
	modes := game.NewModes()
	modes.Register(arena.Mode("arena"))
	modes.Register(arena.Mode("duel"))
	c, err := parseConfigModes(modes, []string{"-mode", "duel", "-duel.tick-hz", "30", "-duel.snapshot-hz", "10", "-duel.room-size", "2"},
		func(k string) string { return map[string]string{"TICKWIRE_DUEL_DAMAGE": "50"}[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.modes.Lookup("arena")
	d, _ := c.modes.Lookup("duel")
	if c.mode != "duel" || a.Settings != game.DefaultSettings() || d.Settings.TickHz != 30 || d.Settings.SnapshotHz != 10 || d.Settings.MaxPlayers != 2 {
		t.Fatalf("mode %q, arena %+v, duel %+v", c.mode, a.Settings, d.Settings)
	}
	if a.Options.(*arena.Options).Damage != arena.DefaultOptions().Damage || d.Options.(*arena.Options).Damage != 50 {
		t.Fatalf("damage: arena %d, duel %d: want the default and 50", a.Options.(*arena.Options).Damage, d.Options.(*arena.Options).Damage)
	}
}

func TestParseConfigRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"tick too fast", []string{"-arena.tick-hz", "200"}, "-arena.tick-hz 200: want 1 to 128"},
		{"tick zero", []string{"-arena.tick-hz", "0"}, "-arena.tick-hz 0"},
		{"snapshots above ticks", []string{"-arena.tick-hz", "30", "-arena.snapshot-hz", "60"}, "-arena.snapshot-hz 60"},
		{"snapshot rate not a divisor", []string{"-arena.snapshot-hz", "25"}, "-arena.snapshot-hz 25: want a divisor of the tick rate (60)"},
		{"room size", []string{"-arena.room-size", "0"}, "-arena.room-size 0: want 1 to 256"},
		{"room size too big", []string{"-arena.room-size", "257"}, "-arena.room-size 257"},
		{"min players above room size", []string{"-arena.room-size", "4", "-arena.min-players", "5"}, "-arena.min-players 5: want 1 to the room size (4)"},
		{"negative countdown", []string{"-arena.countdown", "-1s"}, "-arena.countdown -1s: want 0 or more"},
		{"game option out of range", []string{"-arena.score-limit", "0"}, "-arena.score-limit: want a whole number from 1"},
		{"unknown default mode", []string{"-mode", "ctf"}, `-mode "ctf": want one of [arena drones]`},
		{"the old global flags are gone", []string{"-tick-hz", "30"}, "flag provided but not defined: -tick-hz"},
		{"frame limit", []string{"-max-frame-bytes", "10"}, "-max-frame-bytes 10"},
		{"short secret", []string{"-session-secret", "abc"}, "-session-secret has 3 bytes"},
		{"zero grace", []string{"-reconnect-grace", "0s"}, "-reconnect-grace 0s"},
		{"slow consumer too eager", []string{"-slow-consumer-after", "10ms"}, "-slow-consumer-after 10ms"},
		{"zero record log", []string{"-record-log-bytes", "0"}, "-record-log-bytes 0"},
		{"unknown flag", []string{"-nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := parseConfig(tt.args, func(string) string { return "" }, &stderr)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("stderr %q lacks %q", stderr.String(), tt.want)
			}
		})
	}
}

func TestParseConfigRejectsBadEnv(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseConfig(nil, func(k string) string {
		return map[string]string{"TICKWIRE_ARENA_SNAPSHOT_HZ": "25"}[k]
	}, &stderr)
	if err == nil || !strings.Contains(stderr.String(), "-arena.snapshot-hz 25") {
		t.Fatalf("err %v, stderr %q: want the environment's snapshot rate refused", err, stderr.String())
	}
}

func TestHelpListsFlagsAndEnv(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseConfig([]string{"-h"}, func(string) string { return "" }, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	out := stderr.String()
	for _, want := range []string{"usage: tickwire", "-mode", "[$TICKWIRE_ADDR]",
		"Mode arena, room settings:", "-arena.tick-hz", "[$TICKWIRE_ARENA_TICK_HZ]", "-arena.snapshot-hz", "-arena.room-size",
		"-arena.min-players", "-arena.countdown", "Mode arena, game options:", "-arena.match-duration",
		"-arena.score-limit", "-arena.max-speed", "[$TICKWIRE_ARENA_MAX_SPEED]",
		"Mode drones, room settings:", "-drones.tick-hz", "Mode drones, game options:", "-drones.view-radius",
		"[$TICKWIRE_DRONES_VIEW_RADIUS]", "-drones.see-through-pillars",
		"Front door budgets and timeouts:", "-max-conns-per-addr", "[$TICKWIRE_MAX_CONNS_PER_ADDR]", "-signin-rate-per-addr",
		"(default 20/10s)", "-lobby-idle-timeout", "-trusted-proxy", "-allowed-origins", "-http-idle-timeout"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if strings.Contains(out, "  -tick-hz") {
		t.Error("help still lists the global -tick-hz")
	}
}

// TestUnknownEnvWarned: a TICKWIRE_ variable that overrides no flag (a
// retired global rate, a misspelling) leaves the server as it was, and the
// server says so at start instead of running silently without it.
func TestUnknownEnvWarned(t *testing.T) {
	t.Setenv("TICKWIRE_TICK_HZ", "30")          // retired: rates are per mode
	t.Setenv("TICKWIRE_ARENA_TICKHZ", "30")     // misspelt
	t.Setenv("TICKWIRE_ARENA_SCORE_LIMIT", "7") // a flag's: read, not warned of
	c, err := parseConfig(nil, os.Getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.unknownEnv, " "); got != "TICKWIRE_ARENA_TICKHZ TICKWIRE_TICK_HZ" {
		t.Fatalf("unknown variables %q, want the misspelt one and the retired one", got)
	}
	if m, _ := c.modes.Lookup("arena"); m.Settings != game.DefaultSettings() {
		t.Errorf("arena settings %+v, want the defaults: no unknown variable may change them", m.Settings)
	}
	var logs bytes.Buffer
	warnUnknownEnv(slog.New(slog.NewTextHandler(&logs, nil)), c.unknownEnv)
	for _, want := range []string{
		`msg="environment variable no longer read; ignored" name=TICKWIRE_TICK_HZ use="each mode's own, TICKWIRE_<MODE>_TICK_HZ"`,
		`msg="environment variable overrides no flag; ignored (see tickwire -h)" name=TICKWIRE_ARENA_TICKHZ`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log %q lacks %q", logs.String(), want)
		}
	}
}
