package main

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestKickAndClose(t *testing.T) {
	s := startServer(t, "s3cret")
	bots, room := startBots(t, s, 2)
	victim := bots[0].Joined().GetPlayerId()

	r := s.tickctl(t, "kick", room, itoa(victim), "-reason", "cheating", "-json")
	var res admin.ActionResult
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Result != "kicked" || res.Player != victim || !res.ConnectionClosed {
		t.Fatalf("kick: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	eventually(t, "the kicked bot's connection closes", func() bool {
		select {
		case <-bots[0].Done():
			return true
		default:
			return false
		}
	})
	var ce *wire.CloseError
	if !errors.As(bots[0].Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_KICKED || ce.Message != "cheating" {
		t.Fatalf("kicked bot ended with %v, want KICKED: cheating", bots[0].Err())
	}
	if m := bots[0].find(func(m *pb.ServerMessage) bool { return m.GetLeft().GetReason() == pb.CloseReason_CLOSE_REASON_KICKED }); m.GetLeft().GetMessage() != "cheating" {
		t.Fatalf("kicked bot's Left = %v, want the reason", m)
	}

	h := s.tickctl(t, "close", room, "-reason", "maintenance")
	if h.code != 0 || !strings.Contains(h.stdout, "room "+room+" is closing") {
		t.Fatalf("close: exit %d %s %s", h.code, h.stdout, h.stderr)
	}
	eventually(t, "the other bot gets results and Left{ROOM_CLOSED}", func() bool {
		res := bots[1].find(func(m *pb.ServerMessage) bool { return m.GetMatchResults() != nil })
		left := bots[1].find(func(m *pb.ServerMessage) bool { return m.GetLeft() != nil })
		return res != nil && left.GetLeft().GetReason() == pb.CloseReason_CLOSE_REASON_ROOM_CLOSED && left.GetLeft().GetMessage() == "maintenance"
	})
	eventually(t, "the room is gone", func() bool {
		r := s.tickctl(t, "room", room)
		return r.code == exitFailure && strings.Contains(r.stderr, "unknown room")
	})
}

func TestDebug(t *testing.T) {
	s := startServer(t, "s3cret")
	_, room := startBots(t, s, 1)
	r := s.tickctl(t, "debug", room, "help")
	if r.code != 0 || strings.TrimSpace(r.stdout) == "" {
		t.Fatalf("debug help: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

// TestNotifyAndMute sends notices to the whole server, a room and a player
// (every connected bot counts its own), and mutes and unmutes a player.
func TestNotifyAndMute(t *testing.T) {
	s := startServer(t, "s3cret")
	bots, room := startBots(t, s, 3)
	notices := func(b *bot) (n int, last *pb.Notice) {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, m := range b.msgs {
			if nt := m.GetNotice(); nt != nil {
				n++
				last = nt
			}
		}
		return n, last
	}
	r := s.tickctl(t, "notify", "-severity", "warning", "maintenance", "in", "5", "minutes")
	if r.code != 0 || !strings.Contains(r.stdout, "notice sent to 3 connection(s) (scope server)") {
		t.Fatalf("notify: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	for i, b := range bots {
		eventually(t, "bot "+itoa(uint32(i))+" gets the notice", func() bool { n, _ := notices(b); return n == 1 })
		if _, nt := notices(b); nt.GetText() != "maintenance in 5 minutes" ||
			nt.GetSeverity() != pb.NoticeSeverity_NOTICE_SEVERITY_WARNING || nt.GetScope() != pb.NoticeScope_NOTICE_SCOPE_SERVER {
			t.Errorf("bot %d got %v", i, nt)
		}
	}
	target := bots[2].Joined().GetPlayerId()
	r = s.tickctl(t, "notify", "-room", room, "-player", itoa(target), "-json", "just you")
	var res admin.NoticeResult
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Reached != 1 || res.Scope != "player" {
		t.Fatalf("notify player: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	eventually(t, "the player gets its notice", func() bool { n, _ := notices(bots[2]); return n == 2 })
	if n, _ := notices(bots[0]); n != 1 {
		t.Errorf("another bot has %d notices, want 1", n)
	}
	// Unknown rooms and players are named as every room command names
	// them.
	if r := s.tickctl(t, "notify", "-room", "nope", "hello"); r.code != exitFailure || !strings.Contains(r.stderr, `tickctl notify: unknown room "nope"`) {
		t.Errorf("notify to an unknown room: exit %d %s", r.code, r.stderr)
	}
	if r := s.tickctl(t, "notify", "-room", room, "-player", "999", "hello"); r.code != exitFailure || !strings.Contains(r.stderr, `unknown player 999 in room "`+room+`"`) {
		t.Errorf("notify to an unknown player: exit %d %s", r.code, r.stderr)
	}
	if r := s.tickctl(t, "notify"); r.code != exitUsage {
		t.Errorf("notify without text: exit %d, want usage", r.code)
	}

	r = s.tickctl(t, "mute", room, itoa(target))
	if r.code != 0 || !strings.Contains(r.stdout, "muted") {
		t.Fatalf("mute: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	if err := bots[2].Chat("hello?"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the muted bot is refused", func() bool {
		return bots[2].find(func(m *pb.ServerMessage) bool {
			return m.GetError().GetCode() == pb.ErrorCode_ERROR_CODE_CHAT_REFUSED
		}) != nil
	})
	if r := s.tickctl(t, "mute", "-off", room, itoa(target)); r.code != 0 || !strings.Contains(r.stdout, "unmuted") {
		t.Fatalf("unmute: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	if err := bots[2].Chat("hello!"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the others see the line", func() bool {
		return bots[0].find(func(m *pb.ServerMessage) bool { return m.GetChat().GetText() == "hello!" }) != nil
	})
}
