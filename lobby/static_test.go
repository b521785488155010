package lobby

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game/catalog"
)

// TestStaticHandler: with Config.Static the lobby hands every path its own
// routes do not take to it, and its routes (the WebSocket included) stay
// its own; without, those paths are 404.
func TestStaticHandler(t *testing.T) {
	static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "static "+r.Method+" "+r.URL.Path)
	})
	get := func(t *testing.T, ts *testServer, method, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.http.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	ts := startServerModes(t, func(c *Config) { c.Static = static; c.Rooms.DefaultMode = "arena" }, catalog.Builtin())
	tests := []struct {
		method, path string
		code         int
		body         string // the start of the body
	}{
		{"GET", "/", 200, "static GET /"},
		{"GET", "/assets/app.js", 200, "static GET /assets/app.js"},
		{"GET", "/healthz", 200, "ok"},
		{"GET", "/v1/modes", 200, `{"modes"`},
		{"GET", "/v1/rooms", 200, `{"rooms"`},
		{"POST", "/v1/modes", 200, "static POST /v1/modes"}, // the static handler decides
	}
	for _, tt := range tests {
		code, body := get(t, ts, tt.method, tt.path)
		if code != tt.code || len(body) < len(tt.body) || body[:len(tt.body)] != tt.body {
			t.Errorf("%s %s = %d %q, want %d %q...", tt.method, tt.path, code, body, tt.code, tt.body)
		}
	}
	c := dial(t, ts.url, "ada", nil)
	if _, err := c.Join(timeout(t, 5*time.Second), "arena", ""); err != nil {
		t.Fatalf("join beside a static handler: %v", err)
	}

	plain := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, catalog.Builtin())
	if code, _ := get(t, plain, "GET", "/"); code != http.StatusNotFound {
		t.Errorf("GET / without Static = %d, want 404", code)
	}
}
