package main

import (
	"bytes"
	"runtime/debug"
	"testing"
)

// TestGCPercent: the collector's target comes from -gc-percent or its
// environment override; left alone, it defaults to 25 unless GOGC chose.
func TestGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want int
	}{
		{"default", nil, nil, defaultGCPercent},
		{"flag", []string{"-gc-percent", "60"}, nil, 60},
		{"environment override", nil, map[string]string{"TICKWIRE_GC_PERCENT": "40"}, 40},
		{"GOGC when the flag is left alone", nil, map[string]string{"GOGC": "70"}, 100},
		{"flag over GOGC", []string{"-gc-percent", "30"}, map[string]string{"GOGC": "70"}, 30},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			debug.SetGCPercent(100) // what the runtime read from GOGC, in this test
			c.gc.apply(func(k string) string { return tt.env[k] })
			if got := debug.SetGCPercent(100); got != tt.want {
				t.Errorf("collector target %d, want %d", got, tt.want)
			}
		})
	}
}
