package main

import (
	"context"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game/catalog"
	"github.com/tickwire/tickwire/lobby"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestChatAndNoticesEndToEnd runs 8 chatting bots and sends the server a
// notice mid-run: the report counts the lines each bot said, received from
// the 7 others of its room (the run is one room) and their delivery time,
// and one notice per bot.
func TestChatAndNoticesEndToEnd(t *testing.T) {
	url := startServerModes(t, catalog.Builtin(), nil)
	srv := lastServer
	const bots = 8
	done := make(chan runResult, 1)
	go func() {
		done <- runTickbot(t, "-server", url, "-bots", "8", "-ramp", "200", "-duration", "3s", "-chat", "2", "-progress", "0")
	}()
	// Once every bot is seated, tell the server; the run lasts 3 s more.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for srv.Counters().Players < bots {
		if ctx.Err() != nil {
			t.Fatal("the bots never took their seats")
		}
		time.Sleep(20 * time.Millisecond)
	}
	reached, err := srv.Notify(ctx, lobby.Notice{Scope: pb.NoticeScope_NOTICE_SCOPE_SERVER,
		Severity: pb.NoticeSeverity_NOTICE_SEVERITY_WARNING, Text: "maintenance in 5 minutes"})
	if err != nil || reached != bots {
		t.Fatalf("Notify = %d, %v; want %d", reached, err, bots)
	}
	res := <-done
	r := res.report
	if res.code != exitOK {
		t.Errorf("exit status %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	if got := num(t, r, "notices"); got != bots {
		t.Errorf("notices = %v, want %d", got, bots)
	}
	sent, received := num(t, r, "chat_sent"), num(t, r, "chat_received")
	if sent < bots*2*2 { // two lines a second for at least two seconds
		t.Errorf("chat_sent = %v, want at least %d", sent, bots*4)
	}
	// Lines said just before the end may not arrive in time; most must.
	if want := sent * (bots - 1); received > want || received < want*0.8 {
		t.Errorf("chat_received = %v, want about %v (every line by the 7 others)", received, want)
	}
	lat, _ := r["chat_ms"].(map[string]any)
	if p50, p99 := num(t, lat, "p50"), num(t, lat, "p99"); p50 <= 0 || p99 < p50 {
		t.Errorf("chat_ms = %v, want 0 < p50 <= p99", lat)
	}
	t.Logf("chat: sent %v, received %v, chat_ms %v, notices %v", sent, received, lat, r["notices"])
}
