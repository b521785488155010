package lobby

import (
	"net"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// These tests pin races between a dropped connection, its reconnection and
// the held-seat cache: each lost or leaked seat once came from one of them.

type discardLink struct{}

func (discardLink) OfferSnapshot([]byte)         {}
func (discardLink) Send(*pb.ServerMessage) bool  { return true }
func (discardLink) Close(pb.CloseReason, string) {}

func helloMsg(name, token string) *pb.ClientMessage {
	return &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{
		ProtocolVersion: currentVersion, Name: name, SessionToken: token}}}
}

var joinMsg = &pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{}}}

// readUntil reads server messages until pick returns a non-nil value.
func readUntil[T any](t *testing.T, ws *websocket.Conn, pick func(*pb.ServerMessage) *T) *T {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		var m pb.ServerMessage
		if err := proto.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if v := pick(&m); v != nil {
			return v
		}
	}
}

func welcomeOf(m *pb.ServerMessage) *pb.Welcome { return m.GetWelcome() }
func joinedOf(m *pb.ServerMessage) *pb.Joined   { return m.GetJoined() }

// TestReconnectRightAfterDrop: a reconnection that races the server
// noticing the drop still resumes the seat.
func TestReconnectRightAfterDrop(t *testing.T) {
	ts := startServerModes(t, nil, arenaModes(func(s *game.Settings) { s.MaxPlayers = 64 }))
	const rounds = 150
	lost := 0
	for i := range rounds {
		a := rawDial(t, ts.url)
		rawSend(t, a, helloMsg("a", ""))
		w := readUntil(t, a, welcomeOf)
		rawSend(t, a, joinMsg)
		readUntil(t, a, joinedOf)
		b := rawDial(t, ts.url)
		if tc, ok := a.NetConn().(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, as a dropped network gives
		}
		a.Close()
		time.Sleep(time.Duration(i%50) * 20 * time.Microsecond)
		rawSend(t, b, helloMsg("", w.GetSessionToken()))
		if !readUntil(t, b, welcomeOf).GetResumed() {
			lost++
		}
		b.Close()
	}
	if lost != 0 {
		t.Fatalf("%d of %d reconnections did not resume a held seat", lost, rounds)
	}
}

// TestSecondHoldReleasesFirst: holding a seat for a session that already
// has one held releases the first instead of leaking it.
func TestSecondHoldReleasesFirst(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.ReconnectGrace = 200 * time.Millisecond })
	ctx := timeout(t, 10*time.Second)
	reg := ts.Registry()
	px, ex, err := reg.Join(ctx, JoinRequest{}, "x", discardLink{})
	if err != nil {
		t.Fatal(err)
	}
	py, ey, err := reg.Join(ctx, JoinRequest{}, "y", discardLink{})
	if err != nil {
		t.Fatal(err)
	}
	ex.room.Disconnect(px)
	ts.holds.hold("sess", &heldSeat{entry: ex, seat: px.Seat()})
	ey.room.Disconnect(py)
	ts.holds.hold("sess", &heldSeat{entry: ey, seat: py.Seat()})
	waitFor(t, "both seats released", func() bool {
		return reservedTotal(ts) == 0 && ex.room.Stats().Players == 0
	})
}

// TestJoinDuringTakeover: a join still in flight when another connection
// takes the session over must not leave a seat that nobody holds.
func TestJoinDuringTakeover(t *testing.T) {
	ts := startServerModes(t, func(c *Config) { c.ReconnectGrace = 200 * time.Millisecond },
		arenaModes(func(s *game.Settings) { s.MaxPlayers = 64 }))
	const rounds = 100
	for i := range rounds {
		a := rawDial(t, ts.url)
		rawSend(t, a, helloMsg("a", ""))
		w := readUntil(t, a, welcomeOf)
		b := rawDial(t, ts.url)
		rawSend(t, a, joinMsg)
		time.Sleep(time.Duration(i%40) * 10 * time.Microsecond)
		rawSend(t, b, helloMsg("", w.GetSessionToken()))
		if !readUntil(t, b, welcomeOf).GetResumed() {
			rawSend(t, b, joinMsg)
			readUntil(t, b, joinedOf)
		}
		a.Close()
		b.Close()
	}
	waitFor(t, "every seat released after the grace", func() bool { return reservedTotal(ts) == 0 })
}

func reservedTotal(ts *testServer) int {
	reg := ts.Registry()
	reg.mu.Lock()
	defer reg.mu.Unlock()
	n := 0
	for _, e := range reg.order {
		n += e.reserved
	}
	return n
}
