package lobby

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// currentVersion is the protocol version this server speaks.
const currentVersion = uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT)

// rawDial opens a plain WebSocket to the server, for tests that speak the
// protocol badly on purpose.
func rawDial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func rawSend(t *testing.T, ws *websocket.Conn, msg *pb.ClientMessage) {
	t.Helper()
	b, err := proto.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
		t.Fatal(err)
	}
}

// readUntilClose collects the server messages until the close frame and
// returns them with the close code and text.
func readUntilClose(t *testing.T, ws *websocket.Conn) ([]*pb.ServerMessage, int, string) {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var msgs []*pb.ServerMessage
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("read: %v (want a close frame)", err)
			}
			return msgs, ce.Code, ce.Text
		}
		var m pb.ServerMessage
		if err := proto.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, &m)
	}
}

func TestHandshakeRefusals(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.HelloTimeout = 300 * time.Millisecond })
	tests := []struct {
		name      string
		send      *pb.ClientMessage // nil: say nothing
		wantError pb.ErrorCode      // 0: no Error expected
		wantClose pb.CloseReason
		wantText  string
		metric    string
	}{
		{"wrong version", &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: 1, Name: "ada"}}},
			pb.ErrorCode_ERROR_CODE_UNSUPPORTED_VERSION, pb.CloseReason_CLOSE_REASON_VERSION_MISMATCH, "protocol version 1 is not supported", "version"},
		{"join before hello", &pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{}}},
			pb.ErrorCode_ERROR_CODE_HELLO_REQUIRED, pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, "hello required", "hello_required"},
		{"input before hello", &pb.ClientMessage{Body: &pb.ClientMessage_Input{Input: &pb.InputBatch{Inputs: []*pb.Input{{Seq: 1}}}}},
			pb.ErrorCode_ERROR_CODE_HELLO_REQUIRED, pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, "hello required", "hello_required"},
		{"bad name", &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: currentVersion, Name: "<script>"}}},
			pb.ErrorCode_ERROR_CODE_INVALID_NAME, pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, "invalid name", "name"},
		{"silence", nil, 0, pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, "no hello within 300ms", "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := testutil.ToFloat64(handshakeFailures.WithLabelValues(tt.metric))
			ws := rawDial(t, ts.url)
			if tt.send != nil {
				rawSend(t, ws, tt.send)
			}
			msgs, code, text := readUntilClose(t, ws)
			if code != wire.CloseCode(tt.wantClose) {
				t.Errorf("close code %d, want %d", code, wire.CloseCode(tt.wantClose))
			}
			if !strings.Contains(text, tt.wantText) {
				t.Errorf("close text %q lacks %q", text, tt.wantText)
			}
			var gotError pb.ErrorCode
			var closing *pb.Closing
			for _, m := range msgs {
				if e := m.GetError(); e != nil {
					gotError = e.GetCode()
				}
				if c := m.GetClosing(); c != nil {
					closing = c
				}
			}
			if gotError != tt.wantError {
				t.Errorf("error code %v, want %v", gotError, tt.wantError)
			}
			if closing.GetReason() != tt.wantClose {
				t.Errorf("closing reason %v, want %v", closing.GetReason(), tt.wantClose)
			}
			if got := testutil.ToFloat64(handshakeFailures.WithLabelValues(tt.metric)) - before; got != 1 {
				t.Errorf("handshake failures{%s} rose by %v, want 1", tt.metric, got)
			}
		})
	}
}

func TestDialVersionMismatchIsClear(t *testing.T) {
	ts := startServer(t, nil)
	ws := rawDial(t, ts.url)
	rawSend(t, ws, &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: 99, Name: "old"}}})
	msgs, code, _ := readUntilClose(t, ws)
	if code != 4007 {
		t.Fatalf("close code %d, want 4007", code)
	}
	if len(msgs) == 0 || !strings.Contains(msgs[0].GetError().GetMessage(), fmt.Sprintf("this server speaks %d", currentVersion)) {
		t.Fatalf("first message %v does not say which version the server speaks", msgs)
	}
}

func TestJoinErrorsKeepConnection(t *testing.T) {
	ts := startServerModes(t, nil, arenaModes(func(s *game.Settings) { s.MaxPlayers = 2 }))
	c := dial(t, ts.url, "ada", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	tests := []struct {
		name, mode, room string
		want             pb.ErrorCode
	}{
		{"unknown room", "arena", "nope", pb.ErrorCode_ERROR_CODE_UNKNOWN_ROOM},
		{"unknown mode", "chess", "", pb.ErrorCode_ERROR_CODE_UNKNOWN_MODE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := testutil.ToFloat64(joinsTotal.WithLabelValues(strings.ReplaceAll(tt.name, " ", "_")))
			_, err := c.Join(ctx, tt.mode, tt.room)
			var se *client.ServerError
			if !errors.As(err, &se) || se.Code != tt.want {
				t.Fatalf("join error %v, want server error %v", err, tt.want)
			}
			if got := testutil.ToFloat64(joinsTotal.WithLabelValues(strings.ReplaceAll(tt.name, " ", "_"))) - before; got != 1 {
				t.Errorf("joins{%s} rose by %v, want 1", tt.name, got)
			}
		})
	}

	// The connection survived the refusals: quick play still works.
	joined, err := c.Join(ctx, "", "")
	if err != nil {
		t.Fatalf("join after refusals: %v", err)
	}
	if _, err := c.Join(ctx, "", ""); !isServerError(err, pb.ErrorCode_ERROR_CODE_ALREADY_IN_ROOM) {
		t.Fatalf("second join: %v, want ALREADY_IN_ROOM", err)
	}

	// Fill the room, then a join by id is refused as full.
	other := dial(t, ts.url, "bob", nil)
	if j, err := other.Join(ctx, "", joined.GetRoomId()); err != nil || j.GetRoomId() != joined.GetRoomId() {
		t.Fatalf("bob join by id: %v %v", j, err)
	}
	third := dial(t, ts.url, "cy", nil)
	if _, err := third.Join(ctx, "", joined.GetRoomId()); !isServerError(err, pb.ErrorCode_ERROR_CODE_ROOM_FULL) {
		t.Fatalf("join of a full room: %v, want ROOM_FULL", err)
	}
	// Quick play opens a second room instead.
	j3, err := third.Join(ctx, "", "")
	if err != nil || j3.GetRoomId() == joined.GetRoomId() {
		t.Fatalf("quick play beside a full room: %v %v", j3, err)
	}
}

func TestQuickPlayFillsOldestRoomFirst(t *testing.T) {
	ts := startServerModes(t, nil, arenaModes(func(s *game.Settings) { s.MaxPlayers = 4 }))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var order []string
	count := map[string]int{}
	for i := range 10 {
		c := dial(t, ts.url, "p"+string(rune('a'+i)), nil)
		j, err := c.Join(ctx, "arena", "")
		if err != nil {
			t.Fatal(err)
		}
		if count[j.GetRoomId()] == 0 {
			order = append(order, j.GetRoomId())
		}
		count[j.GetRoomId()]++
	}
	if len(order) != 3 || count[order[0]] != 4 || count[order[1]] != 4 || count[order[2]] != 2 {
		t.Fatalf("rooms filled as %v in order %v, want 4,4,2", count, order)
	}
}

func TestLeaveAndRejoin(t *testing.T) {
	ts := startServer(t, nil)
	left := make(chan *pb.Left, 4)
	c := dial(t, ts.url, "ada", func(cfg *client.ClientConfig) {
		cfg.OnMessage = func(m *pb.ServerMessage) {
			if l := m.GetLeft(); l != nil {
				left <- l
			}
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	j, err := c.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Leave(); err != nil {
		t.Fatal(err)
	}
	select {
	case l := <-left:
		if l.GetReason() != pb.CloseReason_CLOSE_REASON_NORMAL || l.GetRoomId() != j.GetRoomId() {
			t.Fatalf("left = %v", l)
		}
	case <-ctx.Done():
		t.Fatal("no Left after LeaveRoom")
	}
	j2, err := c.Join(ctx, "", "")
	if err != nil {
		t.Fatalf("rejoin: %v", err)
	}
	if j2.GetRoomId() != j.GetRoomId() || j2.GetPlayerId() == j.GetPlayerId() {
		t.Fatalf("rejoin = %v, want the same room with a new player id (was %v)", j2, j)
	}
}

// TestGarbageDoesNotHurtOthers: a client sending malformed frames is closed
// with a protocol error while a player in the same room keeps its snapshots.
func TestGarbageDoesNotHurtOthers(t *testing.T) {
	ts := startServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	good := dial(t, ts.url, "good", nil)
	if _, err := good.Join(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	bad := rawDial(t, ts.url)
	rawSend(t, bad, &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: currentVersion, Name: "bad"}}})
	if err := bad.WriteMessage(websocket.BinaryMessage, []byte{0xff, 0xff, 0xff}); err != nil {
		t.Fatal(err)
	}
	_, code, _ := readUntilClose(t, bad)
	if code != wire.CloseCode(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR) {
		t.Fatalf("garbage closed with %d, want protocol error", code)
	}
	before := good.Stats().Snapshots
	deadline := time.Now().Add(5 * time.Second)
	for good.Stats().Snapshots < before+10 {
		if time.Now().After(deadline) {
			t.Fatalf("good player stalled at %d snapshots after the bad one was closed", good.Stats().Snapshots)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if good.Stats().Desyncs != 0 {
		t.Fatalf("good player saw %d desyncs", good.Stats().Desyncs)
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"  Ada  ", "Ada", true},
		{"Zoë_99 ok!", "Zoë_99 ok!", true},
		{"", "", false},
		{"   ", "", false},
		{strings.Repeat("x", MaxNameLength), strings.Repeat("x", MaxNameLength), true},
		{strings.Repeat("x", MaxNameLength+1), "", false},
		{"a<b", "", false},
		{"tab\there", "", false},
		{"bad\xffutf8", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ValidateName(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ValidateName(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func isServerError(err error, code pb.ErrorCode) bool {
	var se *client.ServerError
	return errors.As(err, &se) && se.Code == code
}

// TestConnectionLimitSaysWhy: past -max-conns the upgrade is refused and
// the Go client's error carries the server's reason.
func TestConnectionLimitSaysWhy(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxConnections = 1 })
	dial(t, ts.url, "first", nil)
	before := testutil.ToFloat64(connectionsRefused.WithLabelValues("too_many_connections"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := client.Dial(ctx, client.ClientConfig{URL: ts.url, Name: "second"})
	if err == nil || !strings.Contains(err.Error(), "limit of 1 connections") {
		t.Fatalf("second dial: %v, want the connection limit named", err)
	}
	if got := testutil.ToFloat64(connectionsRefused.WithLabelValues("too_many_connections")) - before; got != 1 {
		t.Fatalf("refusals metric rose by %v, want 1", got)
	}
}
