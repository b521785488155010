package game

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// lifecycleCfg is runCfg (100 Hz) with 4 seats, MinPlayers 2, a 1 s
// countdown (100 ticks) and changes recorded in log.
func lifecycleCfg(clk *ManualClock, log *changeLog) RoomConfig {
	cfg := runCfg(clk)
	cfg.MaxPlayers = 4
	cfg.MinPlayers = 2
	cfg.Countdown = time.Second
	cfg.OnChange = log.record
	return cfg
}

// stateString renders a RoomState for comparisons.
func stateString(phase pb.RoomPhase, tick, countdown, needed uint32) string {
	return (&pb.RoomState{RoomId: "room-a", Phase: phase, Tick: tick, CountdownTicks: countdown, PlayersNeeded: needed}).String()
}

func TestLifecyclePhases(t *testing.T) {
	const (
		waiting   = pb.RoomPhase_ROOM_PHASE_WAITING
		countdown = pb.RoomPhase_ROOM_PHASE_COUNTDOWN
		running   = pb.RoomPhase_ROOM_PHASE_RUNNING
	)
	var log changeLog
	g := newFakeGame()
	rr := startRoom(t, context.Background(), g, lifecycleCfg(NewManualClock(0), &log))
	ctx := context.Background()
	startsBefore := testutil.ToFloat64(phaseChanges.WithLabelValues("running"))

	la := newFakeLink(t)
	if _, err := rr.r.Join(ctx, "ann", la); err != nil {
		t.Fatal(err)
	}
	if j := la.all()[0].msg.GetJoined(); j.GetPhase() != waiting {
		t.Errorf("first player joined in %v, want WAITING", j.GetPhase())
	}
	rr.tick(2)
	if n := len(la.roomStates()); n != 0 {
		t.Errorf("alone in WAITING, got %d RoomState messages, want none", n)
	}

	lb := newFakeLink(t)
	b, err := rr.r.Join(ctx, "bob", lb)
	if err != nil {
		t.Fatal(err)
	}
	if got := rr.r.Phase(); got != countdown {
		t.Fatalf("phase with 2 of MinPlayers 2: %v, want COUNTDOWN", got)
	}
	wantCountdown := stateString(countdown, 2, 100, 0)
	for name, l := range map[string]*fakeLink{"ann": la, "bob": lb} {
		st := l.roomStates()
		if len(st) != 1 || st[0].String() != wantCountdown {
			t.Errorf("%s got RoomStates %v, want [%s]", name, st, wantCountdown)
		}
	}

	rr.tick(10)
	rr.r.Leave(b.Seat())
	waitFor(t, "back to WAITING", func() bool { return rr.r.Phase() == waiting })
	if st := la.roomStates(); st[len(st)-1].String() != stateString(waiting, 12, 0, 1) {
		t.Errorf("after bob left, ann's last RoomState %v, want WAITING needing 1", st[len(st)-1])
	}

	lc := newFakeLink(t)
	if _, err := rr.r.Join(ctx, "cid", lc); err != nil {
		t.Fatal(err)
	}
	rr.tick(99) // the countdown began at tick 12: the match starts at 112
	if got := rr.r.Stats().Phase; got != countdown {
		t.Fatalf("phase at tick 111: %v, want COUNTDOWN", got)
	}
	// A latecomer in the countdown learns when the match starts.
	ld := newFakeLink(t)
	if _, err := rr.r.Join(ctx, "dee", ld); err != nil {
		t.Fatal(err)
	}
	ev := ld.all()
	if ev[0].msg.GetJoined().GetPhase() != countdown || len(ev) != 2 || ev[1].msg.GetRoomState().String() != stateString(countdown, 12, 100, 0) {
		t.Errorf("latecomer got %v, want Joined{COUNTDOWN} then the countdown's RoomState", ev)
	}
	if starts, _, _ := g.hooks(); len(starts) != 0 {
		t.Fatalf("StartMatch called during the countdown: %v", starts)
	}
	rr.tick(1)
	if got := rr.r.Phase(); got != running {
		t.Fatalf("phase at tick 112: %v, want RUNNING", got)
	}
	rr.tick(5)
	if starts, _, _ := g.hooks(); len(starts) != 1 || starts[0] != 112 {
		t.Errorf("StartMatch calls %v, want one at tick 112", starts)
	}
	if st := lc.roomStates(); st[len(st)-1].String() != stateString(running, 112, 0, 0) {
		t.Errorf("cid's last RoomState %v, want RUNNING at 112", st[len(st)-1])
	}
	if got := testutil.ToFloat64(phaseChanges.WithLabelValues("running")) - startsBefore; got != 1 {
		t.Errorf("running phase changes counted %v, want 1", got)
	}

	type change struct {
		phase      pb.RoomPhase
		players, c int
	}
	var got []change
	for _, ch := range log.all() {
		got = append(got, change{ch.Phase, ch.Players, ch.Connected})
	}
	want := []change{
		{waiting, 1, 1},   // ann
		{countdown, 2, 2}, // bob
		{waiting, 1, 1},   // bob left
		{countdown, 2, 2}, // cid
		{countdown, 3, 3}, // dee
		{running, 3, 3},   // the countdown ran out
	}
	if len(got) != len(want) {
		t.Fatalf("OnChange calls %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("OnChange call %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestResultsOnlyWhileRunning(t *testing.T) {
	var log changeLog
	g := newFakeGame()
	g.endAt.Store(3) // the game would end at once
	rr := startRoom(t, context.Background(), g, lifecycleCfg(NewManualClock(0), &log))
	links := []*fakeLink{newFakeLink(t), newFakeLink(t)}
	if _, err := rr.r.Join(context.Background(), "ann", links[0]); err != nil {
		t.Fatal(err)
	}
	rr.tick(10) // WAITING: the ended game is not asked
	if _, err := rr.r.Join(context.Background(), "bob", links[1]); err != nil {
		t.Fatal(err)
	}
	rr.tick(99) // COUNTDOWN until tick 110
	select {
	case <-rr.r.Done():
		t.Fatal("room ended before the match began")
	default:
	}
	rr.tick(1)
	if err := rr.wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	for i, l := range links {
		ev := l.all()
		n := len(ev)
		if n < 3 || ev[n-3].msg.GetRoomState().GetPhase() != pb.RoomPhase_ROOM_PHASE_ENDED ||
			ev[n-2].msg.GetMatchResults().GetTick() != 110 || ev[n-1].msg.GetLeft() == nil {
			t.Errorf("link %d ends with %v; want RoomState ENDED, MatchResults at 110, Left", i, ev[max(0, n-3):])
		}
	}
	last := log.last()
	if !last.Ended || last.Phase != pb.RoomPhase_ROOM_PHASE_ENDED || rr.r.Phase() != pb.RoomPhase_ROOM_PHASE_ENDED {
		t.Errorf("last OnChange %+v, phase %v; want Ended in ENDED", last, rr.r.Phase())
	}
}

func TestEmptyRoomDisposed(t *testing.T) {
	tests := []struct {
		name string
		// before runs on the fresh room and returns the ticks the room
		// must survive after it, then the ticks that dispose of it.
		before func(t *testing.T, rr *running) (survive, dispose int)
	}{
		{"never joined", func(t *testing.T, rr *running) (int, int) { return 4, 1 }},
		{"last player left", func(t *testing.T, rr *running) (int, int) {
			s, err := rr.r.Join(context.Background(), "ann", newFakeLink(t))
			if err != nil {
				t.Fatal(err)
			}
			rr.tick(20) // a seated room does not expire
			rr.r.Leave(s.Seat())
			waitFor(t, "leave", func() bool { return rr.r.Stats().Players == 0 })
			return 4, 1
		}},
		{"held seat counts", func(t *testing.T, rr *running) (int, int) {
			s, err := rr.r.Join(context.Background(), "ann", newFakeLink(t))
			if err != nil {
				t.Fatal(err)
			}
			rr.r.Disconnect(s)
			waitFor(t, "disconnect", func() bool { return rr.r.Stats().Connected == 0 })
			rr.tick(20) // held, not empty
			rr.r.Leave(s.Seat())
			waitFor(t, "leave", func() bool { return rr.r.Stats().Players == 0 })
			return 4, 1
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log changeLog
			cfg := runCfg(NewManualClock(0))
			cfg.EmptyTimeout = 5 * runPeriod
			cfg.OnChange = log.record
			disposed := testutil.ToFloat64(roomsDisposed.WithLabelValues(disposeEmpty))
			rr := startRoom(t, context.Background(), newFakeGame(), cfg)
			survive, dispose := tt.before(t, rr)
			rr.tick(survive)
			rr.idle()
			select {
			case <-rr.r.Done():
				t.Fatalf("disposed %d ticks into an empty spell of 5", survive)
			default:
			}
			rr.tick(dispose)
			if err := rr.wait(); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if last := log.last(); !last.Ended {
				t.Errorf("last OnChange %+v, want Ended", last)
			}
			if got := testutil.ToFloat64(roomsDisposed.WithLabelValues(disposeEmpty)) - disposed; got != 1 {
				t.Errorf("empty disposals counted %v, want 1", got)
			}
		})
	}
}

func TestEmptyTimeoutNegativeNever(t *testing.T) {
	cfg := runCfg(NewManualClock(0))
	cfg.EmptyTimeout = -1
	rr := startRoom(t, context.Background(), newFakeGame(), cfg)
	rr.tick(50)
	rr.idle()
	select {
	case <-rr.r.Done():
		t.Fatal("a room with a negative EmptyTimeout was disposed")
	default:
	}
}
