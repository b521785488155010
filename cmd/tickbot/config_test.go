package main

import (
	"bytes"
	"errors"
	"flag"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // substring of the error; empty: success
		check   func(t *testing.T, c config)
	}{
		{name: "defaults", check: func(t *testing.T, c config) {
			if c.server != "ws://localhost:7777/ws" || c.bots != 16 || c.duration != 10*time.Second ||
				c.ramp != 50 || c.inputHz != 30 || c.behavior != behaviorWander || c.seed != 1 || c.jsonPath != "" {
				t.Errorf("defaults = %+v", c)
			}
		}},
		{name: "flags", args: []string{"-bots", "200", "-duration", "30s", "-ramp", "20", "-behavior", "chase",
			"-input-hz", "60", "-json", "-", "-seed", "9", "-chaos-slow", "0.25", "-mode", "arena"},
			check: func(t *testing.T, c config) {
				if c.bots != 200 || c.duration != 30*time.Second || c.ramp != 20 || c.behavior != behaviorChase ||
					c.inputHz != 60 || c.jsonPath != "-" || c.seed != 9 || c.chaosSlow != 0.25 || c.mode != "arena" {
					t.Errorf("config = %+v", c)
				}
			}},
		{name: "env", env: map[string]string{"TICKBOT_BOTS": "5", "TICKBOT_CHAOS_GARBAGE": "0.5"},
			check: func(t *testing.T, c config) {
				if c.bots != 5 || c.chaosGarbage != 0.5 {
					t.Errorf("bots %d chaos-garbage %v, want 5 and 0.5 from the environment", c.bots, c.chaosGarbage)
				}
			}},
		{name: "flag beats env", args: []string{"-bots", "7"}, env: map[string]string{"TICKBOT_BOTS": "5"},
			check: func(t *testing.T, c config) {
				if c.bots != 7 {
					t.Errorf("bots = %d, want 7", c.bots)
				}
			}},
		{name: "bad env", env: map[string]string{"TICKBOT_BOTS": "many"}, wantErr: "TICKBOT_BOTS"},
		{name: "bad behavior", args: []string{"-behavior", "dance"}, wantErr: "-behavior"},
		{name: "negative bots", args: []string{"-bots", "-3"}, wantErr: "-bots"},
		{name: "zero bots", args: []string{"-bots", "0"}, wantErr: "-bots"},
		{name: "zero duration", args: []string{"-duration", "0s"}, wantErr: "-duration"},
		{name: "zero ramp", args: []string{"-ramp", "0"}, wantErr: "-ramp"},
		{name: "NaN ramp", args: []string{"-ramp", "NaN"}, wantErr: "-ramp"},
		{name: "input-hz too high", args: []string{"-input-hz", "500"}, wantErr: "-input-hz"},
		{name: "negative progress", args: []string{"-progress", "-1s"}, wantErr: "-progress"},
		{name: "stats", args: []string{"-stats", "-", "-stats-every", "250ms"},
			check: func(t *testing.T, c config) {
				if c.statsPath != "-" || c.statsEvery != 250*time.Millisecond {
					t.Errorf("stats %q every %v, want - every 250ms", c.statsPath, c.statsEvery)
				}
			}},
		{name: "cpuprofile", args: []string{"-cpuprofile", "bot.prof"},
			check: func(t *testing.T, c config) {
				if c.cpuProfile != "bot.prof" {
					t.Errorf("cpuprofile = %q", c.cpuProfile)
				}
			}},
		{name: "zero stats-every", args: []string{"-stats-every", "0s"}, wantErr: "-stats-every"},
		{name: "stats and json on stdout", args: []string{"-stats", "-", "-json", "-"}, wantErr: "only one can take stdout"},
		{name: "chaos above 1", args: []string{"-chaos-slow", "1.5"}, wantErr: "-chaos-slow"},
		{name: "negative chaos", args: []string{"-chaos-garbage", "-0.1"}, wantErr: "-chaos-garbage"},
		{name: "server as http url", args: []string{"-server", "http://localhost:7777"},
			check: func(t *testing.T, c config) {
				if c.server != "ws://localhost:7777/ws" {
					t.Errorf("server = %q, want ws://localhost:7777/ws", c.server)
				}
			}},
		{name: "server from env", env: map[string]string{"TICKBOT_SERVER": "example.com:9000"},
			check: func(t *testing.T, c config) {
				if c.server != "ws://example.com:9000/ws" {
					t.Errorf("server = %q, want ws://example.com:9000/ws", c.server)
				}
			}},
		{name: "server scheme", args: []string{"-server", "ftp://localhost:7777"}, wantErr: `-server "ftp://localhost:7777": want host:port or a ws, wss, http or https url`},
		{name: "url without host", args: []string{"-server", "ws:///ws"}, wantErr: `-server "ws:///ws": no host`},
		{name: "mode list", args: []string{"-mode", "arena,drones"},
			check: func(t *testing.T, c config) {
				if c.mode != "arena,drones" || !slices.Equal(c.modes, []string{"arena", "drones"}) {
					t.Errorf("mode %q modes %q, want arena and drones", c.mode, c.modes)
				}
			}},
		{name: "mode list from env", env: map[string]string{"TICKBOT_MODE": "drones, arena"},
			check: func(t *testing.T, c config) {
				if !slices.Equal(c.modes, []string{"drones", "arena"}) {
					t.Errorf("modes %q, want drones and arena", c.modes)
				}
			}},
		{name: "no mode", check: func(t *testing.T, c config) {
			if !slices.Equal(c.modes, []string{""}) {
				t.Errorf("modes %q, want the server's default alone", c.modes)
			}
		}},
		{name: "empty mode in a list", args: []string{"-mode", "arena,,drones"}, wantErr: `-mode "arena,,drones": an empty mode in a list`},
		{name: "trailing comma", args: []string{"-mode", "arena,"}, wantErr: `-mode "arena,": an empty mode in a list`},
		{name: "source addrs from env", env: map[string]string{"TICKBOT_SOURCE_ADDRS": "127.0.1.7, 127.0.2.0/30"},
			check: func(t *testing.T, c config) {
				want := []netip.Addr{netip.MustParseAddr("127.0.1.7"), netip.MustParseAddr("127.0.2.1"), netip.MustParseAddr("127.0.2.2")}
				if !slices.Equal(c.sources, want) {
					t.Errorf("sources %v, want %v", c.sources, want)
				}
			}},
		{name: "bad source addr", args: []string{"-source-addrs", "127.0.1.1,localhost"}, wantErr: `-source-addrs: "localhost" is neither an IP address nor a CIDR prefix`},
		{name: "source prefix too large", args: []string{"-source-addrs", "10.0.0.0/8"}, wantErr: `-source-addrs: "10.0.0.0/8" takes the list past 65536 addresses`},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unexpected arguments"},
		{name: "bad log level", args: []string{"-log-level", "loud"}, wantErr: "log level"},
		{name: "unknown flag", args: []string{"-bot", "3"}, wantErr: "-bot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, &stderr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				if !strings.Contains(stderr.String(), tt.wantErr) {
					t.Errorf("stderr %q does not explain the problem", stderr.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v (%s)", err, stderr.String())
			}
			tt.check(t, c)
		})
	}
}

// TestParseConfigUnsupported: flags the linked client library cannot honour
// are refused up front with a clear message, and accepted once it can.
func TestParseConfigUnsupported(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		supported bool
	}{
		{"room code", []string{"-room", "ABCDEF"}, supportsJoinCode},
		{"chaos disconnect", []string{"-chaos-disconnect", "0.1"}, supportsResume},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := parseConfig(tt.args, func(string) string { return "" }, &stderr)
			if tt.supported {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if !errors.Is(err, errNotSupported) || !strings.Contains(stderr.String(), "not supported by this build") {
				t.Fatalf("err = %v, stderr %q; want not supported by this build", err, stderr.String())
			}
		})
	}
}

// TestServerURL: -server takes host:port or a url of any of the four
// schemes, with or without the /ws path, and says clearly what is wrong
// with anything else, quoting what was typed.
func TestServerURL(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  string // substring of the error; empty: success
	}{
		{in: "localhost:7777", want: "ws://localhost:7777/ws"},
		{in: "127.0.0.1:9000", want: "ws://127.0.0.1:9000/ws"},
		{in: "[::1]:7777", want: "ws://[::1]:7777/ws"},
		{in: "game.example.com", want: "ws://game.example.com/ws"},
		{in: "localhost:7777/ws", want: "ws://localhost:7777/ws"},
		{in: "ws://localhost:7777", want: "ws://localhost:7777/ws"},
		{in: "ws://localhost:7777/", want: "ws://localhost:7777/ws"},
		{in: "ws://localhost:7777/ws", want: "ws://localhost:7777/ws"},
		{in: "wss://game.example.com/ws", want: "wss://game.example.com/ws"},
		{in: "http://localhost:7777", want: "ws://localhost:7777/ws"},
		{in: "http://localhost:7777/", want: "ws://localhost:7777/ws"},
		{in: "http://localhost:7777/ws", want: "ws://localhost:7777/ws"},
		{in: "https://game.example.com", want: "wss://game.example.com/ws"},
		{in: "https://game.example.com:8443/", want: "wss://game.example.com:8443/ws"},
		{in: "HTTPS://game.example.com", want: "wss://game.example.com/ws"},
		// A path other than "/" is the server's endpoint behind a proxy: kept.
		{in: "https://example.com/tickwire/ws", want: "wss://example.com/tickwire/ws"},
		{in: "ftp://localhost:7777", wantErr: `-server "ftp://localhost:7777": want host:port or a ws, wss, http or https url`},
		{in: "tcp://localhost:7777/ws", wantErr: `-server "tcp://localhost:7777/ws": want host:port`},
		{in: "ws:///ws", wantErr: `-server "ws:///ws": no host`},
		{in: "http://", wantErr: `-server "http://": no host`},
		{in: "", wantErr: `-server "": no host`},
		{in: "/ws", wantErr: `-server "/ws": no host`},
		{in: "localhost:77a7", wantErr: `-server "localhost:77a7": parse`},
		{in: "ws://local host:7777", wantErr: `-server "ws://local host:7777": parse`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := serverURL(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("serverURL(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("serverURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestSplitModes(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{""}},
		{"arena", []string{"arena"}},
		{"arena,drones", []string{"arena", "drones"}},
		{" arena , drones ", []string{"arena", "drones"}},
		{"drones,arena,drones", []string{"drones", "arena", "drones"}},
		{"arena,,drones", []string{"arena", "", "drones"}}, // refused by validate
	}
	for _, tt := range tests {
		if got := splitModes(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("splitModes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHelpNamesEveryFlag(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseConfig([]string{"-h"}, func(string) string { return "" }, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, f := range []string{"-server", "-bots", "-duration", "-ramp", "-mode", "-room", "-input-hz",
		"-behavior", "-json", "-seed", "-chaos-disconnect", "-chaos-slow", "-chaos-garbage", "$TICKBOT_BOTS"} {
		if !strings.Contains(stderr.String(), f) {
			t.Errorf("help lacks %s", f)
		}
	}
	// The synopsis explains the per-mode brains, mode lists, the server's
	// forms and the report's modes section.
	for _, s := range []string{"-mode arena,drones", "drones  wander", "the mode's pilot", "https://host",
		"host:port", `"modes" section`} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("help lacks %q", s)
		}
	}
}
