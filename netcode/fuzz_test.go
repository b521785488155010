package netcode

import (
	"errors"
	"io"
	"log/slog"
	"math"
	"testing"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// fuzzConn is a Conn with no socket: handleFrame needs only its queues and
// settings. Its reliable queue is drained by the caller.
func fuzzConn() *Conn {
	cfg := DefaultConnConfig().withDefaults()
	return &Conn{cfg: cfg, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		reliable: reliableQueue{max: cfg.ReliableQueue}}
}

// FuzzClientFrame feeds the server's decoder of client frames (the
// ClientMessage envelope, behind the rate limit) arbitrary bytes: it must
// never panic, must hand the handler only messages with a body, answer a
// Ping with a Pong, and refuse everything else with an Error and a
// PROTOCOL_ERROR close.
func FuzzClientFrame(f *testing.F) {
	for _, m := range []*pb.ClientMessage{
		{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: 1, Name: "ada", SessionToken: "x.y"}}},
		{Body: &pb.ClientMessage_Ping{Ping: &pb.Ping{ClientTimeUs: 12345}}},
		{Body: &pb.ClientMessage_Input{Input: &pb.InputBatch{AckTick: 7, Inputs: []*pb.Input{{Seq: 1, Values: []int32{1, -1}}, {Seq: math.MaxUint32}}}}},
		{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{Mode: "arena", JoinCode: "ABCD-EFGH"}}},
		{Body: &pb.ClientMessage_ListRooms{ListRooms: &pb.ListRooms{Mode: "arena", Cursor: "zz", Limit: 9999}}},
		{Body: &pb.ClientMessage_CreateRoom{CreateRoom: &pb.CreateRoom{Mode: "drones", MaxPlayers: 300, Private: true}}},
		{},
	} {
		b, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, true)
	}
	f.Add([]byte{0xff, 0xff, 0xff}, true)
	f.Add([]byte("hello"), false)
	f.Fuzz(func(t *testing.T, data []byte, binary bool) {
		c := fuzzConn()
		kind := websocket.TextMessage
		if binary {
			kind = websocket.BinaryMessage
		}
		var handled *pb.ClientMessage
		err := c.handleFrame(kind, data, newRateLimiter(c.cfg.InputRate, c.cfg.InputBurst), func(m *pb.ClientMessage) error {
			handled = m
			return nil
		})
		var queued [][]byte
		for frame, ok := c.reliable.pop(); ok; frame, ok = c.reliable.pop() {
			queued = append(queued, frame)
		}
		switch {
		case err != nil:
			var ce *wire.CloseError
			if !errors.As(err, &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR {
				t.Fatalf("refusal %v, want a PROTOCOL_ERROR close", err)
			}
			if handled != nil || len(queued) != 1 || !isError(queued[0]) {
				t.Fatalf("refused frame handled %v and queued %d messages, want one Error only", handled, len(queued))
			}
		case handled != nil:
			if handled.Body == nil || handled.GetPing() != nil {
				t.Fatalf("handler got %v, want a message with a body other than Ping", handled)
			}
		default:
			var sm pb.ServerMessage
			if len(queued) != 1 || proto.Unmarshal(queued[0], &sm) != nil || sm.GetPong() == nil {
				t.Fatalf("frame neither handled nor refused nor answered with a Pong (%d queued)", len(queued))
			}
		}
	})
}

// isError reports whether frame is a ServerMessage carrying an Error.
func isError(frame []byte) bool {
	var m pb.ServerMessage
	return proto.Unmarshal(frame, &m) == nil && m.GetError() != nil
}
