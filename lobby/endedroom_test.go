package lobby

import (
	"context"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestQuickPlaySkipsEndedRoom: a room that has ended but whose goroutine
// has yet to return (here its end report waits; a slow recording's flush
// does in a server) takes no quick play: a new player gets a new room. (It
// used to send every quick play of the mode to that room, to be refused.)
func TestQuickPlaySkipsEndedRoom(t *testing.T) {
	release := make(chan struct{})
	srv := startServer(t, func(c *Config) {
		c.Rooms.OnMatchEnd = func(game.MatchEnd) { <-release }
	})
	defer close(release) // before the server's shutdown, which waits for the room
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	first, err := dial(t, srv.url, "first", nil).Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	live, ok := srv.Room(first.GetRoomId())
	if !ok {
		t.Fatal("the first room is not live")
	}
	live.Room.CloseWithResults("closed by the test")
	eventually(t, "the closed room to end", func() bool { return live.Room.Phase() == pb.RoomPhase_ROOM_PHASE_ENDED })
	next, err := dial(t, srv.url, "next", nil).Join(ctx, "", "")
	if err != nil {
		t.Fatalf("quick play while an ended room is still closing: %v", err)
	}
	if next.GetRoomId() == first.GetRoomId() {
		t.Fatalf("quick play seated a player in the ended room %s", first.GetRoomId())
	}
}
