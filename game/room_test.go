package game

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// runCfg is a config for tests through Run: 100 Hz so that a period is a
// whole number of nanoseconds, a snapshot every 2 ticks.
func runCfg(clk *ManualClock) RoomConfig {
	return RoomConfig{ID: "room-a", Mode: "fake", Schema: fakeSchema, TickHz: 100, SnapshotHz: 50, MaxPlayers: 2, Clock: clk,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

const runPeriod = 10 * time.Millisecond

// running is a room under Run in a goroutine the test waits for.
type running struct {
	t    *testing.T
	r    *Room
	g    *fakeGame // nil for a room of another Game
	clk  *ManualClock
	errc chan error
}

// startRoom runs a room of a fakeGame until the test ends.
func startRoom(t *testing.T, ctx context.Context, g *fakeGame, cfg RoomConfig) *running {
	t.Helper()
	return runRoom(t, ctx, g, cfg)
}

// runRoom runs a room of any Game (cfg.Clock a *ManualClock) until the
// test ends; running.g is set when g is a *fakeGame.
func runRoom(t *testing.T, ctx context.Context, g Game, cfg RoomConfig) *running {
	t.Helper()
	r, err := NewRoom(cfg, g)
	if err != nil {
		t.Fatal(err)
	}
	rr := &running{t: t, r: r, clk: cfg.Clock.(*ManualClock), errc: make(chan error, 1)}
	rr.g, _ = g.(*fakeGame)
	go func() { rr.errc <- r.Run(ctx) }()
	t.Cleanup(func() {
		r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
		<-r.Done()
	})
	return rr
}

// tick advances the clock one period at a time for n ticks, waiting for the
// room each time.
func (rr *running) tick(n int) {
	rr.t.Helper()
	for range n {
		want := rr.r.Stats().Tick + 1
		waitFor(rr.t, "room to wait for its timer", func() bool { return rr.clk.Timers() == 1 })
		rr.clk.Advance(runPeriod)
		waitFor(rr.t, "tick", func() bool { return rr.r.Stats().Tick == want })
	}
}

// wait returns Run's result.
func (rr *running) wait() error {
	rr.t.Helper()
	select {
	case err := <-rr.errc:
		return err
	case <-time.After(10 * time.Second):
		rr.t.Fatal("Run did not return")
		return nil
	}
}

func TestJoinLeaveFullAndIDs(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	ctx := context.Background()
	a, err := rr.r.Join(ctx, "ann", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := rr.r.Join(ctx, "bob", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rr.r.Join(ctx, "cid", newFakeLink(t)); !errors.Is(err, ErrRoomFull) {
		t.Fatalf("third join in a 2-seat room: %v, want ErrRoomFull", err)
	}
	rr.r.Leave(a.Seat())
	rr.r.Leave(a.Seat()) // twice is harmless
	c, err := rr.r.Join(ctx, "cid", newFakeLink(t))
	if err != nil {
		t.Fatalf("join after a leave: %v", err)
	}
	if a.Seat().Player() != 1 || b.Seat().Player() != 2 || c.Seat().Player() != 3 {
		t.Errorf("player ids %d %d %d, want 1 2 3 (never reused)", a.Seat().Player(), b.Seat().Player(), c.Seat().Player())
	}
	if c.Seat().EntityID() != 103 || c.Seat().RoomID() != "room-a" {
		t.Errorf("seat entity %d room %q, want 103 and room-a", c.Seat().EntityID(), c.Seat().RoomID())
	}
	if got := rr.r.Stats().Players; got != 2 {
		t.Errorf("Stats().Players = %d, want 2", got)
	}
	rr.r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil {
		t.Fatalf("Run after Close: %v", err)
	}
	if len(rr.g.left) != 1 || rr.g.left[0] != 1 {
		t.Errorf("game saw leaves %v, want [1]", rr.g.left)
	}
}

func TestJoinRefusedByGame(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	_, err := rr.r.Join(context.Background(), "bot", newFakeLink(t))
	if !errors.Is(err, ErrJoinRefused) || !errors.Is(err, errNoBots) {
		t.Fatalf("join refused by the game: %v, want ErrJoinRefused wrapping the game's error", err)
	}
	s, err := rr.r.Join(context.Background(), "ann", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Seat().Player() != 2 {
		t.Errorf("player after a refusal got id %d, want 2", s.Seat().Player())
	}
}

func TestJoinedBeforeFirstSnapshot(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	rr.tick(3)
	link := newFakeLink(t)
	s, err := rr.r.Join(context.Background(), "ann", link)
	if err != nil {
		t.Fatal(err)
	}
	rr.tick(3) // snapshot at tick 4 and 6
	ev := link.all()
	if len(ev) != 4 {
		t.Fatalf("link got %d messages, want Joined, RoomState and 2 snapshots", len(ev))
	}
	j := ev[0].msg.GetJoined()
	if j == nil {
		t.Fatalf("first message is %T, want Joined", ev[0].msg.GetBody())
	}
	want := &pb.Joined{RoomId: "room-a", Mode: "fake", PlayerId: uint32(s.Seat().Player()), EntityId: s.Seat().EntityID(),
		Tick: 3, TickHz: 100, SnapshotHz: 50, MaxPlayers: 2, Phase: pb.RoomPhase_ROOM_PHASE_WAITING,
		Schema: fakeSchema.Proto()}
	if j.String() != want.String() {
		t.Errorf("Joined %v, want %v", j, want)
	}
	// No countdown configured: the join starts the match with the next tick.
	wantState := &pb.RoomState{RoomId: "room-a", Phase: pb.RoomPhase_ROOM_PHASE_RUNNING, Tick: 4}
	if st := ev[1].msg.GetRoomState(); st.String() != wantState.String() {
		t.Errorf("second message %v, want RoomState %v", ev[1].msg, wantState)
	}
	if snap := ev[2].msg.GetSnapshot(); snap.GetTick() != 4 || snap.GetBaseTick() != 0 {
		t.Errorf("first snapshot tick %d base %d, want tick 4 full", snap.GetTick(), snap.GetBaseTick())
	}
}

func TestClosedRoom(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	link := newFakeLink(t)
	if _, err := rr.r.Join(context.Background(), "ann", link); err != nil {
		t.Fatal(err)
	}
	rr.r.Close(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN)
	rr.r.Close(pb.CloseReason_CLOSE_REASON_KICKED) // only the first counts
	if err := rr.wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	ev := link.all()
	left := ev[len(ev)-1].msg.GetLeft()
	if left.GetReason() != pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN || left.GetRoomId() != "room-a" {
		t.Errorf("last message %v, want Left with SERVER_SHUTDOWN", ev[len(ev)-1].msg)
	}
	if _, err := rr.r.Join(context.Background(), "bob", newFakeLink(t)); !errors.Is(err, ErrRoomClosed) {
		t.Errorf("join after close: %v, want ErrRoomClosed", err)
	}
	rr.r.Leave(&Seat{}) // no-op once the room is gone
	if err := rr.r.Run(context.Background()); err == nil {
		t.Error("second Run returned nil")
	}
}

func TestMatchEnd(t *testing.T) {
	g := newFakeGame()
	g.endAt.Store(5)
	rr := startRoom(t, context.Background(), g, runCfg(NewManualClock(0)))
	links := []*fakeLink{newFakeLink(t), newFakeLink(t)}
	for i, name := range []string{"ann", "bob"} {
		if _, err := rr.r.Join(context.Background(), name, links[i]); err != nil {
			t.Fatal(err)
		}
	}
	rr.tick(5)
	if err := rr.wait(); err != nil {
		t.Fatalf("Run after match end: %v", err)
	}
	for i, link := range links {
		ev := link.all()
		n := len(ev)
		res, left := ev[n-2].msg.GetMatchResults(), ev[n-1].msg.GetLeft()
		if res == nil || left == nil {
			t.Fatalf("link %d: last messages %v, %v; want MatchResults then Left", i, ev[n-2].msg, ev[n-1].msg)
		}
		if res.GetTick() != 5 || len(res.GetPlayers()) != 2 || res.GetPlayers()[1].GetPlayerId() != 2 || res.GetPlayers()[1].GetScore() != 2 {
			t.Errorf("link %d: results %v", i, res)
		}
		if left.GetReason() != pb.CloseReason_CLOSE_REASON_MATCH_ENDED {
			t.Errorf("link %d: Left reason %v, want MATCH_ENDED", i, left.GetReason())
		}
	}
	select {
	case <-rr.r.Done():
	default:
		t.Error("Done not closed after Run returned")
	}
}

func TestRunContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rr := startRoom(t, ctx, newFakeGame(), runCfg(NewManualClock(0)))
	link := newFakeLink(t)
	if _, err := rr.r.Join(context.Background(), "ann", link); err != nil {
		t.Fatal(err)
	}
	rr.tick(2)
	cancel()
	if err := rr.wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel: %v, want context.Canceled", err)
	}
	ev := link.all()
	if left := ev[len(ev)-1].msg.GetLeft(); left.GetReason() != pb.CloseReason_CLOSE_REASON_ROOM_CLOSED {
		t.Errorf("last message %v, want Left ROOM_CLOSED", ev[len(ev)-1].msg)
	}
}

func TestRunOverrunSkipsTicks(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	waitFor(t, "room to wait for its timer", func() bool { return rr.clk.Timers() == 1 })
	rr.clk.Advance(50 * runPeriod) // 50 ticks due at once
	waitFor(t, "catch-up ticks", func() bool { return rr.r.Stats().Tick == DefaultMaxCatchUp })
	st := rr.r.Stats()
	if st.Overruns != 1 || st.SkippedTicks != 50-DefaultMaxCatchUp {
		t.Errorf("overruns %d, skipped %d; want 1 and %d", st.Overruns, st.SkippedTicks, 50-DefaultMaxCatchUp)
	}
	rr.tick(1) // the schedule moved on: the next period brings one tick
	if got := rr.r.Stats().Tick; got != DefaultMaxCatchUp+1 {
		t.Errorf("tick %d after one more period, want %d", got, DefaultMaxCatchUp+1)
	}
	if got := len(rr.g.steps); got != DefaultMaxCatchUp+1 {
		t.Errorf("game stepped %d times, want %d", got, DefaultMaxCatchUp+1)
	}
}

func TestRunCatchesUpWithoutSkipping(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	waitFor(t, "room to wait for its timer", func() bool { return rr.clk.Timers() == 1 })
	rr.clk.Advance(3 * runPeriod)
	waitFor(t, "catch-up ticks", func() bool { return rr.r.Stats().Tick == 3 })
	if st := rr.r.Stats(); st.Overruns != 0 || st.SkippedTicks != 0 {
		t.Errorf("overruns %d, skipped %d after being 2 ticks late; want none", st.Overruns, st.SkippedTicks)
	}
}

func TestRunGamePanicEndsOnlyTheRoom(t *testing.T) {
	g := newFakeGame()
	g.panicAt = 2
	rr := startRoom(t, context.Background(), g, runCfg(NewManualClock(0)))
	link := newFakeLink(t)
	if _, err := rr.r.Join(context.Background(), "ann", link); err != nil {
		t.Fatal(err)
	}
	rr.tick(1)
	rr.clk.Advance(runPeriod)
	if err := rr.wait(); err == nil {
		t.Fatal("Run returned nil after the game panicked")
	}
	ev := link.all()
	if left := ev[len(ev)-1].msg.GetLeft(); left.GetReason() != pb.CloseReason_CLOSE_REASON_ROOM_CLOSED {
		t.Errorf("last message %v, want Left ROOM_CLOSED", ev[len(ev)-1].msg)
	}
}

func TestAbandonedJoinTakesNoSeat(t *testing.T) {
	g := newFakeGame()
	r, err := NewRoom(runCfg(NewManualClock(0)), g)
	if err != nil {
		t.Fatal(err)
	}
	// Run is not started: the command waits in the queue until ctx ends.
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := r.Join(ctx, "ann", newFakeLink(t))
		errc <- err
	}()
	waitFor(t, "join command queued", func() bool { return len(r.calls) == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned join: %v, want context.Canceled", err)
	}
	runErr := make(chan error, 1)
	go func() { runErr <- r.Run(context.Background()) }()
	s, err := r.Join(context.Background(), "bob", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Seat().Player() != 1 || r.Stats().Players != 1 {
		t.Errorf("player id %d with %d players, want id 1 and 1 player: the abandoned join took a seat", s.Seat().Player(), r.Stats().Players)
	}
	r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := <-runErr; err != nil {
		t.Fatal(err)
	}
}
