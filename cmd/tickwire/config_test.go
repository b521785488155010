package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestParseConfigDefaults(t *testing.T) {
	c, err := parseConfig(nil, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != ":7777" || c.tickHz != 60 || c.snapshotHz != 20 || c.roomSize != 16 || c.mode != "arena" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestParseConfigEnvAndFlags(t *testing.T) {
	env := map[string]string{"TICKWIRE_ADDR": "127.0.0.1:9000", "TICKWIRE_TICK_HZ": "30"}
	c, err := parseConfig([]string{"-snapshot-hz", "10"}, func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:9000" || c.tickHz != 30 || c.snapshotHz != 10 {
		t.Fatalf("config = %+v", c)
	}
}

func TestParseConfigRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"tick too fast", []string{"-tick-hz", "200"}, "-tick-hz 200"},
		{"tick zero", []string{"-tick-hz", "0"}, "-tick-hz 0"},
		{"snapshots above ticks", []string{"-tick-hz", "30", "-snapshot-hz", "60"}, "-snapshot-hz 60"},
		{"room size", []string{"-room-size", "0"}, "-room-size 0"},
		{"frame limit", []string{"-max-frame-bytes", "10"}, "-max-frame-bytes 10"},
		{"min players above room size", []string{"-room-size", "4", "-min-players", "5"}, "-min-players 5"},
		{"short secret", []string{"-session-secret", "abc"}, "-session-secret has 3 bytes"},
		{"zero grace", []string{"-reconnect-grace", "0s"}, "-reconnect-grace 0s"},
		{"slow consumer too eager", []string{"-slow-consumer-after", "10ms"}, "-slow-consumer-after 10ms"},
		{"zero record log", []string{"-record-log-bytes", "0"}, "-record-log-bytes 0"},
		{"snapshot rate not a divisor", []string{"-snapshot-hz", "25"}, "-snapshot-hz 25: want a divisor"},
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

func TestHelpListsFlagsAndEnv(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseConfig([]string{"-h"}, func(string) string { return "" }, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"usage: tickwire", "-tick-hz", "[$TICKWIRE_TICK_HZ]", "-snapshot-hz", "-room-size", "-mode", "[$TICKWIRE_ADDR]"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
