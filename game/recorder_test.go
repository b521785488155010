package game

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// fakeRecorder is a Recorder that notes every call as text; wantSums says
// what WantsChecksum answers. The room calls it on its goroutine; the test
// reads it, so a mutex keeps -race quiet.
type fakeRecorder struct {
	mu       sync.Mutex
	calls    []string
	wantSums bool
	room     *Room
	cfg      RoomConfig
}

func (f *fakeRecorder) note(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

// all returns a copy of the calls so far.
func (f *fakeRecorder) all() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeRecorder) Open(r *Room, cfg RoomConfig) {
	f.mu.Lock()
	f.room, f.cfg = r, cfg
	f.mu.Unlock()
	f.note("open")
}
func (f *fakeRecorder) Join(p PlayerID, name string, entity uint32, refused bool) {
	f.note("join %d %s %d %t", p, name, entity, refused)
}
func (f *fakeRecorder) Leave(p PlayerID)           { f.note("leave %d", p) }
func (f *fakeRecorder) Disconnected(p PlayerID)    { f.note("disconnected %d", p) }
func (f *fakeRecorder) Reconnected(p PlayerID)     { f.note("reconnected %d", p) }
func (f *fakeRecorder) Input(p PlayerID, in Input) { f.note("input %d %d %d", p, in.Seq, in.Values[1]) }
func (f *fakeRecorder) StartMatch(tick uint32)     { f.note("start %d", tick) }
func (f *fakeRecorder) Debug(command string)       { f.note("debug %s", command) }
func (f *fakeRecorder) Step(tick uint32)           { f.note("step %d", tick) }
func (f *fakeRecorder) WantsChecksum() bool        { return f.wantSums }
func (f *fakeRecorder) Checksum(tick, sum uint32)  { f.note("checksum %d", tick) }
func (f *fakeRecorder) EndTick()                   { f.note("end tick") }
func (f *fakeRecorder) Close()                     { f.note("close") }

// TestRecorderHearsEveryCall checks the hook's contract: Open by NewRoom
// with the room and its configuration, every call into the Game in order
// right after it, EndTick after each tick, checksums only when wanted, and
// Close once as Run returns.
func TestRecorderHearsEveryCall(t *testing.T) {
	for _, wantSums := range []bool{true, false} {
		t.Run(fmt.Sprintf("checksums wanted %t", wantSums), func(t *testing.T) {
			rec := &fakeRecorder{wantSums: wantSums}
			g := &debugGame{fakeGame: newFakeGame()}
			cfg := runCfg(NewManualClock(0)) // 100 Hz, a snapshot every 2 ticks
			cfg.Recorder = rec
			r, err := NewRoom(cfg, g)
			if err != nil {
				t.Fatal(err)
			}
			if rec.room != r || rec.cfg.ID != "room-a" || rec.cfg.InputQueueSize != DefaultInputQueueSize {
				t.Fatalf("Open got room %p and config %+v, want the room and its config with defaults", rec.room, rec.cfg)
			}
			run := &running{t: t, r: r, g: g.fakeGame, clk: cfg.Clock.(*ManualClock), errc: make(chan error, 1)}
			go func() { run.errc <- r.Run(context.Background()) }()
			ctx := context.Background()
			ann, err := r.Join(ctx, "ann", newFakeLink(t))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Join(ctx, "bot", newFakeLink(t)); !errors.Is(err, ErrJoinRefused) {
				t.Fatalf("join of a bot: %v, want refused", err)
			}
			run.tick(1)
			ann.PushInputs([]*pb.Input{{Seq: 1, Values: []int32{0, 5}}})
			run.tick(1)
			if _, err := r.Debug(ctx, "heal 1"); err != nil {
				t.Fatal(err)
			}
			r.Disconnect(ann)
			if _, err := r.Resume(ctx, ann.Seat(), newFakeLink(t)); err != nil {
				t.Fatal(err)
			}
			r.Leave(ann.Seat())
			waitFor(t, "ann's leave", func() bool { return r.Stats().Players == 0 })
			r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
			if err := run.wait(); err != nil {
				t.Fatal(err)
			}
			sum := []string{"checksum 2"}
			if !wantSums {
				sum = nil
			}
			want := slices.Concat(
				[]string{"open", "join 1 ann 101 false", "start 1", "join 2 bot 0 true", "step 1", "end tick", "input 1 1 5", "step 2"},
				sum,
				[]string{"end tick", "debug heal 1", "disconnected 1", "reconnected 1", "leave 1", "close"})
			if got := rec.all(); !slices.Equal(got, want) {
				t.Fatalf("recorder heard %q\nwant %q", got, want)
			}
		})
	}
}

// TestExec checks that Exec runs its function on the room goroutine, in
// order with the room's calls, and refuses once the room has ended.
func TestExec(t *testing.T) {
	rec := &fakeRecorder{}
	cfg := runCfg(NewManualClock(0))
	cfg.Recorder = rec
	rr := startRoom(t, context.Background(), newFakeGame(), cfg)
	ctx := context.Background()
	if _, err := rr.r.Join(ctx, "ann", newFakeLink(t)); err != nil {
		t.Fatal(err)
	}
	errFailed := errors.New("failed")
	if err := rr.r.Exec(ctx, "note", func() error { rec.note("exec"); return errFailed }); !errors.Is(err, errFailed) {
		t.Fatalf("Exec: %v, want f's error", err)
	}
	if got := rec.all(); got[len(got)-1] != "exec" {
		t.Fatalf("calls %q, want exec after the join", got)
	}
	rr.r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	ran := false
	if err := rr.r.Exec(ctx, "late", func() error { ran = true; return nil }); !errors.Is(err, ErrRoomClosed) || ran {
		t.Fatalf("Exec after the end: %v (ran %t), want ErrRoomClosed without running", err, ran)
	}
}
