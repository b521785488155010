package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseConfigCluster(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		url, id string
	}{
		{name: "alone", args: nil},
		{name: "from the environment, url from -addr", args: []string{"-addr", "10.1.2.3:7000"},
			env: map[string]string{"TICKWIRE_DIRECTORY": "redis://127.0.0.1:6379/0", "TICKWIRE_SESSION_SECRET": "0123456789abcdef0123"},
			url: "ws://10.1.2.3:7000/ws", id: "10.1.2.3-7000"},
		{name: "flags", args: []string{"-directory", "rediss://u:p@redis:6380/1", "-session-secret", "0123456789abcdef0123",
			"-public-url", "wss://game-1.example.com/ws", "-node-id", "game-1"},
			url: "wss://game-1.example.com/ws", id: "game-1"},
		{name: "no secret", args: []string{"-directory", "redis://127.0.0.1:6379"}, wantErr: "needs -session-secret"},
		{name: "bad public url", args: []string{"-directory", "redis://127.0.0.1:6379", "-session-secret", "0123456789abcdef0123",
			"-public-url", "http://x/ws"}, wantErr: "-public-url"},
		{name: "ttl under two heartbeats", args: []string{"-directory", "redis://127.0.0.1:6379", "-session-secret", "0123456789abcdef0123",
			"-directory-ttl", "1s"}, wantErr: "-directory-ttl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseConfig(append([]string{"-admin-addr", ""}, tt.args...), env(tt.env), &stderr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(stderr.String(), tt.wantErr) {
					t.Fatalf("err %v, stderr %q: want %q", err, stderr.String(), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v: %s", err, stderr.String())
			}
			if c.publicURL != tt.url || c.nodeID != tt.id {
				t.Errorf("public url %q, node id %q; want %q, %q", c.publicURL, c.nodeID, tt.url, tt.id)
			}
		})
	}
}
