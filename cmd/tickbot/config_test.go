package main

import (
	"bytes"
	"errors"
	"flag"
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
		{name: "chaos above 1", args: []string{"-chaos-slow", "1.5"}, wantErr: "-chaos-slow"},
		{name: "negative chaos", args: []string{"-chaos-garbage", "-0.1"}, wantErr: "-chaos-garbage"},
		{name: "http url", args: []string{"-server", "http://localhost:7777/ws"}, wantErr: "-server"},
		{name: "url without host", args: []string{"-server", "ws:///ws"}, wantErr: "-server"},
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
}
