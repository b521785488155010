package netcode

import (
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// BenchmarkConnRead measures the server's cost per client message: read,
// rate-limit, decode and hand to a handler, over loopback. The message is
// an InputBatch and the connection has an input handler, as the lobby's
// connections do.
func BenchmarkConnRead(b *testing.B) {
	done := make(chan struct{})
	var n int
	count := func() {
		if n++; n == b.N {
			close(done)
		}
	}
	s := newTestServer(b, serveOpts{
		// No message rate or read budget: they would pace the loop.
		cfg: ConnConfig{InputRate: 1e9, InputBurst: 1 << 30, ReadBytesPerSecond: 1 << 30},
		beforeServe: func(sv *served) {
			sv.conn.HandleInputs(func(*wire.InputBatch) error { count(); return nil })
		},
		handle: func(sv *served, _ *pb.ClientMessage) error {
			<-sv.got // the harness records every message; keep its buffer empty
			count()
			return nil
		},
	})
	ws, _ := s.dial(b)
	frame, err := proto.Marshal(&pb.ClientMessage{Body: &pb.ClientMessage_Input{Input: &pb.InputBatch{
		Inputs:  []*pb.Input{{Seq: 1000, Tick: 5000, Values: []int32{0, 90, -90, 1024}}, {Seq: 1001, Tick: 5001, Values: []int32{0, 90, -90, 1030}}},
		AckTick: 4990,
	}}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := ws.WriteMessage(websocket.BinaryMessage, frame); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-done:
	case <-time.After(waitLimit):
		b.Fatalf("server did not handle all %d messages", b.N)
	}
}

// BenchmarkConnSnapshotWrite measures the server's cost per snapshot frame
// from OfferSnapshot to the client, one frame in flight at a time.
func BenchmarkConnSnapshotWrite(b *testing.B) {
	s := newTestServer(b, serveOpts{})
	ws, sv := s.dial(b)
	frame := snapshotFrame(b, 1, 200) // about an arena-move snapshot
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sv.conn.OfferSnapshot(frame)
		if _, _, err := ws.ReadMessage(); err != nil {
			b.Fatal(err)
		}
	}
}
