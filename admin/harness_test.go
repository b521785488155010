package admin

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
	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/netcode/client"
)

// lobbyServer is a lobby server on a real loopback listener.
type lobbyServer struct {
	*lobby.Server
	url string // ws://127.0.0.1:port/ws
}

// startLobby starts a lobby server playing arena with its settings
// adjusted by edit (if set), and stops it when the test ends.
func startLobby(t *testing.T, edit func(*game.Settings)) *lobbyServer {
	t.Helper()
	m := arena.Mode("arena")
	if edit != nil {
		edit(&m.Settings)
	}
	modes := game.NewModes()
	modes.Register(m)
	srv, err := lobby.NewServer(lobby.DefaultConfig(), modes, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		hs.Close()
	})
	return &lobbyServer{Server: srv, url: "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws"}
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

// timeout returns a context that ends after d or with the test.
func timeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitFor polls cond until it holds; the deadline only guards against a
// hang, it is never what a test asserts.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
