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

func TestNewLoggerRejectsUnknown(t *testing.T) {
	if _, err := NewLogger(&bytes.Buffer{}, "loud", "text"); err == nil {
		t.Error("level loud accepted")
	}
	if _, err := NewLogger(&bytes.Buffer{}, "info", "xml"); err == nil {
		t.Error("format xml accepted")
	}
}
