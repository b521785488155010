package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// golang-lru/v2's expirable cache (held seats) never stops its
		// cleanup goroutine.
		goleak.IgnoreAnyFunction("github.com/hashicorp/golang-lru/v2/expirable.NewLRU[...].func1"),
	)
}

// TestServeAndShutDown starts the real server on a loopback port, plays one
// client, reads /healthz and /metrics, then cancels as SIGTERM would: the
// client must be told the server is shutting down and run must return nil.
func TestServeAndShutDown(t *testing.T) {
	c, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-admin-addr", "", "-log-level", "error"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, c, io.Discard, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	}

	body := get(t, "http://"+addr+"/healthz")
	if strings.TrimSpace(body) != "ok" {
		t.Fatalf("/healthz = %q", body)
	}
	modes := get(t, "http://"+addr+"/v1/modes")
	const wantModes = `{"modes":[{"name":"arena","tick_hz":60,"snapshot_hz":20,"max_players":16,"min_players":1,"countdown_ms":3000,"default":true}]}`
	if strings.TrimSpace(modes) != wantModes {
		t.Fatalf("/v1/modes = %s, want %s", modes, wantModes)
	}

	dctx, dcancel := context.WithTimeout(ctx, 5*time.Second)
	defer dcancel()
	client, err := client.Dial(dctx, client.ClientConfig{URL: "ws://" + addr + "/ws", Name: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	joined, err := client.Join(dctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if joined.GetMode() != "arena" || joined.GetTickHz() != 60 || joined.GetSnapshotHz() != 20 || joined.GetMaxPlayers() != 16 {
		t.Fatalf("joined = %v, want the arena defaults", joined)
	}

	metrics := get(t, "http://"+addr+"/metrics")
	for _, name := range []string{"tickwire_process_cpu_seconds_total", "tickwire_tick_duration_seconds", "tickwire_connections"} {
		if !strings.Contains(metrics, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after shutdown")
	}
	select {
	case <-client.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("client not closed by shutdown")
	}
	var ce *wire.CloseError
	if !errors.As(client.Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN {
		t.Fatalf("client error = %v, want server shutdown", client.Err())
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return string(b)
}
