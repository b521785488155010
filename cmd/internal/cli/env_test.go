package cli

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestParsePrecedence(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want int
	}{
		{"default", nil, nil, 60},
		{"env overrides default", nil, map[string]string{"TICKWIRE_TICK_HZ": "30"}, 30},
		{"flag overrides env", []string{"-tick-hz", "90"}, map[string]string{"TICKWIRE_TICK_HZ": "30"}, 90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			hz := fs.Int("tick-hz", 60, "ticks")
			if err := Parse(fs, "TICKWIRE", tt.args, func(k string) string { return tt.env[k] }); err != nil {
				t.Fatal(err)
			}
			if *hz != tt.want {
				t.Fatalf("tick-hz = %d, want %d", *hz, tt.want)
			}
		})
	}
}

func TestEnvName(t *testing.T) {
	tests := []struct{ prefix, flag, want string }{
		{"TICKWIRE", "addr", "TICKWIRE_ADDR"},
		{"TICKWIRE", "tick-hz", "TICKWIRE_TICK_HZ"},
		{"TICKWIRE", "arena.tick-hz", "TICKWIRE_ARENA_TICK_HZ"},
		{"TICKWIRE", "arena-slow.match-duration", "TICKWIRE_ARENA_SLOW_MATCH_DURATION"},
	}
	for _, tt := range tests {
		if got := EnvName(tt.prefix, tt.flag); got != tt.want {
			t.Errorf("EnvName(%q, %q) = %q, want %q", tt.prefix, tt.flag, got, tt.want)
		}
	}
}

func TestUnknownEnv(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Int("arena.tick-hz", 60, "ticks")
	fs.String("addr", ":7777", "address")
	environ := []string{
		"HOME=/home/ada",
		"TICKWIRE_ADDR=:8000",       // a flag's
		"TICKWIRE_ARENA_TICK_HZ=30", // a flag's
		"TICKWIRE_TICK_HZ=30",       // no such flag (any more)
		"TICKWIRE_ARENA_TICKHZ=30",  // misspelt
		"TICKWIREX_ADDR=1",          // another prefix
		"TICKWIRE=1",                // the prefix alone
		"TICKWIRE_EMPTY=",           // set though empty: still named
		"TICKBOT_BOTS=5",            // another command's
		"XTICKWIRE_ADDR=:1",         // not at the start
	}
	got := UnknownEnv(fs, "TICKWIRE", environ)
	want := []string{"TICKWIRE_ARENA_TICKHZ", "TICKWIRE_EMPTY", "TICKWIRE_TICK_HZ"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("UnknownEnv = %q, want %q", got, want)
	}
}

func TestParseDottedFlagFromEnv(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	hz := fs.Int("arena.tick-hz", 60, "ticks")
	if err := Parse(fs, "TICKWIRE", nil, func(k string) string {
		return map[string]string{"TICKWIRE_ARENA_TICK_HZ": "30"}[k]
	}); err != nil {
		t.Fatal(err)
	}
	if *hz != 30 {
		t.Fatalf("arena.tick-hz = %d, want 30 from TICKWIRE_ARENA_TICK_HZ", *hz)
	}
}

func TestParseBadEnv(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Int("tick-hz", 60, "ticks")
	err := Parse(fs, "TICKWIRE", nil, func(k string) string {
		if k == "TICKWIRE_TICK_HZ" {
			return "fast"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "TICKWIRE_TICK_HZ") {
		t.Fatalf("err = %v, want one naming TICKWIRE_TICK_HZ", err)
	}
}

func TestUsageNamesEnv(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	fs.String("addr", ":7777", "listen `address`")
	fs.Usage = Usage(fs, "TICKWIRE", "usage: tickwire [flags]")
	fs.Usage()
	for _, want := range []string{"usage: tickwire", "-addr address", "(default :7777)", "[$TICKWIRE_ADDR]"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestUsageSections(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	fs.String("addr", ":7777", "listen `address`")
	fs.Int("arena.tick-hz", 60, "ticks per second")
	fs.Int("arena.score-limit", 20, "score that ends a match")
	fs.Usage = Usage(fs, "TICKWIRE", "usage: tickwire [flags]",
		Section{Title: "Mode arena, its rooms", Flags: []string{"arena.tick-hz"}},
		Section{Title: "Mode arena, its game's options", Flags: []string{"arena.score-limit"}})
	fs.Usage()
	out := buf.String()
	at := func(s string) int {
		i := strings.Index(out, s)
		if i < 0 {
			t.Fatalf("usage lacks %q:\n%s", s, out)
		}
		return i
	}
	if !(at("-addr") < at("Mode arena, its rooms:") && at("Mode arena, its rooms:") < at("-arena.tick-hz") &&
		at("-arena.tick-hz") < at("Mode arena, its game's options:") && at("Mode arena, its game's options:") < at("-arena.score-limit")) {
		t.Errorf("usage out of order:\n%s", out)
	}
	at("[$TICKWIRE_ARENA_SCORE_LIMIT]")
	if strings.Count(out, "-arena.tick-hz") != 1 {
		t.Errorf("a flag of a section is listed twice:\n%s", out)
	}
}

func TestNewLoggerRejectsUnknown(t *testing.T) {
	if _, err := NewLogger(&bytes.Buffer{}, "loud", "text"); err == nil {
		t.Error("level loud accepted")
	}
	if _, err := NewLogger(&bytes.Buffer{}, "info", "xml"); err == nil {
		t.Error("format xml accepted")
	}
}
