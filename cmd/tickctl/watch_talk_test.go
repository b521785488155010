package main

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

// TestWatchShowsChatAndNotices watches a room as JSON lines and as plain
// text while a player chats and the operator sends the room a notice.
func TestWatchShowsChatAndNotices(t *testing.T) {
	s := startServer(t, "s3cret")
	bots, room := startBots(t, s, 2)
	var wg sync.WaitGroup
	var jsonRun, textRun result
	wg.Add(2)
	go func() {
		defer wg.Done()
		jsonRun = s.tickctl(t, "watch", room, "-json", "-for", "1500ms")
	}()
	go func() {
		defer wg.Done()
		textRun = s.tickctl(t, "watch", room, "-for", "1500ms")
	}()
	eventually(t, "both watchers attached", func() bool { return roomDetail(t, s, room).Spectators == 2 })
	if err := bots[0].Chat("gg all"); err != nil {
		t.Fatal(err)
	}
	if r := s.tickctl(t, "notify", "-room", room, "-severity", "critical", "restart now"); r.code != 0 {
		t.Fatalf("notify: exit %d %s", r.code, r.stderr)
	}
	wg.Wait()
	var chat, notice bool
	for _, line := range strings.Split(strings.TrimSpace(jsonRun.stdout), "\n") {
		var m watchTalk
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		switch {
		case m.Type == "chat" && m.Text == "gg all" && m.Seq == 1 && m.Name == "bot0" && m.Channel == "room":
			chat = true
		case m.Type == "notice" && m.Text == "restart now" && m.Severity == "critical" && m.Scope == "room":
			notice = true
		}
	}
	if !chat || !notice {
		t.Errorf("watch -json: chat %t, notice %t; want both\n%s", chat, notice, jsonRun.stdout)
	}
	for _, want := range []string{"chat #1 bot0 [1]: gg all", "NOTICE CRITICAL (room): restart now"} {
		if !strings.Contains(textRun.stdout, want) {
			t.Errorf("watch output lacks %q:\n%s", want, textRun.stdout)
		}
	}
}
