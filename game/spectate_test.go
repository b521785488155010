package game

import (
	"context"
	"errors"
	"slices"
	"testing"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestSpectate(t *testing.T) {
	g := newFakeGame()
	rr := startRoom(t, context.Background(), g, runCfg(NewManualClock(0))) // a snapshot every 2 ticks
	ctx := context.Background()
	player, pl := newFakeLink(t), (*InputPort)(nil)
	var err error
	if pl, err = rr.r.Join(ctx, "ann", player); err != nil {
		t.Fatal(err)
	}
	watcher, stayer := newFakeLink(t), newFakeLink(t)
	stop, err := rr.r.Spectate(ctx, watcher)
	if err != nil {
		t.Fatal(err)
	}
	stopStayer, err := rr.r.Spectate(ctx, stayer)
	if err != nil {
		t.Fatal(err)
	}
	defer stopStayer()
	if d, err := rr.r.Inspect(ctx); err != nil || d.Spectators != 2 || len(d.Players) != 1 {
		t.Fatalf("Inspect with 2 spectators: %+v, %v; want 2 spectators and 1 player", d, err)
	}
	rr.tick(2)
	pl.Ack(2) // the player gets deltas from now on; spectators never
	rr.tick(4)

	client := newReplica(t)
	snaps := watcher.snapshots()
	if len(snaps) != 3 {
		t.Fatalf("spectator got %d snapshots in 6 ticks, want 3", len(snaps))
	}
	for i, s := range snaps {
		if s.GetTick() != uint32(2*(i+1)) || s.GetBaseTick() != 0 {
			t.Errorf("spectator snapshot %d: tick %d base %d, want tick %d full", i, s.GetTick(), s.GetBaseTick(), 2*(i+1))
		}
		if view := client.apply(s); view.Len() != 1 || view.ID(0) != pl.Seat().EntityID() {
			t.Errorf("spectator view %+v, want ann's entity", view)
		}
	}
	if last, _ := player.lastSnapshot(t); last.GetBaseTick() == 0 {
		t.Errorf("the player's snapshot %d is full after an ack; spectating changed its baseline", last.GetTick())
	}
	for _, e := range watcher.all() {
		if e.msg.GetSnapshot() == nil {
			t.Errorf("spectator got a %T before the end, want only snapshots", e.msg.GetBody())
		}
	}
	if rr.r.Stats().Players != 1 {
		t.Errorf("Stats().Players = %d with spectators, want 1", rr.r.Stats().Players)
	}

	stop()
	stop() // twice is harmless
	n := len(watcher.all())
	rr.tick(4)
	if got := len(watcher.all()); got != n {
		t.Errorf("spectator got %d messages after stop", got-n)
	}
	rr.r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	ev := stayer.all()
	if left := ev[len(ev)-1].msg.GetLeft(); left.GetReason() != pb.CloseReason_CLOSE_REASON_ROOM_CLOSED {
		t.Errorf("a spectator's last message at the end: %v, want Left ROOM_CLOSED", ev[len(ev)-1].msg)
	}
	if len(stayer.snapshots()) != 5 {
		t.Errorf("the remaining spectator got %d snapshots in 10 ticks, want 5", len(stayer.snapshots()))
	}
	if _, err := rr.r.Spectate(ctx, newFakeLink(t)); !errors.Is(err, ErrRoomClosed) {
		t.Errorf("Spectate after the end: %v, want ErrRoomClosed", err)
	}
	if !slices.Equal(g.left, nil) {
		t.Errorf("game saw leaves %v; spectators must not be players", g.left)
	}
}

func TestSpectatorLimit(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	ctx := context.Background()
	var stops []func()
	for range MaxSpectators {
		stop, err := rr.r.Spectate(ctx, newFakeLink(t))
		if err != nil {
			t.Fatal(err)
		}
		stops = append(stops, stop)
	}
	if _, err := rr.r.Spectate(ctx, newFakeLink(t)); !errors.Is(err, ErrTooManySpectators) {
		t.Fatalf("spectator %d: %v, want ErrTooManySpectators", MaxSpectators+1, err)
	}
	stops[0]()
	if _, err := rr.r.Spectate(ctx, newFakeLink(t)); err != nil {
		t.Fatalf("spectator after one stopped: %v", err)
	}
}
