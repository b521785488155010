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
