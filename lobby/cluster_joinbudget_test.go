package lobby

import (
	"context"
	"testing"
	"time"

	"github.com/tickwire/tickwire/directory/redistest"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestClusterRedirectStepBudgets: the second step of a redirect (a join
// with a signed reservation) spends no miss when its room is gone, since
// the server's race is not the player's guess, but a failed one counts as
// a refusal, so that replaying a token cannot go on unbounded.
func TestClusterRedirectStepBudgets(t *testing.T) {
	srv := redistest.Start(t)
	node := startNode(t, srv, "n0", func(c *Config) {
		c.Limits.JoinMissesPerSession = Rate{N: 1, Per: time.Hour}
		c.Limits.RefusalsPerConn = Rate{N: 3, Per: time.Hour}
	})
	ws := rawDial(t, node.url)
	rawSend(t, ws, helloMsg("ann", ""))
	welcome := readUntil(t, ws, (*pb.ServerMessage).GetWelcome)
	token := node.signer.signReservation(reservationClaims{room: "gone-room", id: "r1",
		session: welcome.GetSessionId(), expires: time.Now().Add(time.Minute)})
	redirectStep := &pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{
		RoomId: "gone-room", Reservation: token}}}
	errorOf := func() pb.ErrorCode {
		t.Helper()
		return readUntil(t, ws, (*pb.ServerMessage).GetError).GetCode()
	}

	rawSend(t, ws, redirectStep) // refusal 1
	if code := errorOf(); code != pb.ErrorCode_ERROR_CODE_UNKNOWN_ROOM {
		t.Fatalf("the redirect step into a gone room: %v, want UNKNOWN_ROOM", code)
	}
	// The session's one miss is still unspent: a wrong code is answered.
	rawSend(t, ws, &pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{JoinCode: "ZZZZZZ"}}}) // refusal 2
	if code := errorOf(); code != pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE {
		t.Fatalf("a wrong code after a failed redirect step: %v, want UNKNOWN_CODE", code)
	}
	rawSend(t, ws, redirectStep) // refusal 3
	errorOf()
	rawSend(t, ws, redirectStep) // the fourth: closed
	_, code, _ := readUntilClose(t, ws)
	if code != wire.CloseCode(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR) {
		t.Fatalf("replaying a reservation past the refusals: close %d, want PROTOCOL_ERROR", code)
	}
}

// TestClusterQuickPlaySkipsEndedRoom: a room that ended is marked so in
// the directory at once, so quick play on another node no longer places a
// player there while the room's goroutine still flushes a recording to a
// writer that waits.
func TestClusterQuickPlaySkipsEndedRoom(t *testing.T) {
	srv := redistest.Start(t)
	n0 := startNode(t, srv, "n0", nil)
	n1 := startNode(t, srv, "n1", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	first, err := dial(t, n0.url, "first", nil).Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	live, ok := n0.Room(first.GetRoomId())
	if !ok {
		t.Fatal("the first room is not live")
	}
	// Its first Write waits: the room's end then waits for it (up to the
	// recorder's flush timeout, 5 s).
	w := &stallingWriter{release: make(chan struct{})}
	defer close(w.release) // before the nodes' shutdown, which waits for the room
	if err := live.Recorder.Start(ctx, w); err != nil {
		t.Fatal(err)
	}
	live.Room.CloseWithResults("closed by the test")
	eventually(t, "the closed room to end", func() bool { return live.Room.Phase() == pb.RoomPhase_ROOM_PHASE_ENDED })
	// The directory's write is asynchronous: give it a moment, well
	// within the room's wait for its writer.
	time.Sleep(300 * time.Millisecond)
	for _, r := range n0.registry.clusterRooms() {
		if r.ID == first.GetRoomId() {
			t.Errorf("the ended room is among the rooms a re-registration would write back, phase %q", r.Phase)
		}
	}
	select {
	case <-live.Room.Done():
		t.Fatal("the room finished before the test could join; the writer did not hold it")
	default:
	}
	next, err := dial(t, n1.url, "next", nil).Join(ctx, "", "")
	if err != nil {
		t.Fatalf("quick play on another node while an ended room is closing: %v", err)
	}
	if next.GetRoomId() == first.GetRoomId() {
		t.Fatalf("quick play placed a player in the ended room %s", first.GetRoomId())
	}
}

// stallingWriter takes a recording's bytes only once released.
type stallingWriter struct {
	release chan struct{}
}

func (w *stallingWriter) Write(b []byte) (int, error) {
	<-w.release
	return len(b), nil
}
