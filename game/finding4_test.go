package game

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// panicGame is a fakeGame with every optional interface that panics in the
// call named by where, once armed.
type panicGame struct {
	*fakeGame
	where string
	armed atomic.Bool
}

func (g *panicGame) at(where string) {
	if g.armed.Load() && g.where == where {
		panic("boom in " + where)
	}
}

func (g *panicGame) Join(p PlayerID, name string) (uint32, error) {
	g.at(CallJoin)
	return g.fakeGame.Join(p, name)
}
func (g *panicGame) Leave(p PlayerID) { g.at(CallLeave); g.fakeGame.Leave(p) }
func (g *panicGame) ApplyInput(p PlayerID, in Input) {
	g.at(CallApplyInput)
	g.fakeGame.ApplyInput(p, in)
}
func (g *panicGame) Step(tick uint32) { g.at(CallStep); g.fakeGame.Step(tick) }
func (g *panicGame) View(p PlayerID, dst *wire.Rows) {
	g.at(CallView)
	g.fakeGame.View(p, dst)
}
func (g *panicGame) ViewGroup(p PlayerID) uint64 { g.at(CallViewGroup); return 0 }
func (g *panicGame) DrainEvents(dst []wire.Event) []wire.Event {
	g.at(CallDrainEvents)
	return g.fakeGame.DrainEvents(dst)
}
func (g *panicGame) Results() ([]PlayerResult, bool) {
	g.at(CallResults)
	return g.fakeGame.Results()
}
func (g *panicGame) StartMatch(tick uint32)  { g.at(CallStartMatch); g.fakeGame.StartMatch(tick) }
func (g *panicGame) Disconnected(p PlayerID) { g.at(CallDisconnected); g.fakeGame.Disconnected(p) }
func (g *panicGame) Reconnected(p PlayerID)  { g.at(CallReconnected); g.fakeGame.Reconnected(p) }
func (g *panicGame) Standings() []PlayerResult {
	g.at(CallStandings)
	return nil
}
func (g *panicGame) HandleDebug(command string) (string, error) {
	g.at(CallDebug)
	return "ok", nil
}

// TestFinding4GamePanics reproduces finding 4 of the hardening review: a
// mode's factory that panicked killed the process. Every call into game
// code is now recovered: a panic in a room's game ends that room only, its
// players are told (Left ROOM_CLOSED "internal error"), Run returns a
// *PanicError naming the call, and tickwire_game_panics_total counts it by
// where; a neighbour room goes on ticking. A panicking factory makes
// Mode.NewGame return the panic as an error.
func TestFinding4GamePanics(t *testing.T) {
	ctx := context.Background()
	// trigger drives the room (already running, one player "ann" seated
	// through port when seated is set) into the call that panics.
	tests := []struct {
		where   string
		seated  bool
		trigger func(t *testing.T, rr *running, port *InputPort)
	}{
		{where: CallJoin, trigger: func(t *testing.T, rr *running, _ *InputPort) {
			if _, err := rr.r.Join(ctx, "bob", newFakeLink(t)); !errors.Is(err, ErrRoomClosed) {
				t.Errorf("join into a panicking game: %v, want ErrRoomClosed", err)
			}
		}},
		{where: CallStartMatch, trigger: func(t *testing.T, rr *running, _ *InputPort) {
			_, _ = rr.r.Join(ctx, "bob", newFakeLink(t))
		}},
		{where: CallLeave, seated: true, trigger: func(t *testing.T, rr *running, port *InputPort) { rr.r.Leave(port.Seat()) }},
		{where: CallApplyInput, seated: true, trigger: func(t *testing.T, rr *running, port *InputPort) {
			port.PushInputs(inputs(1))
			rr.advance(1)
		}},
		{where: CallStep, seated: true, trigger: func(t *testing.T, rr *running, _ *InputPort) { rr.advance(1) }},
		{where: CallDrainEvents, seated: true, trigger: func(t *testing.T, rr *running, _ *InputPort) { rr.advance(1) }},
		{where: CallResults, seated: true, trigger: func(t *testing.T, rr *running, _ *InputPort) { rr.advance(1) }},
		{where: CallView, seated: true, trigger: func(t *testing.T, rr *running, _ *InputPort) { rr.advance(2) }},
		{where: CallViewGroup, seated: true, trigger: func(t *testing.T, rr *running, _ *InputPort) { rr.advance(2) }},
		{where: CallDisconnected, seated: true, trigger: func(t *testing.T, rr *running, port *InputPort) { rr.r.Disconnect(port) }},
		{where: CallReconnected, seated: true, trigger: func(t *testing.T, rr *running, port *InputPort) {
			rr.r.Disconnect(port)
			_, _ = rr.r.Resume(ctx, port.Seat(), newFakeLink(t))
		}},
		{where: CallDebug, seated: true, trigger: func(t *testing.T, rr *running, _ *InputPort) {
			if _, err := rr.r.Debug(ctx, "x"); !errors.Is(err, ErrRoomClosed) {
				t.Errorf("debug into a panicking game: %v, want ErrRoomClosed", err)
			}
		}},
		{where: CallStandings, seated: true, trigger: func(t *testing.T, rr *running, _ *InputPort) { rr.r.CloseWithResults("x") }},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			neighbour := startGeneric(t, newFakeGame(), "neighbour")
			nlink := newFakeLink(t)
			if _, err := neighbour.r.Join(ctx, "nel", nlink); err != nil {
				t.Fatal(err)
			}
			g := &panicGame{fakeGame: newFakeGame(), where: tt.where}
			rr := startGeneric(t, g, "victim")
			link := newFakeLink(t)
			var port *InputPort
			if tt.seated {
				var err error
				if port, err = rr.r.Join(ctx, "ann", link); err != nil {
					t.Fatal(err)
				}
				rr.idle()
			}
			before := testutil.ToFloat64(gamePanics.WithLabelValues(tt.where))
			g.armed.Store(true)
			tt.trigger(t, rr, port)
			err := rr.wait()
			var pe *PanicError
			if !errors.As(err, &pe) || pe.Where != tt.where || !errors.Is(err, ErrGamePanicked) {
				t.Fatalf("Run returned %v, want a *PanicError in %s", err, tt.where)
			}
			if d := testutil.ToFloat64(gamePanics.WithLabelValues(tt.where)) - before; d != 1 {
				t.Errorf("tickwire_game_panics_total{where=%q} rose by %v, want 1", tt.where, d)
			}
			if tt.seated && tt.where != CallLeave && tt.where != CallReconnected && tt.where != CallDisconnected {
				ev := link.all()
				left := ev[len(ev)-1].msg.GetLeft()
				if left.GetReason() != pb.CloseReason_CLOSE_REASON_ROOM_CLOSED || left.GetMessage() != InternalErrorMessage {
					t.Errorf("last message %v, want Left ROOM_CLOSED %q", ev[len(ev)-1].msg, InternalErrorMessage)
				}
			}
			// The neighbour goes on.
			want := neighbour.r.Stats().Tick + 3
			neighbour.advance(3)
			if got := neighbour.r.Stats().Tick; got != want {
				t.Errorf("neighbour at tick %d, want %d", got, want)
			}
		})
	}

	t.Run(CallFactory, func(t *testing.T) {
		m := Mode{Name: "bad", Schema: fakeSchema, New: func(Config) (Game, error) { panic("factory exploded") }}
		before := testutil.ToFloat64(gamePanics.WithLabelValues(CallFactory))
		g, err := m.NewGame(Config{TickHz: 60, SnapshotHz: 20, MaxPlayers: 2})
		var pe *PanicError
		if g != nil || !errors.As(err, &pe) || pe.Where != CallFactory || len(pe.Stack) == 0 {
			t.Fatalf("NewGame of a panicking factory: %v, %v; want no game and a *PanicError in factory", g, err)
		}
		if d := testutil.ToFloat64(gamePanics.WithLabelValues(CallFactory)) - before; d != 1 {
			t.Errorf("tickwire_game_panics_total{where=factory} rose by %v, want 1", d)
		}
	})
}

// startGeneric runs a room of g (a *panicGame or a *fakeGame) until the
// test ends.
func startGeneric(t *testing.T, g Game, id string) *running {
	t.Helper()
	cfg := runCfg(NewManualClock(0))
	cfg.ID = id
	return startGenericCfg(t, g, cfg)
}

// startGenericCfg is startGeneric with a config of its own (its Clock a
// *ManualClock).
func startGenericCfg(t *testing.T, g Game, cfg RoomConfig) *running {
	t.Helper()
	return runRoom(t, context.Background(), g, cfg)
}

// advance moves the clock n tick periods, one at a time, while the room
// runs; it stops early when the room ends.
func (rr *running) advance(n int) {
	rr.t.Helper()
	for range n {
		want := rr.r.Stats().Tick + 1
		waitFor(rr.t, "room to wait for its timer or end", func() bool {
			select {
			case <-rr.r.Done():
				return true
			default:
				return rr.clk.Timers() == 1
			}
		})
		rr.clk.Advance(runPeriod)
		waitFor(rr.t, "tick", func() bool {
			select {
			case <-rr.r.Done():
				return true
			default:
				return rr.r.Stats().Tick >= want
			}
		})
	}
}
