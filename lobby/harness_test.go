package lobby

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
)

// testServer is a lobby server on a real loopback listener.
type testServer struct {
	*Server
	http *httptest.Server
	url  string // ws://127.0.0.1:port/ws
}

// startServer starts a server with cfg (zero fields take defaults) playing
// arena with its default settings, and stops it when the test ends.
func startServer(t *testing.T, tweak func(*Config)) *testServer {
	t.Helper()
	return startServerModes(t, tweak, arenaModes(nil))
}

// arenaModes returns a catalogue of the arena, its settings adjusted by
// edit (if set).
func arenaModes(edit func(*game.Settings)) game.Modes {
	m := arena.Mode("arena")
	if edit != nil {
		edit(&m.Settings)
	}
	modes := game.NewModes()
	modes.Register(m)
	return modes
}

// startServerModes is startServer playing the modes of a catalogue.
func startServerModes(t *testing.T, tweak func(*Config), modes game.Modes) *testServer {
	t.Helper()
	return startServerLogged(t, tweak, modes, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// startServerLogged is startServerModes logging to log.
func startServerLogged(t *testing.T, tweak func(*Config), modes game.Modes, log *slog.Logger) *testServer {
	t.Helper()
	cfg := DefaultConfig()
	// These tests dial every client from one address, and are about other
	// things than the front door's budgets, which have tests of their own
	// (findings_test.go) that turn them on.
	cfg.Limits = Limits{}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := NewServer(cfg, modes, log)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	ts := &testServer{Server: srv, http: hs, url: "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws"}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		hs.Close()
	})
	return ts
}

// dial connects a Go client named name and closes it when the test ends.
func dial(t *testing.T, url, name string, tweak func(*client.ClientConfig)) *client.Client {
	t.Helper()
	cfg := client.ClientConfig{URL: url, Name: name}
	if tweak != nil {
		tweak(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("dial %s: %v", name, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}
