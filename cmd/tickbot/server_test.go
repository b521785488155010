package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/catalog"
	"github.com/tickwire/tickwire/lobby"
)

// startServer runs a lobby server of the shipped modes (arena, the default,
// and drones) on a loopback httptest listener until the test ends and
// returns its WebSocket URL. tweak, if set, adjusts the default config.
func startServer(t *testing.T, tweak func(*lobby.Config)) string {
	t.Helper()
	return startServerModes(t, catalog.Builtin(), tweak)
}

// startServerModes is startServer playing the modes of catalogue, arena
// the default.
func startServerModes(t *testing.T, catalogue game.Modes, tweak func(*lobby.Config)) string {
	t.Helper()
	cfg := lobby.DefaultConfig()
	cfg.Rooms.DefaultMode = "arena"
	// A fleet dials from one address, as a load test does: the budgets
	// per client address would refuse most of it.
	cfg.Limits = lobby.Limits{}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := lobby.NewServer(cfg, catalogue, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("server shutdown: %v", err)
		}
		hs.Close()
	})
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws"
}

// runResult is one tickbot run as a test sees it.
type runResult struct {
	code           int
	report         map[string]any // the JSON report, decoded generically
	stdout, stderr string
}

// runTickbot runs tickbot in-process with args (plus -json to a temp file)
// and returns its exit status and decoded JSON report.
func runTickbot(t *testing.T, args ...string) runResult {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.json")
	var stderr bytes.Buffer
	cfg, err := parseConfig(append(args, "-json", path), func(string) string { return "" }, &stderr)
	if err != nil {
		t.Fatalf("parse %q: %v (%s)", args, err, stderr.String())
	}
	var stdout bytes.Buffer
	res := runResult{code: run(context.Background(), cfg, output{stdout: &stdout, stderr: &stderr})}
	res.stdout, res.stderr = stdout.String(), stderr.String()
	res.report = readReport(t, path)
	return res
}

// readReport decodes a JSON report file.
func readReport(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read report: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("decode report %s: %v", data, err)
	}
	return m
}

// num returns a numeric report key, failing the test when it is missing.
func num(t *testing.T, m map[string]any, key string) float64 {
	t.Helper()
	v, ok := m[key].(float64)
	if !ok {
		t.Fatalf("report key %q = %#v, want a number", key, m[key])
	}
	return v
}

// containsCount reports whether a summary lists reason with count n.
func containsCount(summary, reason string, n int) bool {
	return strings.Contains(summary, fmt.Sprintf("%6d  %s\n", n, reason))
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
