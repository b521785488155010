package main

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := parseConfig(nil, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.clients != 800 || c.runs != 1 || c.window != 10*time.Second || !slices.Equal(c.servers, []string{"tickwire", "colyseus"}) || c.sweep != nil {
		t.Errorf("defaults = %+v", c)
	}
	c, err = parseConfig([]string{"-clients", "2000"}, env(map[string]string{"TICKBENCH_CLIENTS": "5", "TICKBENCH_RUNS": "3", "TICKBENCH_SWEEP": "250, 500,1000"}), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.clients != 2000 || c.runs != 3 || !slices.Equal(c.sweep, []int{250, 500, 1000}) {
		t.Errorf("flags and env: clients %d runs %d sweep %v; want 2000 (the flag wins), 3, [250 500 1000]", c.clients, c.runs, c.sweep)
	}
	for _, bad := range [][]string{
		{"-servers", "tickwire,nginx"}, {"-sweep", "500,250"}, {"-sweep", "0"}, {"-clients", "0"},
		{"-window", "10ms"}, {"-min-delivery", "1.5"}, {"-stats-every", "1m"}, {"extra"},
	} {
		if _, err := parseConfig(bad, env(nil), &bytes.Buffer{}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := parseConfig(nil, env(map[string]string{"TICKBENCH_RUNS": "two"}), &bytes.Buffer{}); err == nil {
		t.Error("a bad environment value gave no error")
	}
}
