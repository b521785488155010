package game

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// lastMsgs returns the last n messages a link got, oldest first.
func (l *fakeLink) lastMsgs(t *testing.T, n int) []*pb.ServerMessage {
	t.Helper()
	ev := l.all()
	if len(ev) < n {
		t.Fatalf("link got %d messages, want at least %d", len(ev), n)
	}
	out := make([]*pb.ServerMessage, 0, n)
	for _, e := range ev[len(ev)-n:] {
		out = append(out, e.msg)
	}
	return out
}

func TestKick(t *testing.T) {
	g := newFakeGame()
	cfg := runCfg(NewManualClock(0))
	cfg.MaxPlayers = 3
	rr := startRoom(t, context.Background(), g, cfg)
	ctx := context.Background()
	la, lb := newFakeLink(t), newFakeLink(t)
	ap, err := rr.r.Join(ctx, "ann", la)
	if err != nil {
		t.Fatal(err)
	}
	bp, err := rr.r.Join(ctx, "bob", lb)
	if err != nil {
		t.Fatal(err)
	}
	a, b := ap.Seat(), bp.Seat()
	rr.tick(2)

	leftBefore := testutil.ToFloat64(droppedLeft)
	seat, closed, err := rr.r.Kick(ctx, a.Player(), "spamming")
	if err != nil {
		t.Fatal(err)
	}
	if seat != a || !closed {
		t.Errorf("Kick returned seat %p, closed %t; want ann's %p, closed", seat, closed, a)
	}
	left := la.lastMsgs(t, 1)[0].GetLeft()
	if left.GetReason() != pb.CloseReason_CLOSE_REASON_KICKED || left.GetMessage() != "spamming" || left.GetRoomId() != "room-a" {
		t.Errorf("ann's last message %v, want Left{KICKED, spamming}", la.lastMsgs(t, 1)[0])
	}
	if c := la.closes(); !slices.Equal(c, []linkClose{{pb.CloseReason_CLOSE_REASON_KICKED, "spamming"}}) {
		t.Errorf("ann's link closed %v, want once with KICKED and the reason", c)
	}
	if ap.Attached() || !ap.Released() || rr.r.Stats().Players != 1 {
		t.Errorf("after the kick: ann's port attached %t, released %t, %d players; want retired, released and 1",
			ap.Attached(), ap.Released(), rr.r.Stats().Players)
	}
	got := len(la.all())
	ap.PushInputs(inputs(1)) // dropped
	rr.r.Leave(a)            // the lobby's own leave is a no-op
	rr.tick(2)
	if n := len(la.all()); n != got {
		t.Errorf("ann's link got %d more messages after the kick", n-got)
	}
	if seqs := g.appliedSeqs(a.Player()); len(seqs) != 0 {
		t.Errorf("the game got inputs %v of a kicked player", seqs)
	}
	if n := testutil.ToFloat64(droppedLeft) - leftBefore; n != 1 {
		t.Errorf("dropped as left: %v, want 1", n)
	}
	if _, _, err := rr.r.Kick(ctx, a.Player(), "again"); !errors.Is(err, ErrUnknownPlayer) {
		t.Errorf("second kick: %v, want ErrUnknownPlayer", err)
	}

	// A held seat is released without a message: it has no link.
	rr.r.Disconnect(bp)
	before := len(lb.all())
	if _, closed, err := rr.r.Kick(ctx, b.Player(), "afk"); err != nil || closed {
		t.Fatalf("kick of a held seat: closed %t, %v; want no link closed", closed, err)
	}
	if n := len(lb.all()); n != before {
		t.Errorf("a held seat's old link got %d messages from the kick", n-before)
	}
	if c := lb.closes(); len(c) != 0 {
		t.Errorf("a held seat's old link was closed %v", c)
	}
	if !bp.Released() {
		t.Error("the held seat's last port does not report the seat released")
	}
	rr.r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.left, []PlayerID{1, 2}) {
		t.Errorf("game saw leaves %v, want [1 2]", g.left)
	}
}

func TestCloseWithResults(t *testing.T) {
	tests := []struct {
		name string
		// game builds the Game; ended ends its match before the close.
		game  func() Game
		ended bool
		want  []*pb.PlayerResult
	}{
		{name: "seats when the game has no standings", game: func() Game { return newFakeGame() },
			want: []*pb.PlayerResult{{PlayerId: 1, Name: "ann", EntityId: 101}, {PlayerId: 2, Name: "bob", EntityId: 102}}},
		{name: "the game's standings", game: func() Game {
			return &standingsGame{fakeGame: newFakeGame(), standings: []PlayerResult{
				{Player: 2, Name: "bob", EntityID: 102, Score: 5, Values: []int32{5}}, {Player: 1, Name: "ann", EntityID: 101, Values: []int32{-5}}}}
		}, want: []*pb.PlayerResult{{PlayerId: 2, Name: "bob", EntityId: 102, Score: 5, Values: []int32{5}}, {PlayerId: 1, Name: "ann", EntityId: 101, Values: []int32{-5}}}},
		{name: "the results of an ended match", game: func() Game { return newFakeGame() }, ended: true,
			want: []*pb.PlayerResult{{PlayerId: 1, EntityId: 101, Score: 1, Values: []int32{0}}, {PlayerId: 2, EntityId: 102, Score: 2, Values: []int32{0}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.game()
			cfg := runCfg(NewManualClock(0))
			cfg.MinPlayers = 2
			cfg.Countdown = runPeriod * 100 // stays in COUNTDOWN: the room never asks Results
			r, err := NewRoom(cfg, g)
			if err != nil {
				t.Fatal(err)
			}
			errc := make(chan error, 1)
			go func() { errc <- r.Run(context.Background()) }()
			links := []*fakeLink{newFakeLink(t), newFakeLink(t)}
			for i, name := range []string{"ann", "bob"} {
				if _, err := r.Join(context.Background(), name, links[i]); err != nil {
					t.Fatal(err)
				}
			}
			if tt.ended {
				fg := g.(*fakeGame)
				fg.mu.Lock()
				fg.ended = true
				fg.mu.Unlock()
			}
			r.CloseWithResults("server maintenance")
			r.Close(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN) // the first close counts
			if err := <-errc; err != nil {
				t.Fatalf("Run: %v", err)
			}
			for i, l := range links {
				m := l.lastMsgs(t, 3)
				st, res, left := m[0].GetRoomState(), m[1].GetMatchResults(), m[2].GetLeft()
				if st.GetPhase() != pb.RoomPhase_ROOM_PHASE_ENDED || res == nil || left == nil {
					t.Fatalf("link %d: last messages %v; want RoomState ENDED, MatchResults, Left", i, m)
				}
				if len(res.GetPlayers()) != len(tt.want) {
					t.Fatalf("link %d: results %v, want %v", i, res.GetPlayers(), tt.want)
				}
				for k, p := range res.GetPlayers() {
					if p.String() != tt.want[k].String() {
						t.Errorf("link %d: result %d = %v, want %v", i, k, p, tt.want[k])
					}
				}
				if left.GetReason() != pb.CloseReason_CLOSE_REASON_ROOM_CLOSED || left.GetMessage() != "server maintenance" {
					t.Errorf("link %d: Left %v, want ROOM_CLOSED with the reason", i, left)
				}
			}
		})
	}
}

func TestDebug(t *testing.T) {
	g := &debugGame{fakeGame: newFakeGame()}
	cfg := runCfg(NewManualClock(0))
	rec := &fakeRecorder{}
	cfg.Recorder = rec
	r, err := NewRoom(cfg, g)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- r.Run(context.Background()) }()
	ctx := context.Background()
	if _, err := r.Join(ctx, "ann", newFakeLink(t)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		command   string
		wantReply string
		wantErr   string
	}{
		{"heal 1", "ok heal 1", ""},
		{"fail", "", "it failed"},
		{strings.Repeat("x", MaxDebugCommandBytes+1), "", "exceeds"},
	}
	for _, tt := range tests {
		t.Run(tt.command[:min(len(tt.command), 8)], func(t *testing.T) {
			reply, err := r.Debug(ctx, tt.command)
			if reply != tt.wantReply {
				t.Errorf("reply %q, want %q", reply, tt.wantReply)
			}
			if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("error %v, want one about %q", err, tt.wantErr)
			}
		})
	}
	r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.commands, []string{"heal 1", "fail"}) {
		t.Errorf("game got commands %q, want heal 1 and fail (not the one too long)", g.commands)
	}
	// Both reached the game, so both reached its recorder, after the join.
	var got []string
	for _, c := range rec.all() {
		if strings.HasPrefix(c, "join ") || strings.HasPrefix(c, "debug ") {
			got = append(got, c)
		}
	}
	if want := []string{"join 1 ann 101 false", "debug heal 1", "debug fail"}; !slices.Equal(got, want) {
		t.Errorf("recorded %q, want %q", got, want)
	}
}

func TestDebugWithoutHandler(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	if _, err := rr.r.Debug(context.Background(), "help"); !errors.Is(err, ErrNoDebug) {
		t.Fatalf("Debug on a game without a handler: %v, want ErrNoDebug", err)
	}
}
