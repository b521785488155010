package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestAdminKick(t *testing.T) {
	as := startAdmin(t, "tok")
	ada := joinAdmin(t, as.lobby.url, "ada")
	bob := joinAdmin(t, as.lobby.url, "bob")
	room, adaID := ada.Joined().GetRoomId(), ada.Joined().GetPlayerId()
	as.waitRoom(t, room, 2)
	before := testutil.ToFloat64(kicks)

	code, b := as.do(t, "POST", "/v1/admin/rooms/"+room+"/kick", KickRequest{Player: adaID, Reason: "spamming the chat"})
	if code != http.StatusOK {
		t.Fatalf("kick: %d %s", code, b)
	}
	var res ActionResult
	if err := json.Unmarshal(b, &res); err != nil || res.Result != "kicked" || !res.ConnectionClosed || res.Player != adaID {
		t.Fatalf("kick answer %s: want kicked with the connection closed", b)
	}
	if got := testutil.ToFloat64(kicks) - before; got != 1 {
		t.Fatalf("tickwire_admin_kicks_total rose by %v, want 1", got)
	}
	left := ada.waitFor(t, "Left", func(m *pb.ServerMessage) bool { return m.GetLeft() != nil }).GetLeft()
	if left.GetReason() != pb.CloseReason_CLOSE_REASON_KICKED || left.GetMessage() != "spamming the chat" || left.GetRoomId() != room {
		t.Fatalf("kicked player got Left %v, want KICKED with the reason", left)
	}
	select {
	case <-ada.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the kicked player's connection stayed open")
	}
	var ce *wire.CloseError
	if !errors.As(ada.Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_KICKED || !strings.Contains(ce.Message, "spamming the chat") {
		t.Fatalf("kicked client ended with %v, want KICKED and the reason", ada.Err())
	}

	// The kicked connection's session ends without holding the seat.
	waitFor(t, "the kicked connection forgotten", func() bool { return as.lobby.Counters().Connections == 1 })
	if n := as.lobby.Counters().HeldSeats; n != 0 {
		t.Fatalf("%d seats held after the kick, want none", n)
	}

	d := as.waitRoom(t, room, 1)
	if d.PlayerList[0].Name != "bob" || d.Players != 1 {
		t.Fatalf("after the kick room = %+v, want bob alone and one seat taken", d)
	}
	select {
	case <-bob.Done():
		t.Fatalf("bob's connection ended: %v", bob.Err())
	default:
	}
	if code, b := as.do(t, "POST", "/v1/admin/rooms/"+room+"/kick", KickRequest{Player: adaID}); code != http.StatusNotFound {
		t.Fatalf("second kick: %d %s, want 404", code, b)
	}
}

func TestAdminKickHeldSeat(t *testing.T) {
	as := startAdmin(t, testToken)
	ada := joinAdmin(t, as.lobby.url, "ada")
	room, id := ada.Joined().GetRoomId(), ada.Joined().GetPlayerId()
	as.waitRoom(t, room, 1)
	ada.DropConnection() // the seat is held for a reconnection
	deadline := time.Now().Add(10 * time.Second)
	for as.lobby.Counters().HeldSeats != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the dropped player's seat was never held")
		}
		time.Sleep(10 * time.Millisecond)
	}
	code, b := as.do(t, "POST", "/v1/admin/rooms/"+room+"/kick", KickRequest{Player: id})
	var res ActionResult
	if code != http.StatusOK || json.Unmarshal(b, &res) != nil || res.ConnectionClosed {
		t.Fatalf("kick of a held seat: %d %s, want ok with no connection closed", code, b)
	}
	if n := as.lobby.Counters().HeldSeats; n != 0 {
		t.Fatalf("%d seats still held after the kick", n)
	}
	var l RoomList
	as.getJSON(t, "/v1/admin/rooms", &l)
	if len(l.Rooms) == 1 && l.Rooms[0].Players != 0 {
		t.Fatalf("room still counts %d seats after the kick", l.Rooms[0].Players)
	}
}

func TestAdminClose(t *testing.T) {
	as := startAdmin(t, testToken)
	ada := joinAdmin(t, as.lobby.url, "ada")
	bob := joinAdmin(t, as.lobby.url, "bob")
	room := ada.Joined().GetRoomId()
	as.waitRoom(t, room, 2)

	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(as.url, "http")+"/v1/admin/rooms/"+room+"/watch", as.auth())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	// The upgrade completes before the room adds the spectator; the first
	// room detail is written only once it has, so a close posted after it
	// cannot overtake the watch.
	waitWatchDetail(t, ws)

	code, b := as.do(t, "POST", "/v1/admin/rooms/"+room+"/close", CloseRequest{Reason: "server maintenance"})
	if code != http.StatusAccepted {
		t.Fatalf("close: %d %s", code, b)
	}
	for _, p := range []*adminPlayer{ada, bob} {
		p.waitFor(t, "MatchResults", func(m *pb.ServerMessage) bool { return m.GetMatchResults().GetRoomId() == room })
		left := p.waitFor(t, "Left", func(m *pb.ServerMessage) bool { return m.GetLeft() != nil }).GetLeft()
		if left.GetReason() != pb.CloseReason_CLOSE_REASON_ROOM_CLOSED || !strings.Contains(left.GetMessage(), "server maintenance") {
			t.Fatalf("player got Left %v, want ROOM_CLOSED with the reason", left)
		}
	}

	// The watcher's last text frame says the room ended.
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		kind, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("watch ended without an end message: %v", err)
		}
		var m WatchMessage
		if kind == websocket.TextMessage && json.Unmarshal(b, &m) == nil && m.Type == "end" {
			if m.Reason != "room ended" {
				t.Fatalf("watch end reason %q, want room ended", m.Reason)
			}
			break
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, _ := as.do(t, "GET", "/v1/admin/rooms/"+room, nil)
		if code == http.StatusNotFound {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("closed room still answers %d", code)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitWatchDetail reads a watch stream up to its first room detail.
func waitWatchDetail(t *testing.T, ws *websocket.Conn) {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		kind, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("watch ended before the first room detail: %v", err)
		}
		var m WatchMessage
		if kind != websocket.TextMessage || json.Unmarshal(b, &m) != nil {
			continue
		}
		switch m.Type {
		case "room":
			return
		case "end":
			t.Fatalf("watch ended before the first room detail: %q", m.Reason)
		}
	}
}

func TestAdminDebug(t *testing.T) {
	as := startAdmin(t, testToken)
	ada := joinAdmin(t, as.lobby.url, "ada")
	room := ada.Joined().GetRoomId()
	as.waitRoom(t, room, 1)
	code, b := as.do(t, "POST", "/v1/admin/rooms/"+room+"/debug", DebugRequest{Command: "help"})
	var reply DebugReply
	if code != http.StatusOK || json.Unmarshal(b, &reply) != nil || reply.Reply == "" {
		t.Fatalf("debug help: %d %s, want the game's reply", code, b)
	}
}
