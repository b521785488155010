package game

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// The tests of do run in a synctest bubble: synctest.Wait returns once
// every goroutine of the test (the room's included) is blocked, which pins
// down where a caller waits without any polling or timing.

func TestDoAbandonedBeforeTakenNeverRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, _ := newTestRoom(t, runCfg(NewManualClock(0)))
		// Run is not started: the request waits in the queue.
		ctx, cancel := context.WithCancel(context.Background())
		var ran atomic.Bool
		errc := make(chan error, 1)
		go func() {
			_, err := do(ctx, r, "probe", func() (int, error) { ran.Store(true); return 1, nil })
			errc <- err
		}()
		synctest.Wait()
		if n := len(r.calls); n != 1 {
			t.Fatalf("%d requests queued, want 1", n)
		}
		cancel()
		err := <-errc
		if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "probe: ") {
			t.Fatalf("abandoned request: %v, want probe: context.Canceled", err)
		}
		runErr := make(chan error, 1)
		go func() { runErr <- r.Run(context.Background()) }()
		synctest.Wait() // Run has taken the abandoned request from the queue
		if n := len(r.calls); n != 0 {
			t.Fatalf("%d requests still queued once the room runs", n)
		}
		r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
		if err := <-runErr; err != nil {
			t.Fatal(err)
		}
		if ran.Load() {
			t.Error("fn ran for a caller that gave up before the room took it")
		}
	})
}

// gatedJoinGame is a fakeGame whose Join waits for release, so a test can
// act while the room is inside a join.
type gatedJoinGame struct {
	*fakeGame
	entered chan struct{} // closed when Join is called
	release chan struct{} // Join returns once it is closed
}

func (g *gatedJoinGame) Join(p PlayerID, name string) (uint32, error) {
	close(g.entered)
	<-g.release
	return g.fakeGame.Join(p, name)
}

func TestDoTakenThenAbandonedStillAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := &gatedJoinGame{fakeGame: newFakeGame(), entered: make(chan struct{}), release: make(chan struct{})}
		r, err := NewRoom(runCfg(NewManualClock(0)), g)
		if err != nil {
			t.Fatal(err)
		}
		runErr := make(chan error, 1)
		go func() { runErr <- r.Run(context.Background()) }()
		defer func() {
			r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
			if err := <-runErr; err != nil {
				t.Error(err)
			}
		}()
		ctx, cancel := context.WithCancel(context.Background())
		type joined struct {
			port *InputPort
			err  error
		}
		res := make(chan joined, 1)
		go func() {
			port, err := r.Join(ctx, "ann", newFakeLink(t))
			res <- joined{port, err}
		}()
		<-g.entered // the room took the join and is seating the player
		cancel()
		synctest.Wait() // the caller has seen ctx end and waits for the answer
		close(g.release)
		got := <-res
		if got.err != nil || got.port == nil || !got.port.Attached() {
			t.Fatalf("join abandoned after the room took it: %v, %v; want the seat's attached port", got.port, got.err)
		}
		if n := r.Stats().Players; n != 1 {
			t.Fatalf("%d players, want 1", n)
		}
		// The caller holds the seat, so it can give it back: nothing leaks.
		r.Leave(got.port.Seat())
		synctest.Wait()
		if n := r.Stats().Players; n != 0 {
			t.Errorf("%d players after the leave, want 0", n)
		}
	})
}

func TestDoWhenTheRoomEnds(t *testing.T) {
	tests := []struct {
		name string
		// before runs before the request, with Run started.
		before func(r *Room)
		// fn is the request; it gets the room.
		fn      func(r *Room) (int, error)
		want    int
		wantErr error
		ran     bool
	}{
		{
			name:    "after Run returned",
			before:  func(r *Room) { r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED); <-r.Done() },
			fn:      func(*Room) (int, error) { return 1, nil },
			wantErr: ErrRoomClosed,
		},
		{
			name:    "after Close",
			before:  func(r *Room) { r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED) },
			fn:      func(*Room) (int, error) { return 1, nil },
			wantErr: ErrRoomClosed,
		},
		{
			name: "fn closes the room: its answer still arrives",
			fn: func(r *Room) (int, error) {
				r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
				return 7, nil
			},
			want: 7,
			ran:  true,
		},
		{
			name:    "fn panics: the room ends without an answer",
			fn:      func(*Room) (int, error) { panic("request exploded") },
			wantErr: ErrRoomClosed,
			ran:     true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r, _ := newTestRoom(t, runCfg(NewManualClock(0)))
				runErr := make(chan error, 1)
				go func() { runErr <- r.Run(context.Background()) }()
				if tt.before != nil {
					tt.before(r)
				}
				var ran atomic.Bool
				got, err := do(context.Background(), r, "probe", func() (int, error) {
					ran.Store(true)
					return tt.fn(r)
				})
				if got != tt.want || !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
					t.Errorf("do = %d, %v; want %d, %v", got, err, tt.want, tt.wantErr)
				}
				if ran.Load() != tt.ran {
					t.Errorf("fn ran: %t, want %t", ran.Load(), tt.ran)
				}
				r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
				<-runErr // a panic's error is the panic test's point, not this one's
			})
		})
	}
}
