package netcode

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"go.uber.org/goleak"
	"google.golang.org/protobuf/proto"
)

func TestConnRoundTrip(t *testing.T) {
	s := newTestServer(t, serveOpts{})
	ws, sv := s.dial(t)
	framesIn := counter(wsFramesReceived)

	before := wire.ServerTimeUS()
	send(t, ws, &pb.ClientMessage{Body: &pb.ClientMessage_Ping{Ping: &pb.Ping{ClientTimeUs: 123}}})
	pong := mustRead(t, ws).GetPong()
	if pong == nil {
		t.Fatal("want a Pong answering Ping")
	}
	if pong.GetClientTimeUs() != 123 {
		t.Errorf("pong client time = %d, want 123", pong.GetClientTimeUs())
	}
	if st := pong.GetServerTimeUs(); st < before || st > wire.ServerTimeUS() {
		t.Errorf("pong server time %d outside [%d, now]", st, before)
	}

	send(t, ws, ackMsg(7))
	select {
	case m := <-sv.got:
		if m.GetAck().GetTick() != 7 {
			t.Errorf("handler got %v, want Ack tick 7 (and never the Ping)", m)
		}
	case <-time.After(waitLimit):
		t.Fatal("handler never saw the Ack")
	}
	if got := counter(wsFramesReceived) - framesIn; got != 2 {
		t.Errorf("frames received metric rose by %v, want 2", got)
	}
	// The writer counts a frame once its write returns, which may be
	// after the client has read it.
	deadline := time.Now().Add(waitLimit)
	for sv.conn.Stats().FramesOut == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	st := sv.conn.Stats()
	if st.FramesIn != 2 || st.FramesOut != 1 || st.BytesIn == 0 || st.BytesOut == 0 {
		t.Errorf("stats = %+v, want 2 frames in, 1 out, some bytes both ways", st)
	}
	if sv.conn.RemoteAddr() == "" {
		t.Error("empty RemoteAddr")
	}
	if err := sv.conn.Serve(context.Background(), nil); err == nil {
		t.Error("a second Serve must fail")
	}

	ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	if err := sv.serveResult(t); err != nil {
		t.Errorf("Serve after the peer's normal close = %v, want nil", err)
	}
	if !sv.conn.PeerLeft() {
		t.Error("PeerLeft() = false after the peer closed with 1000")
	}
	if len(sv.got) != 0 {
		t.Errorf("handler saw %d unexpected messages", len(sv.got))
	}
}

// TestConnPeerGoingAwayIsNotLeaving: 1001 (a tab closing or reloading) is
// not a goodbye, so the lobby holds the seat for a reconnection.
func TestConnPeerGoingAwayIsNotLeaving(t *testing.T) {
	s := newTestServer(t, serveOpts{})
	ws, sv := s.dial(t)
	ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""))
	if err := sv.serveResult(t); err != nil {
		t.Errorf("Serve after the peer went away = %v, want nil", err)
	}
	if sv.conn.PeerLeft() {
		t.Error("PeerLeft() = true after 1001 going away")
	}
}

func TestConnRefusesBadFrames(t *testing.T) {
	const maxFrame = 256
	tests := []struct {
		name      string
		kind      int
		data      []byte
		reason    string // frames_rejected_total label
		wantError bool   // an Error BAD_MESSAGE and a Closing precede the close
		wantCode  int
	}{
		{"text frame", websocket.TextMessage, []byte(`{"ping":{}}`), rejectText, true, 4006},
		{"malformed protobuf", websocket.BinaryMessage, []byte{0x0a, 0x05, 0x01}, rejectMalformed, true, 4006},
		{"empty envelope", websocket.BinaryMessage, nil, rejectEmpty, true, 4006},
		{"unknown body only", websocket.BinaryMessage, []byte{0xf8, 0x06, 0x01}, rejectEmpty, true, 4006},
		{"oversized frame", websocket.BinaryMessage, make([]byte, maxFrame+1), rejectTooLarge, false, wire.CloseCodeFrameTooLarge},
	}
	s := newTestServer(t, serveOpts{cfg: ConnConfig{MaxFrameBytes: maxFrame}})
	bystander, _ := s.dial(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rejected := counter(framesRejected.WithLabelValues(tt.reason))
			closed := counter(connectionsClosed.WithLabelValues("protocol_error"))
			ws, sv := s.dial(t)
			pingPong(t, ws) // a working connection until the bad frame
			if err := ws.WriteMessage(tt.kind, tt.data); err != nil {
				t.Fatalf("write: %v", err)
			}
			msgs, ce := readUntilClose(t, ws)
			if ce.Code != tt.wantCode {
				t.Errorf("close code = %d (%q), want %d", ce.Code, ce.Text, tt.wantCode)
			}
			if tt.wantError {
				if len(msgs) != 2 || msgs[0].GetError().GetCode() != pb.ErrorCode_ERROR_CODE_BAD_MESSAGE ||
					msgs[1].GetClosing().GetReason() != pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR {
					t.Fatalf("got %v, want Error BAD_MESSAGE then Closing PROTOCOL_ERROR", msgs)
				}
				if msgs[0].GetError().GetMessage() == "" {
					t.Error("the Error carries no text")
				}
			} else if len(msgs) != 0 {
				t.Errorf("got %v before the close frame, want nothing", msgs)
			}
			sv.serveResult(t)
			if got := counter(framesRejected.WithLabelValues(tt.reason)) - rejected; got != 1 {
				t.Errorf("frames rejected{%s} rose by %v, want 1", tt.reason, got)
			}
			if got := counter(connectionsClosed.WithLabelValues("protocol_error")) - closed; got != 1 {
				t.Errorf("connections closed{protocol_error} rose by %v, want 1", got)
			}
			if len(sv.got) != 0 {
				t.Errorf("handler saw %d messages, want none", len(sv.got))
			}
			pingPong(t, bystander)
		})
	}
}

func TestConnHandlerErrors(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantText string
	}{
		{"close error", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_REPLACED, Message: "signed in elsewhere"}, 4008, "signed in elsewhere"},
		{"wrapped close error", errorWrap(&wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_KICKED, Message: "cheating"}), 4002, "cheating"},
		{"plain error", errors.New("no such thing"), 4006, "no such thing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, serveOpts{handle: func(*served, *pb.ClientMessage) error { return tt.err }})
			ws, sv := s.dial(t)
			send(t, ws, ackMsg(1))
			msgs, ce := readUntilClose(t, ws)
			if ce.Code != tt.wantCode || ce.Text != tt.wantText {
				t.Errorf("close = %d %q, want %d %q", ce.Code, ce.Text, tt.wantCode, tt.wantText)
			}
			if len(msgs) != 1 || msgs[0].GetClosing().GetMessage() != tt.wantText {
				t.Errorf("messages before close = %v, want one Closing %q", msgs, tt.wantText)
			}
			var got *wire.CloseError
			if err := sv.serveResult(t); !errors.As(err, &got) || wire.CloseCode(got.Reason) != tt.wantCode {
				t.Errorf("Serve = %v, want a wire.CloseError with code %d", err, tt.wantCode)
			}
		})
	}
}

// errorWrap wraps err the way a handler might.
func errorWrap(err error) error { return errors.Join(errors.New("join"), err) }

func TestConnFlood(t *testing.T) {
	s := newTestServer(t, serveOpts{})
	flooder, floodSide := s.dial(t)
	normal, normalSide := s.dial(t)
	limited := counter(framesRejected.WithLabelValues(rejectRateLimited))

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // as fast as possible, until the server hangs up
		defer wg.Done()
		b := mustMarshal(t, ackMsg(1))
		for i := 0; i < 5000; i++ {
			if flooder.WriteMessage(websocket.BinaryMessage, b) != nil {
				return
			}
		}
	}()
	go func() { // 40 messages at 40 Hz: within the burst even if they arrive at once
		defer wg.Done()
		b := mustMarshal(t, ackMsg(2))
		tick := time.NewTicker(25 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < 40; i++ {
			<-tick.C
			if normal.WriteMessage(websocket.BinaryMessage, b) != nil {
				return
			}
		}
	}()

	msgs, ce := readUntilClose(t, flooder)
	wg.Wait()
	if ce.Code != wire.CloseCode(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR) || ce.Text != "message rate limit exceeded" {
		t.Errorf("flooder closed with %d %q, want 4006 \"message rate limit exceeded\"", ce.Code, ce.Text)
	}
	if len(msgs) != 2 || msgs[0].GetError().GetCode() != pb.ErrorCode_ERROR_CODE_RATE_LIMITED || msgs[1].GetClosing() == nil {
		t.Errorf("flooder got %v, want Error RATE_LIMITED then Closing", msgs)
	}
	floodSide.serveResult(t)
	// The pong to the server's first ping spends a token of the burst too.
	if n := len(floodSide.got); n < 59 || n >= 1000 {
		t.Errorf("flooder's handler saw %d messages, want the burst of 60 (less a pong) plus a few refills", n)
	}
	if floodSide.conn.Stats().RateLimited == 0 || counter(framesRejected.WithLabelValues(rejectRateLimited)) <= limited {
		t.Error("dropped messages were not counted")
	}

	pingPong(t, normal) // still open and answering
	if n := len(normalSide.got); n != 40 {
		t.Errorf("normal client's handler saw %d messages, want 40", n)
	}
	if d := normalSide.conn.Stats().RateLimited; d != 0 {
		t.Errorf("normal client had %d messages rate limited", d)
	}
}

// mustMarshal marshals a client message for raw writes.
func mustMarshal(t *testing.T, msg *pb.ClientMessage) []byte {
	b, err := proto.Marshal(msg)
	if err != nil {
		t.Errorf("marshal: %v", err)
	}
	return b
}

func TestConnLatestWins(t *testing.T) {
	t.Run("offers before the writer runs", func(t *testing.T) {
		superseded := counter(snapshotsSuperseded)
		s := newTestServer(t, serveOpts{beforeServe: func(sv *served) {
			for tick := uint32(1); tick <= 100; tick++ {
				sv.conn.OfferSnapshot(snapshotFrame(t, tick, 8))
			}
		}})
		ws, sv := s.dial(t)
		if tick := mustRead(t, ws).GetSnapshot().GetTick(); tick != 100 {
			t.Errorf("first snapshot is tick %d, want the newest, 100", tick)
		}
		pingPong(t, ws) // a second snapshot would have come before the Pong
		if got := counter(snapshotsSuperseded) - superseded; got != 99 {
			t.Errorf("superseded metric rose by %v, want 99", got)
		}
		if st := sv.conn.Stats(); st.SnapshotsSuperseded != 99 || st.SnapshotsSent != 1 {
			t.Errorf("stats = %+v, want 99 superseded, 1 sent", st)
		}
	})
	t.Run("offers while the client does not read", func(t *testing.T) {
		s := newTestServer(t, serveOpts{})
		ws, sv := s.dial(t)
		// A frame larger than every socket buffer blocks the writer until
		// the client reads.
		sv.conn.OfferSnapshot(snapshotFrame(t, 0, 24<<20))
		deadline := time.Now().Add(waitLimit)
		for sv.conn.slot.Load() != nil {
			if time.Now().After(deadline) {
				t.Fatal("writer never took the big frame")
			}
			time.Sleep(time.Millisecond)
		}
		superseded := sv.conn.Stats().SnapshotsSuperseded
		for tick := uint32(1); tick <= 100; tick++ {
			sv.conn.OfferSnapshot(snapshotFrame(t, tick, 8))
		}
		if tick := mustRead(t, ws).GetSnapshot().GetTick(); tick != 0 {
			t.Fatalf("first frame is tick %d, want the big tick 0", tick)
		}
		var ticks []uint32
		for len(ticks) == 0 || ticks[len(ticks)-1] != 100 {
			msg := mustRead(t, ws)
			ticks = append(ticks, msg.GetSnapshot().GetTick())
		}
		if len(ticks) > 3 {
			t.Errorf("client read %d small snapshots (%v), want far fewer than 100", len(ticks), ticks)
		}
		if got := sv.conn.Stats().SnapshotsSuperseded - superseded; got < 97 {
			t.Errorf("%d snapshots superseded, want at least 97", got)
		}
	})
}

func TestConnSlowConsumer(t *testing.T) {
	t.Run("stalled snapshots", func(t *testing.T) {
		slow := counter(slowConsumers.WithLabelValues(slowSnapshotStalled))
		closed := counter(connectionsClosed.WithLabelValues("slow_consumer"))
		s := newTestServer(t, serveOpts{cfg: ConnConfig{SlowConsumerAfter: 100 * time.Millisecond}})
		_, sv := s.dial(t) // never reads
		frame := snapshotFrame(t, 1, 1<<20)
		var err error
	offer:
		for {
			select {
			case err = <-sv.err:
				break offer
			case <-time.After(5 * time.Millisecond):
				sv.conn.OfferSnapshot(frame)
			}
		}
		var ce *wire.CloseError
		if !errors.As(err, &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER {
			t.Errorf("Serve = %v, want a SLOW_CONSUMER wire.CloseError", err)
		}
		if got := counter(slowConsumers.WithLabelValues(slowSnapshotStalled)) - slow; got != 1 {
			t.Errorf("slow consumers{snapshot_stalled} rose by %v, want 1", got)
		}
		if got := counter(connectionsClosed.WithLabelValues("slow_consumer")) - closed; got != 1 {
			t.Errorf("connections closed{slow_consumer} rose by %v, want 1", got)
		}
	})
	t.Run("reliable queue overflow", func(t *testing.T) {
		slow := counter(slowConsumers.WithLabelValues(slowReliableFull))
		s := newTestServer(t, serveOpts{cfg: ConnConfig{ReliableQueue: 4}, beforeServe: func(sv *served) {
			for i := range 5 {
				ok := sv.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_NOT_IN_ROOM, "x"))
				if ok != (i < 4) {
					t.Errorf("Send #%d = %v, want %v", i+1, ok, i < 4)
				}
			}
			if sv.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_NOT_IN_ROOM, "late")) {
				t.Error("Send after close returned true")
			}
		}})
		ws, sv := s.dial(t)
		msgs, ce := readUntilClose(t, ws)
		if ce.Code != 4004 || ce.Text != "reliable queue full" {
			t.Errorf("close = %d %q, want 4004 \"reliable queue full\"", ce.Code, ce.Text)
		}
		if len(msgs) != 5 || msgs[4].GetClosing().GetReason() != pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER {
			t.Errorf("got %d messages (%v), want the 4 queued then Closing SLOW_CONSUMER", len(msgs), msgs)
		}
		sv.serveResult(t)
		if got := counter(slowConsumers.WithLabelValues(slowReliableFull)) - slow; got != 1 {
			t.Errorf("slow consumers{reliable_queue_full} rose by %v, want 1", got)
		}
	})
}

func TestConnClose(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	tests := []struct {
		name     string
		message  string
		wantText string
	}{
		{"short", "bye", "bye"},
		{"too long for a close frame", long, long[:122]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, serveOpts{})
			ws, sv := s.dial(t)
			pingPong(t, ws)
			sv.conn.Close(pb.CloseReason_CLOSE_REASON_KICKED, tt.message)
			sv.conn.Close(pb.CloseReason_CLOSE_REASON_NORMAL, "ignored") // only the first counts
			msgs, ce := readUntilClose(t, ws)
			if len(msgs) != 1 || msgs[0].GetClosing().GetReason() != pb.CloseReason_CLOSE_REASON_KICKED ||
				msgs[0].GetClosing().GetMessage() != tt.message {
				t.Errorf("got %v, want one Closing KICKED %q", msgs, tt.message)
			}
			if ce.Code != 4002 || ce.Text != tt.wantText {
				t.Errorf("close = %d %q, want 4002 %q", ce.Code, ce.Text, tt.wantText)
			}
			var got *wire.CloseError
			if err := sv.serveResult(t); !errors.As(err, &got) || got.Reason != pb.CloseReason_CLOSE_REASON_KICKED {
				t.Errorf("Serve = %v, want a KICKED wire.CloseError", err)
			}
			if sv.conn.Send(ackServerMsg()) {
				t.Error("Send after Close returned true")
			}
		})
	}
}

// ackServerMsg is any small server message.
func ackServerMsg() *pb.ServerMessage {
	return &pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{RoomId: "r"}}}
}

func TestConnContextCancel(t *testing.T) {
	before := goleak.IgnoreCurrent()
	open := counter(connectionsOpen)
	s := newTestServer(t, serveOpts{})
	ws, sv := s.dial(t)
	pingPong(t, ws)
	if got := counter(connectionsOpen) - open; got != 1 {
		t.Errorf("connections gauge rose by %v, want 1", got)
	}
	sv.cancel()
	msgs, ce := readUntilClose(t, ws)
	if len(msgs) != 1 || msgs[0].GetClosing().GetReason() != pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN {
		t.Errorf("got %v, want one Closing SERVER_SHUTDOWN", msgs)
	}
	if ce.Code != 4005 {
		t.Errorf("close code = %d, want 4005", ce.Code)
	}
	if err := sv.serveResult(t); !errors.Is(err, context.Canceled) {
		t.Errorf("Serve = %v, want context.Canceled", err)
	}
	if got := counter(connectionsOpen) - open; got != 0 {
		t.Errorf("connections gauge is %v above its start after Serve returned", got)
	}
	ws.Close()
	s.stop()
	goleak.VerifyNone(t, before)
}

// TestConnStart: a connection served with Start works as with Serve once
// the caller has returned: messages reach the handler, done gets what
// Serve would return (nil for the peer's normal close, the context's error
// after a cancel), and serving it again fails.
func TestConnStart(t *testing.T) {
	before := goleak.IgnoreCurrent()
	open := counter(connectionsOpen)
	s := newTestServer(t, serveOpts{start: true})

	ws, sv := s.dial(t)
	select {
	case <-sv.started:
	case <-time.After(waitLimit):
		t.Fatal("Start did not return while its connection was open")
	}
	pingPong(t, ws)
	send(t, ws, ackMsg(9))
	select {
	case m := <-sv.got:
		if m.GetAck().GetTick() != 9 {
			t.Errorf("handler got %v, want Ack tick 9", m)
		}
	case <-time.After(waitLimit):
		t.Fatal("handler never saw the Ack")
	}
	again := make(chan error, 1)
	sv.conn.Start(context.Background(), nil, func(err error) { again <- err })
	if err := <-again; err == nil {
		t.Error("a second Start must fail")
	}
	ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	if err := sv.serveResult(t); err != nil {
		t.Errorf("done after the peer's normal close got %v, want nil", err)
	}
	if !sv.conn.PeerLeft() {
		t.Error("PeerLeft() = false after the peer closed with 1000")
	}

	ws2, sv2 := s.dial(t)
	pingPong(t, ws2)
	sv2.cancel()
	if _, ce := readUntilClose(t, ws2); ce.Code != 4005 {
		t.Errorf("close code = %d, want 4005", ce.Code)
	}
	if err := sv2.serveResult(t); !errors.Is(err, context.Canceled) {
		t.Errorf("done after a cancel got %v, want context.Canceled", err)
	}
	if got := counter(connectionsOpen) - open; got != 0 {
		t.Errorf("connections gauge is %v above its start after both ended", got)
	}
	ws.Close()
	ws2.Close()
	s.stop()
	goleak.VerifyNone(t, before)
}

func TestConnDeadPeer(t *testing.T) {
	readErrors := counter(connectionsClosed.WithLabelValues(closedReadError))
	s := newTestServer(t, serveOpts{cfg: ConnConfig{PingPeriod: 20 * time.Millisecond, PongWait: 60 * time.Millisecond}})
	_, sv := s.dial(t) // never reads, so never answers a ping
	if err := sv.serveResult(t); err == nil {
		t.Error("Serve returned nil for a peer that stopped answering pings")
	}
	if got := counter(connectionsClosed.WithLabelValues(closedReadError)) - readErrors; got != 1 {
		t.Errorf("connections closed{read_error} rose by %v, want 1", got)
	}
}

// TestConnHandleInputs: input batches go to the input handler, decoded,
// and every other message to Serve's handler.
func TestConnHandleInputs(t *testing.T) {
	batches := make(chan wire.InputBatch, 1)
	s := newTestServer(t, serveOpts{beforeServe: func(sv *served) {
		sv.conn.HandleInputs(func(b *wire.InputBatch) error {
			// The reader reuses b: keep a copy.
			batches <- wire.InputBatch{Inputs: slices.Clone(b.Inputs), AckTick: b.AckTick}
			return nil
		})
	}})
	ws, sv := s.dial(t)
	send(t, ws, &pb.ClientMessage{Body: &pb.ClientMessage_Input{Input: &pb.InputBatch{
		Inputs: []*pb.Input{{Seq: 4, Tick: 9, Values: []int32{-2, 3}}}, AckTick: 8,
	}}})
	select {
	case b := <-batches:
		if b.AckTick != 8 || len(b.Inputs) != 1 || b.Inputs[0].Seq != 4 || b.Inputs[0].Tick != 9 ||
			!slices.Equal(b.Inputs[0].Stored(), []int32{-2, 3}) {
			t.Errorf("input handler got %+v", b)
		}
	case <-time.After(waitLimit):
		t.Fatal("input handler never saw the batch")
	}
	send(t, ws, ackMsg(7))
	select {
	case m := <-sv.got:
		if m.GetAck().GetTick() != 7 {
			t.Errorf("handler got %v, want Ack tick 7", m)
		}
	case <-time.After(waitLimit):
		t.Fatal("handler never saw the Ack")
	}
}
