package client

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"go.uber.org/goleak"
)

// quiet disables the pinger so scripts see only the messages they provoke.
var quiet = ClientConfig{PingInterval: -1}

func TestClientHandshake(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	c, _ := srv.dial(t, quiet)
	w := c.Welcome()
	if w.GetSessionId() != "s1" || w.GetProtocolVersion() != uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT) || w.GetMaxFrameBytes() != 4096 {
		t.Errorf("Welcome() = %v", w)
	}
	if c.Joined() != nil || c.Schema() != nil {
		t.Errorf("before Join: Joined() = %v, schema %v", c.Joined(), c.Schema() != nil)
	}
	if tick, rows := c.State(); tick != 0 || rows.Len() != 0 {
		t.Errorf("State() before Join = %d %s", tick, dump(rows))
	}
	if got := c.Interpolated(time.Now(), nil); got.Len() != 0 {
		t.Errorf("Interpolated() before Join = %s", dump(got))
	}
	if p, ok := c.Predicted(); ok {
		t.Errorf("Predicted() before Join = %v, true", p)
	}
	if err := c.Err(); err != nil {
		t.Errorf("Err() on an open client = %v", err)
	}
	if _, err := c.SendInput(0, 1, 1, 0); !errors.Is(err, ErrNotJoined) {
		t.Errorf("SendInput before Join: err = %v, want ErrNotJoined", err)
	}
	if st := c.Stats(); st.ClockSamples != 1 || st.FramesIn != 1 || st.FramesOut != 1 {
		t.Errorf("Stats after handshake = %+v, want one clock sample, one frame each way", st)
	}
}

func TestClientVersionMismatch(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{refuseVersion: true})
	ctx, cancel := context.WithTimeout(context.Background(), scriptWait)
	defer cancel()
	c, err := Dial(ctx, ClientConfig{URL: srv.url, Name: "old", PingInterval: -1})
	if err == nil {
		c.Close()
		t.Fatal("Dial succeeded against a server refusing the version")
	}
	se, ok := errorsAs[*ServerError](err)
	if !ok || se.Code != pb.ErrorCode_ERROR_CODE_UNSUPPORTED_VERSION {
		t.Errorf("Dial error %v: want a *ServerError UNSUPPORTED_VERSION", err)
	}
	ce, ok := errorsAs[*wire.CloseError](err)
	if !ok || ce.Reason != pb.CloseReason_CLOSE_REASON_VERSION_MISMATCH || ce.Message != "upgrade your client" {
		t.Errorf("Dial error %v: want a *wire.CloseError VERSION_MISMATCH with the server's message", err)
	}
	for _, want := range []string{"unsupported_version", "version_mismatch", "protocol version 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Dial error %q does not mention %q", err, want)
		}
	}
}

func TestClientDialCanceled(t *testing.T) {
	seen := make(chan struct{})
	srv := newScriptServer(t, scriptOpts{silent: true, helloSeen: seen})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-seen
		cancel() // the server got Hello and will never answer it
	}()
	c, err := Dial(ctx, ClientConfig{URL: srv.url, Name: "patient", PingInterval: -1})
	if err == nil {
		c.Close()
		t.Fatal("Dial succeeded without a Welcome")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Dial error = %v, want it to wrap context.Canceled", err)
	}
}

func TestClientJoin(t *testing.T) {
	tests := []struct {
		name     string
		room     string
		reply    *pb.ServerMessage
		wantCode pb.ErrorCode // 0: success
	}{
		{"joined", "", joinedMsg("r1"), 0},
		{"room full", "r9", wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_ROOM_FULL, "no seat"), pb.ErrorCode_ERROR_CODE_ROOM_FULL},
		{"unknown room", "nope", wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_UNKNOWN_ROOM, ""), pb.ErrorCode_ERROR_CODE_UNKNOWN_ROOM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{})
			var others []*pb.ServerMessage
			cfg := quiet
			cfg.OnMessage = func(m *pb.ServerMessage) { others = append(others, m) }
			c, sc := srv.dial(t, cfg)
			j, err := sc.join(c, "arena", tt.room, tt.reply)
			if tt.wantCode == 0 {
				if err != nil || j.GetRoomId() != "r1" || c.Joined() != j {
					t.Fatalf("Join = %v, %v; Joined() = %v", j, err, c.Joined())
				}
				if s := c.Schema(); s == nil || s.Width() != testSchema.Width() || s.KindNamed("crate").Kind != kindCrate {
					t.Errorf("Schema() after Join = %+v, want the test schema", s)
				}
			} else {
				se, ok := errorsAs[*ServerError](err)
				if !ok || se.Code != tt.wantCode || j != nil {
					t.Fatalf("Join = %v, %v; want *ServerError %v", j, err, tt.wantCode)
				}
				if c.Joined() != nil || c.Schema() != nil {
					t.Errorf("after a refused join: Joined() = %v, schema %v", c.Joined(), c.Schema() != nil)
				}
				// The connection stays usable: a second join succeeds.
				if _, err := sc.join(c, "arena", "", joinedMsg("r1")); err != nil {
					t.Fatalf("join after refusal: %v", err)
				}
			}
			// A Leave reaches the server; Left clears the seat.
			if err := c.Leave(); err != nil {
				t.Fatalf("Leave: %v", err)
			}
			if msg := sc.recv(); msg.GetLeaveRoom() == nil {
				t.Fatalf("want LeaveRoom, got %v", msg)
			}
			sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{RoomId: "r1", Reason: pb.CloseReason_CLOSE_REASON_NORMAL}}})
			sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Pong{Pong: &pb.Pong{ClientTimeUs: 12345}}})
			// The reader handles frames in order: once this snapshot is
			// counted as dropped, the Left and Pong before it were handled.
			sc.snapshot(3, 0, nil, world(1), 0, 0)
			deadline := time.Now().Add(scriptWait)
			for c.Stats().UnexpectedSnapshots == 0 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			if st := c.Stats(); st.UnmatchedPongs != 1 || st.ClockSamples != 1 {
				t.Errorf("a pong echoing no ping: unmatched %d, samples %d; want 1 and 1", st.UnmatchedPongs, st.ClockSamples)
			}
			if c.Joined() != nil || c.Schema() != nil || c.Stats().UnexpectedSnapshots != 1 {
				t.Errorf("after Left: Joined() = %v, schema %v, unexpected snapshots %d", c.Joined(), c.Schema() != nil, c.Stats().UnexpectedSnapshots)
			}
			if _, err := c.SendInput(0, 1, 1, 0); !errors.Is(err, ErrNotJoined) {
				t.Errorf("SendInput after Left: err = %v, want ErrNotJoined", err)
			}
			if len(others) == 0 || others[len(others)-1].GetLeft() == nil {
				t.Errorf("OnMessage did not see Left last: %v", others)
			}
		})
	}
}

func TestClientSnapshots(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	applied := make(chan SnapshotInfo, 32)
	var events []wire.Event
	cfg := quiet
	cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si }
	cfg.OnEvent = func(e wire.Event) { events = append(events, e) }
	c, sc := srv.dial(t, cfg)
	sc.mustJoin(c)

	ev := func(tick uint32) *pb.GameEvent {
		return &pb.GameEvent{Tick: tick, Kind: 1, Actor: 2, Target: 3, Values: []int32{10, -int32(tick)}}
	}
	checkState := func(tick uint32, want *wire.Rows) {
		t.Helper()
		gotTick, got := c.State()
		if gotTick != tick || !got.Equal(want) {
			t.Fatalf("State() = %d %s, want %d %s", gotTick, dump(got), tick, dump(want))
		}
	}

	// Full, then deltas against the acked tick, then one against an older
	// base the client still holds.
	sc.snapshot(3, 0, nil, world(1), 0, 0)
	sc.expectAck(3)
	checkState(3, world(1))
	sc.snapshot(6, 3, world(1), world(2), 0, 0, ev(4), ev(6))
	sc.expectAck(6)
	checkState(6, world(2))
	sc.snapshot(9, 6, world(2), world(3), 0, 0, ev(8))
	sc.expectAck(9)
	sc.snapshot(12, 3, world(1), world(4), 0, 0, ev(4), ev(6), ev(8), ev(11))
	sc.expectAck(12)
	checkState(12, world(4))

	// A wrong checksum: counted, a resync requested, and the bad state is
	// no baseline (the next delta on it is dropped as missing its base;
	// the outstanding request is not repeated).
	sc.snapshot(15, 12, world(4), world(5), 0, 1)
	sc.expectResync(15)
	sc.snapshot(18, 15, world(5), world(6), 0, 0)
	sc.snapshot(21, 0, nil, world(7), 0, 0)
	sc.expectAck(21)
	checkState(21, world(7))

	// A delta on a base never seen asks for a resync again.
	sc.snapshot(24, 999, world(1), world(8), 0, 0)
	sc.expectResync(24)
	checkState(21, world(7))

	var ticks []uint32
	for len(applied) > 0 {
		ticks = append(ticks, (<-applied).Tick)
	}
	if want := []uint32{3, 6, 9, 12, 21}; !slices.Equal(ticks, want) {
		t.Errorf("OnSnapshot ticks = %v, want %v", ticks, want)
	}
	var evTicks []uint32
	for _, e := range events {
		evTicks = append(evTicks, e.Tick)
		want := wire.Event{Tick: e.Tick, Kind: 1, Actor: 2, Target: 3, Values: [wire.MaxEventValues]int32{10, -int32(e.Tick)}}
		if e != want {
			t.Errorf("event %+v, want %+v", e, want)
		}
	}
	if want := []uint32{4, 6, 8, 11}; !slices.Equal(evTicks, want) {
		t.Errorf("events delivered for ticks %v, want each once: %v", evTicks, want)
	}
	st := c.Stats()
	want := ClientStats{Snapshots: 5, FullSnapshots: 2, Desyncs: 1, MissingBaseSnapshots: 2, ResyncRequests: 2, LastTick: 21}
	got := ClientStats{Snapshots: st.Snapshots, FullSnapshots: st.FullSnapshots, Desyncs: st.Desyncs,
		MissingBaseSnapshots: st.MissingBaseSnapshots, ResyncRequests: st.ResyncRequests, LastTick: st.LastTick}
	if got != want {
		t.Errorf("Stats = %+v, want %+v", got, want)
	}
	if st.BytesIn == 0 || st.FramesIn != 10 || st.DecodeErrors != 0 || st.StaleSnapshots != 0 {
		t.Errorf("Stats counters = %+v", st)
	}
}

func TestClientInputs(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	applied := make(chan uint32, 16)
	acks := make(chan uint32, 16)
	cfg := quiet
	// Moves along x only, like the script's world.
	cfg.Predict = func(kind uint32, fields []int32, in *pb.Input, tickHz int) {
		if kind != kindPlayer || tickHz != 60 {
			t.Errorf("Predict(kind %d, tickHz %d), want a player at 60 Hz", kind, tickHz)
		}
		fields[fX] += in.Values[inMoveX]
	}
	cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si.Tick }
	cfg.OnInputAck = func(seq uint32, latency time.Duration) {
		if latency < 0 {
			t.Errorf("input %d: negative latency %v", seq, latency)
		}
		acks <- seq
	}
	c, sc := srv.dial(t, cfg)
	sc.mustJoin(c)
	self := func(x int32) *wire.Rows { return rowsOf(ent(1, 500, 500, 0), ent(2, x, 0, 0)) }

	sc.snapshot(3, 0, nil, self(0), 0, 0)
	sc.expectAck(3)
	waitFor(t, applied, "snapshot 3")

	for i := int32(1); i <= 5; i++ {
		aim := 100 * i
		if i == 5 {
			aim = -1 // taken modulo the aim's 4096 steps
		}
		seq, err := c.SendInput(i, i, -300, aim)
		if err != nil || seq != uint32(i) {
			t.Fatalf("SendInput %d = %d, %v", i, seq, err)
		}
		b := sc.recvInput()
		var seqs []uint32
		for _, in := range b.Inputs {
			seqs = append(seqs, in.Seq)
		}
		wantSeqs := []uint32{}
		for s := max(1, i-DefaultInputRedundancy); s <= i; s++ {
			wantSeqs = append(wantSeqs, uint32(s))
		}
		if !slices.Equal(seqs, wantSeqs) || b.AckTick != 3 {
			t.Fatalf("batch %d: seqs %v ack %d, want %v ack 3", i, seqs, b.AckTick, wantSeqs)
		}
		newest := b.Inputs[len(b.Inputs)-1]
		wantAim := aim
		if i == 5 {
			wantAim = angleSteps - 1
		}
		if want := []int32{i, i, -moveAxisMax, wantAim}; !slices.Equal(newest.Values, want) {
			t.Errorf("input %d values = %v, want %v", i, newest.Values, want)
		}
		if newest.Tick < 1 {
			t.Errorf("input %d aimed at tick %d, before the join tick", i, newest.Tick)
		}
	}
	if p, ok := c.Predicted(); !ok || p.ID != 2 || p.Kind != kindPlayer || p.Fields[fX] != 15 {
		t.Errorf("Predicted() = %v, %v; want player 2 at x 15 (0 + 1..5)", p, ok)
	}

	// The server applied 1..3 but its position is 5 units off the
	// prediction (6): reconciliation follows it.
	sc.snapshot(6, 3, self(0), self(11), 3, 0)
	waitFor(t, applied, "snapshot 6")
	if p, _ := c.Predicted(); p.Fields[fX] != 20 {
		t.Errorf("Predicted() after reconciliation x = %d, want 20 (11 + 4 + 5)", p.Fields[fX])
	}
	if _, err := c.SendInput(0, 6, 0, 0); err != nil {
		t.Fatal(err)
	}
	b := sc.recvInput()
	if len(b.Inputs) != 3 || b.Inputs[0].Seq != 4 || b.Inputs[2].Seq != 6 || b.AckTick != 6 {
		t.Fatalf("batch after ack = %v, want seqs 4..6 ack 6", b)
	}
	sc.snapshot(9, 6, self(11), self(26), 6, 0)
	waitFor(t, applied, "snapshot 9")

	var got []uint32
	for len(acks) > 0 {
		got = append(got, <-acks)
	}
	if want := []uint32{1, 2, 3, 4, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("OnInputAck seqs = %v, want %v", got, want)
	}
	st := c.Stats()
	if st.LastAppliedInputSeq != 6 || st.InputsSent != 6 || st.InputsAcked != 6 {
		t.Errorf("Stats inputs = %+v", st)
	}
	if st.PredictionErrorMax != 5 || st.PredictionErrorLast != 0 {
		t.Errorf("prediction error last %v max %v, want 0 and 5", st.PredictionErrorLast, st.PredictionErrorMax)
	}
	if p, _ := c.Predicted(); p.Fields[fX] != 26 {
		t.Errorf("Predicted() with nothing pending x = %d, want authoritative 26", p.Fields[fX])
	}
	if _, rows := c.State(); rows.Field(1, fX) != 26 {
		t.Errorf("Predict changed the replica: State() = %s", dump(rows))
	}
}

func TestClientClockSync(t *testing.T) {
	const offset = 7 * time.Second
	start := time.Now()
	srv := newScriptServer(t, scriptOpts{offsetUS: offset.Microseconds()})
	c, sc := srv.dial(t, ClientConfig{PingInterval: 5 * time.Millisecond})
	sc.serveUntil(func() bool { return c.Stats().ClockSamples >= 6 })
	// Every sample's error is at most half its round trip, and no round
	// trip outlasted the test so far.
	bound := time.Since(start) / 2
	st := c.Stats()
	if d := st.ClockOffset - offset; d < -bound || d > bound {
		t.Errorf("ClockOffset = %v, want %v ± %v", st.ClockOffset, offset, bound)
	}
	serverNow := time.Duration(c.ServerNow()-clientClockUS(time.Now())) * time.Microsecond
	if d := serverNow - offset; d < -bound || d > bound+time.Millisecond {
		t.Errorf("ServerNow() - local = %v, want %v ± %v", serverNow, offset, bound)
	}
	if st.RTT > 2*bound || st.RTTSmoothed > 2*bound {
		t.Errorf("RTT %v / %v longer than the test", st.RTT, st.RTTSmoothed)
	}
	var pings int
	for _, m := range sc.seen {
		if m.GetPing() != nil {
			pings++
		}
	}
	if pings < 5 {
		t.Errorf("server saw %d pings, want at least 5", pings)
	}
}

func TestClientInterpolated(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	applied := make(chan uint32, 4)
	cfg := quiet
	cfg.InterpolationDelay = time.Hour // far behind: the oldest snapshot shows
	cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si.Tick }
	c, sc := srv.dial(t, cfg)
	sc.mustJoin(c)
	sc.snapshot(3, 0, nil, world(1), 0, 0)
	waitFor(t, applied, "snapshot 3")
	sc.snapshot(6, 3, world(1), world(2), 0, 0)
	waitFor(t, applied, "snapshot 6")
	if got := c.Interpolated(time.Now(), nil); !got.Equal(world(1)) {
		t.Errorf("Interpolated an hour back = %s, want the oldest snapshot %s", dump(got), dump(world(1)))
	}
	// A reused buffer is overwritten, not appended to.
	buf := rowsOf(ent(99, 1, 1, 1))
	if got := c.Interpolated(time.Now().Add(2*time.Hour), buf); got != buf || !got.Equal(world(2)) {
		t.Errorf("Interpolated ahead = %s, want the newest snapshot %s in the given buffer", dump(got), dump(world(2)))
	}
}

func TestClientServerClose(t *testing.T) {
	tests := []struct {
		name        string
		withClosing bool
		wantMessage string
	}{
		{"closing message then close frame", true, "closing says why"},
		{"close frame only", false, "frame says why"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{})
			c, sc := srv.dial(t, quiet)
			if tt.withClosing {
				sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Closing{Closing: &pb.Closing{
					Reason: pb.CloseReason_CLOSE_REASON_KICKED, Message: "closing says why"}}})
			}
			sc.closeWith(pb.CloseReason_CLOSE_REASON_KICKED, "frame says why")
			waitFor(t, c.Done(), "client to end")
			ce, ok := errorsAs[*wire.CloseError](c.Err())
			if !ok || ce.Reason != pb.CloseReason_CLOSE_REASON_KICKED || ce.Message != tt.wantMessage {
				t.Fatalf("Err() = %v, want *wire.CloseError{KICKED, %q}", c.Err(), tt.wantMessage)
			}
			if _, err := c.SendInput(0, 0, 0, 0); err == nil {
				t.Error("SendInput after the server closed succeeded")
			}
			sc.finish(c)
			if _, ok := errorsAs[*wire.CloseError](c.Err()); !ok {
				t.Errorf("Close after the server's close replaced Err() with %v", c.Err())
			}
		})
	}
}

func TestClientCloseLeavesNoGoroutine(t *testing.T) {
	before := goleak.IgnoreCurrent()
	srv := newScriptServer(t, scriptOpts{})
	c, sc := srv.dial(t, ClientConfig{PingInterval: time.Millisecond})
	sc.mustJoin(c)
	sc.finish(c) // closes the client while the pinger runs
	if !errors.Is(c.Err(), ErrClientClosed) {
		t.Errorf("Err() after Close = %v, want ErrClientClosed", c.Err())
	}
	select {
	case <-c.Done():
	default:
		t.Error("Done() not closed after Close returned")
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := c.Join(context.Background(), "", ""); err == nil {
		t.Error("Join after Close succeeded")
	}
	srv.close()
	goleak.VerifyNone(t, before)
}

// TestClientDerivesServerTime: a snapshot without server_time_us gets the
// time of the newest one that had it, plus its ticks at the room's rate.
func TestClientDerivesServerTime(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	applied := make(chan SnapshotInfo, 8)
	cfg := quiet
	cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si }
	c, sc := srv.dial(t, cfg)
	sc.mustJoin(c) // 60 Hz
	steps := []struct {
		tick, base uint32
		sentUS     int64 // 0: left out
		wantUS     int64
	}{
		{3, 0, 1_000_000, 1_000_000},
		{6, 3, 0, 1_050_000},
		{9, 6, 2_000_000, 2_000_000}, // the server re-anchored
		{13, 9, 0, 2_066_666},        // 4 ticks of 16,666.67 µs, rounded down
	}
	var base *wire.Rows
	for i, s := range steps {
		w := world(i + 1)
		sc.snapshotAt(s.tick, s.base, base, w, s.sentUS)
		sc.expectAck(s.tick)
		if got := (<-applied).ServerTimeUS; got != s.wantUS {
			t.Errorf("tick %d: server time %d, want %d", s.tick, got, s.wantUS)
		}
		base = w
	}
	sc.finish(c)
}
