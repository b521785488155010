package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/drones"
	"github.com/tickwire/tickwire/lobby"
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

// TestServeAndShutDown starts the real server on a loopback port, reads
// /healthz, /v1/modes and /metrics, seats one client in each mode (each
// with its own rates), then cancels as SIGTERM would: the clients must be
// told the server is shutting down and run must return nil.
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
	checkModes(t, get(t, "http://"+addr+"/v1/modes"))
	if page := get(t, "http://"+addr+"/"); !strings.Contains(page, "<title>tickwire</title>") {
		t.Fatalf("/ serves %q, want the browser game", page)
	}

	dctx, dcancel := context.WithTimeout(ctx, 5*time.Second)
	defer dcancel()
	ada, err := client.Dial(dctx, client.ClientConfig{URL: "ws://" + addr + "/ws", Name: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	defer ada.Close()
	joined, err := ada.Join(dctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if joined.GetMode() != "arena" || joined.GetTickHz() != 60 || joined.GetSnapshotHz() != 20 || joined.GetMaxPlayers() != 16 {
		t.Fatalf("joined = %v, want the arena defaults", joined)
	}
	pilot, err := client.Dial(dctx, client.ClientConfig{URL: "ws://" + addr + "/ws", Name: "pilot"})
	if err != nil {
		t.Fatal(err)
	}
	defer pilot.Close()
	joined, err = pilot.Join(dctx, "drones", "")
	if err != nil {
		t.Fatal(err)
	}
	if joined.GetMode() != "drones" || joined.GetTickHz() != 30 || joined.GetSnapshotHz() != 15 || joined.GetMaxPlayers() != 16 ||
		!proto.Equal(joined.GetSchema(), drones.Schema.Proto()) {
		t.Fatalf("joined = %v, want the drones defaults and schema", joined)
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
	for _, c := range []*client.Client{ada, pilot} {
		select {
		case <-c.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("client not closed by shutdown")
		}
		var ce *wire.CloseError
		if !errors.As(c.Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN {
			t.Fatalf("client error = %v, want server shutdown", c.Err())
		}
	}
}

// checkModes checks the body of GET /v1/modes: both shipped modes with
// their rooms' settings, arena the default, each with its schema exactly.
func checkModes(t *testing.T, body string) {
	t.Helper()
	var got lobby.ModesJSON
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("/v1/modes = %s: %v", body, err)
	}
	schemas := map[string]*wire.Schema{"arena": arena.Schema, "drones": drones.Schema}
	for i := range got.Modes {
		m := &got.Modes[i]
		var s pb.Schema
		if err := protojson.Unmarshal(m.Schema, &s); err != nil {
			t.Fatalf("mode %s schema %s: %v", m.Name, m.Schema, err)
		}
		if want := schemas[m.Name]; want == nil || !proto.Equal(&s, want.Proto()) {
			t.Errorf("mode %s schema %s, want the mode's own", m.Name, m.Schema)
		}
		m.Schema = nil
		if m.Options["match-duration"] == "" {
			t.Errorf("mode %s lists options %v, want its match-duration among them", m.Name, m.Options)
		}
		m.Options = nil
	}
	settings, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"modes":[` +
		`{"name":"arena","tick_hz":60,"snapshot_hz":20,"max_players":16,"min_players":1,"countdown_ms":3000,"default":true,"schema":null},` +
		`{"name":"drones","tick_hz":30,"snapshot_hz":15,"max_players":16,"min_players":1,"countdown_ms":3000,"default":false,"schema":null}]}`
	if string(settings) != want {
		t.Errorf("/v1/modes without schemas = %s\nwant %s", settings, want)
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
