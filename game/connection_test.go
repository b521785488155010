package game

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestDisconnectAndResume(t *testing.T) {
	g := newFakeGame()
	var log changeLog
	cfg := runCfg(NewManualClock(0)) // snapshots every 2 ticks, match at once
	cfg.OnChange = log.record
	rr := startRoom(t, context.Background(), g, cfg)
	ctx := context.Background()
	heldBefore, resumesBefore := testutil.ToFloat64(seatsHeld), testutil.ToFloat64(seatResumes)

	oldLink := newFakeLink(t)
	oldPort, err := rr.r.Join(ctx, "ann", oldLink)
	if err != nil {
		t.Fatal(err)
	}
	a := oldPort.Seat()
	otherLink := newFakeLink(t)
	if _, err := rr.r.Join(ctx, "bob", otherLink); err != nil {
		t.Fatal(err)
	}
	oldPort.PushInputs(inputs(1, 2, 3))
	rr.tick(2) // snapshot at 2
	oldPort.Ack(2)
	rr.tick(2) // delta 2 -> 4
	if snap, _ := oldLink.lastSnapshot(t); snap.GetTick() != 4 || snap.GetBaseTick() != 2 {
		t.Fatalf("before the drop: snapshot %d base %d, want 4 base 2", snap.GetTick(), snap.GetBaseTick())
	}

	// The connection drops: 4 and 5 were queued but not yet applied, 6
	// arrives after the drop.
	oldPort.PushInputs(inputs(4, 5))
	disconnectedBefore := testutil.ToFloat64(droppedDisconnected)
	rr.r.Disconnect(oldPort)
	if oldPort.Attached() {
		t.Error("Attached() true right after Disconnect")
	}
	oldPort.PushInputs(inputs(6)) // dropped
	if got := testutil.ToFloat64(droppedDisconnected) - disconnectedBefore; got != 3 {
		t.Errorf("dropped as disconnected: %v, want 3 (4 and 5 queued, 6 after)", got)
	}
	waitFor(t, "Game.Disconnected", func() bool { _, d, _ := g.hooks(); return len(d) == 1 })
	if _, d, _ := g.hooks(); d[0] != a.Player() {
		t.Errorf("Disconnected(%d), want player %d", d[0], a.Player())
	}
	if got := testutil.ToFloat64(seatsHeld) - heldBefore; got != 1 {
		t.Errorf("tickwire_seats_held rose by %v, want 1", got)
	}
	seen := len(oldLink.all())
	rr.tick(6)
	if n := len(oldLink.all()); n != seen {
		t.Errorf("old link got %d messages after Disconnect", n-seen)
	}
	if got := g.appliedSeqs(a.Player()); !slices.Equal(got, []uint32{1, 2, 3}) {
		t.Errorf("applied %v, want [1 2 3]: inputs of a disconnected seat must be ignored", got)
	}
	if st := rr.r.Stats(); st.Players != 2 || st.Connected != 1 {
		t.Errorf("stats %d players %d connected, want 2 and 1 (one held)", st.Players, st.Connected)
	}
	if snap, _ := otherLink.lastSnapshot(t); snap.GetTick() != 10 {
		t.Errorf("other player's last snapshot at %d, want 10", snap.GetTick())
	}
	if last := log.last(); last.Players != 2 || last.Connected != 1 {
		t.Errorf("OnChange after the drop %+v, want 2 players, 1 connected", last)
	}

	// The player comes back on a new connection.
	newLink := newFakeLink(t)
	newPort, err := rr.r.Resume(ctx, a, newLink)
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if !newPort.Attached() || oldPort.Attached() || newPort.Seat() != a {
		t.Errorf("after Resume: new port attached %t, old %t, seat %p; want the new one attached to %p",
			newPort.Attached(), oldPort.Attached(), newPort.Seat(), a)
	}
	j := newLink.all()[0].msg.GetJoined()
	want := &pb.Joined{RoomId: "room-a", Mode: "fake", PlayerId: uint32(a.Player()), EntityId: a.EntityID(),
		Tick: 10, TickHz: 100, SnapshotHz: 50, MaxPlayers: 2, Resumed: true, Phase: pb.RoomPhase_ROOM_PHASE_RUNNING,
		Schema: fakeSchema.Proto()}
	if j.String() != want.String() {
		t.Errorf("resumed with %v, want %v", j, want)
	}
	if _, _, r := g.hooks(); len(r) != 1 || r[0] != a.Player() {
		t.Errorf("Reconnected calls %v, want [%d]", r, a.Player())
	}
	// The client resends what it does not know applied, plus a new input;
	// a late ack of the old connection must not serve as a baseline.
	newPort.PushInputs(inputs(2, 3, 4, 5, 6, 7))
	newPort.Ack(10)
	client := newReplica(t)
	rr.tick(2) // snapshot at 12
	full, _ := newLink.lastSnapshot(t)
	if full.GetTick() != 12 || full.GetBaseTick() != 0 {
		t.Fatalf("first snapshot after resume: tick %d base %d, want 12 full", full.GetTick(), full.GetBaseTick())
	}
	if full.GetLastInputSeq() != 7 {
		t.Errorf("last_input_seq %d after resume, want 7", full.GetLastInputSeq())
	}
	client.apply(full)
	if got := g.appliedSeqs(a.Player()); !slices.Equal(got, []uint32{1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("applied %v, want [1 2 3 4 5 6 7]: each seq once, across the reconnect", got)
	}
	newPort.Ack(12)
	rr.tick(2)
	delta, _ := newLink.lastSnapshot(t)
	if delta.GetTick() != 14 || delta.GetBaseTick() != 12 {
		t.Fatalf("after an ack of 12: snapshot %d base %d, want 14 base 12", delta.GetTick(), delta.GetBaseTick())
	}
	client.apply(delta)
	if n := len(oldLink.all()); n != seen {
		t.Errorf("old link got %d messages after the resume", n-seen)
	}
	if got := testutil.ToFloat64(seatsHeld) - heldBefore; got != 0 {
		t.Errorf("tickwire_seats_held %v above its start after the resume, want 0", got)
	}
	if got := testutil.ToFloat64(seatResumes) - resumesBefore; got != 1 {
		t.Errorf("tickwire_seat_resumes_total rose by %v, want 1", got)
	}
	if last := log.last(); last.Players != 2 || last.Connected != 2 {
		t.Errorf("OnChange after the resume %+v, want 2 players, 2 connected", last)
	}
}

func TestLeaveReleasesHeldSeat(t *testing.T) {
	g := newFakeGame()
	rr := startRoom(t, context.Background(), g, runCfg(NewManualClock(0)))
	ctx := context.Background()
	heldBefore := testutil.ToFloat64(seatsHeld)
	port, err := rr.r.Join(ctx, "ann", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	a := port.Seat()
	rr.r.Disconnect(port)
	rr.r.Disconnect(port) // twice is harmless
	waitFor(t, "seat held", func() bool { _, d, _ := g.hooks(); return len(d) > 0 && len(rr.r.calls) == 0 })
	rr.r.Leave(a) // the grace ran out
	waitFor(t, "seat released", func() bool { return rr.r.Stats().Players == 0 })
	g.mu.Lock()
	left := slices.Clone(g.left)
	g.mu.Unlock()
	if !slices.Equal(left, []PlayerID{a.Player()}) {
		t.Errorf("game saw leaves %v, want [%d]", left, a.Player())
	}
	if _, d, _ := g.hooks(); len(d) != 1 {
		t.Errorf("Disconnected called %d times, want 1", len(d))
	}
	if got := testutil.ToFloat64(seatsHeld) - heldBefore; got != 0 {
		t.Errorf("tickwire_seats_held %v above its start after the release, want 0", got)
	}
	if _, err := rr.r.Resume(ctx, a, newFakeLink(t)); !errors.Is(err, ErrSeatGone) {
		t.Errorf("Resume of a released seat: %v, want ErrSeatGone", err)
	}
}

func TestResumeErrors(t *testing.T) {
	g := newFakeGame()
	rr := startRoom(t, context.Background(), g, runCfg(NewManualClock(0)))
	ctx := context.Background()
	port, err := rr.r.Join(ctx, "ann", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	a := port.Seat()
	foreign := newSeat("room-b", 9, 109, "eve", nil)
	if _, err := rr.r.Resume(ctx, foreign, newFakeLink(t)); !errors.Is(err, ErrSeatGone) {
		t.Errorf("Resume of another room's seat: %v, want ErrSeatGone", err)
	}
	if _, err := rr.r.Resume(ctx, a, nil); err == nil {
		t.Error("Resume with a nil link succeeded")
	}
	rr.r.Disconnect(port)
	rr.r.Close(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN)
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	_, err = rr.r.Resume(ctx, a, newFakeLink(t))
	if !errors.Is(err, ErrRoomClosed) || !errors.Is(err, ErrSeatGone) {
		t.Errorf("Resume in an ended room: %v, want ErrRoomClosed and ErrSeatGone", err)
	}
	rr.r.Disconnect(port) // no-op once the room is gone
}

func TestResumeTakesOverConnectedSeat(t *testing.T) {
	g := newFakeGame()
	rr := startRoom(t, context.Background(), g, runCfg(NewManualClock(0)))
	ctx := context.Background()
	oldLink := newFakeLink(t)
	oldPort, err := rr.r.Join(ctx, "ann", oldLink)
	if err != nil {
		t.Fatal(err)
	}
	rr.tick(2)
	newLink := newFakeLink(t)
	if _, err := rr.r.Resume(ctx, oldPort.Seat(), newLink); err != nil {
		t.Fatal(err)
	}
	seen := len(oldLink.all())
	rr.tick(2)
	if n := len(oldLink.all()); n != seen {
		t.Errorf("replaced link got %d messages", n-seen)
	}
	if snap, _ := newLink.lastSnapshot(t); snap.GetBaseTick() != 0 {
		t.Errorf("first snapshot of the new link has base %d, want full", snap.GetBaseTick())
	}
	if _, d, r := g.hooks(); len(d) != 0 || len(r) != 0 {
		t.Errorf("game told of a drop (%v) or return (%v) for a seat that never dropped", d, r)
	}
	if st := rr.r.Stats(); st.Connected != 1 || st.Players != 1 {
		t.Errorf("stats %+v, want 1 player, connected", st)
	}
}
