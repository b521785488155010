package game

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// reliableBytes sums the marshaled size of the reliable messages a link got.
func (l *fakeLink) reliableBytes() uint64 {
	var n uint64
	for _, e := range l.all() {
		if e.frame == nil {
			n += uint64(proto.Size(e.msg))
		}
	}
	return n
}

// frameBytes sums the snapshot frame bytes a link got.
func (l *fakeLink) frameBytes() uint64 {
	var n uint64
	for _, e := range l.all() {
		n += uint64(len(e.frame))
	}
	return n
}

func TestInspectDetail(t *testing.T) {
	clk := NewManualClock(0)
	cfg := testConfig() // 60 Hz, a snapshot every 3 ticks, 4 seats
	cfg.Clock = clk
	// Tick k takes k µs of room time: the 100 ticks below take 1..100 µs.
	g := &clockGame{fakeGame: newFakeGame(), clk: clk, work: func(tick uint32) time.Duration { return time.Duration(tick) * time.Microsecond }}
	r, err := NewRoom(cfg, g)
	if err != nil {
		t.Fatal(err)
	}
	r.sampleRates(0)
	la := &rttFakeLink{fakeLink: newFakeLink(t), rtt: 42 * time.Millisecond}
	a, err := r.join("ann", la)
	if err != nil {
		t.Fatal(err)
	}
	b, lb := mustJoin(t, r, "bob")
	a.PushInputs(inputs(1, 2, 3))
	for range 100 {
		if r.timedTick() {
			t.Fatal("match ended")
		}
	}
	a.Ack(99)
	a.PushInputs(inputs(4, 5, 0)) // two wait for the next tick; seq 0 is dropped
	r.disconnect(b)

	d, ticks := r.inspect()
	d.TickP50, d.TickP99, d.TickMax = tickPercentiles(ticks)
	now := clk.Now()
	if now != 5050*time.Microsecond {
		t.Fatalf("clock at %v, want 5.05 ms of tick work", now)
	}
	want := RoomDetail{
		ID: "r1", Mode: "fake", Phase: pb.RoomPhase_ROOM_PHASE_RUNNING, Tick: 100,
		TickHz: 60, SnapshotHz: 20, MaxPlayers: 4,
		TickP50: 50 * time.Microsecond, TickP99: 99 * time.Microsecond, TickMax: 100 * time.Microsecond,
		SnapshotBytesPerSec: float64(la.frameBytes()+lb.frameBytes()) / now.Seconds(),
		Entities:            2,
		Players: []PlayerDetail{
			{Player: a.Seat().Player(), Name: "ann", EntityID: a.Seat().EntityID(), Connected: true, RTT: 42 * time.Millisecond,
				InputQueueDepth: 2, DroppedInputs: 1, LastAckedTick: 99, LastAppliedSeq: 3,
				BytesPerSec: float64(la.frameBytes()+la.reliableBytes()) / now.Seconds()},
			{Player: b.Seat().Player(), Name: "bob", EntityID: b.Seat().EntityID(),
				BytesPerSec: float64(lb.frameBytes()+lb.reliableBytes()) / now.Seconds()},
		},
	}
	if la.reliableBytes() == 0 || la.frameBytes() == 0 {
		t.Fatalf("ann got %d reliable and %d snapshot bytes; the rates below would prove nothing", la.reliableBytes(), la.frameBytes())
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("detail\n%+v\nwant\n%+v", d, want)
	}
}

func TestInspectAndStateThroughRun(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	ctx := context.Background()
	p, err := rr.r.Join(ctx, "ann", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	s := p.Seat()
	rr.tick(5)
	d, err := rr.r.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "room-a" || d.Tick != 5 || len(d.Players) != 1 || d.Players[0].Player != s.Player() || !d.Players[0].Connected {
		t.Errorf("Inspect = %+v, want room-a at tick 5 with ann connected", d)
	}
	if d.TickMax < d.TickP99 || d.TickP99 < d.TickP50 || d.TickP50 < 0 {
		t.Errorf("tick percentiles out of order: p50 %v p99 %v max %v", d.TickP50, d.TickP99, d.TickMax)
	}

	tick, view, err := rr.r.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The room is idle between ticks, so the game's view is the state's.
	want := wire.NewRows(fakeLayout, 0)
	rr.g.View(Observer, want)
	if tick != 5 || !view.Equal(want) {
		t.Errorf("State = tick %d %+v, want tick 5 %+v", tick, view, want)
	}
	if view.Len() != 1 || view.Fields(0)[fakeX] != 5 {
		t.Errorf("state view %+v, want ann's entity at x 5", view)
	}

	rr.r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := rr.r.Inspect(ctx); !errors.Is(err, ErrRoomClosed) {
		t.Errorf("Inspect after the end: %v, want ErrRoomClosed", err)
	}
	if _, _, err := rr.r.State(ctx); !errors.Is(err, ErrRoomClosed) {
		t.Errorf("State after the end: %v, want ErrRoomClosed", err)
	}
}
