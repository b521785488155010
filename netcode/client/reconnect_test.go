package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"go.uber.org/goleak"
)

// reconnecting is quiet with fast reconnection: the scripts, not the
// backoff, decide when a redial succeeds.
func reconnecting() ClientConfig {
	cfg := quiet
	cfg.Reconnect = ReconnectPolicy{Enabled: true, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, GiveUpAfter: scriptWait}
	return cfg
}

// goAsync runs f on a goroutine and returns its result channel.
func goAsync[T any](f func() T) <-chan T {
	ch := make(chan T, 1)
	go func() { ch <- f() }()
	return ch
}

// waitTick receives applied snapshot ticks until tick.
func waitTick(t *testing.T, applied <-chan uint32, tick uint32) {
	t.Helper()
	for waitFor(t, applied, fmt.Sprintf("snapshot %d", tick)) != tick {
	}
}

// resumedJoined is the Joined a server sends after Welcome{resumed}: the
// seat of joinedMsg("r1").
func resumedJoined() *pb.ServerMessage {
	m := joinedMsg("r1")
	m.GetJoined().Resumed = true
	m.GetJoined().Phase = pb.RoomPhase_ROOM_PHASE_RUNNING
	return m
}

func TestReconnectable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"network error", fmt.Errorf("connection lost: %w", &net.OpError{Op: "read", Err: errors.New("reset")}), true},
		{"eof", io.ErrUnexpectedEOF, true},
		{"abnormal closure", &websocket.CloseError{Code: websocket.CloseAbnormalClosure}, true},
		{"going away", &websocket.CloseError{Code: websocket.CloseGoingAway}, true},
		{"internal server error", &websocket.CloseError{Code: websocket.CloseInternalServerErr}, true},
		{"normal closure", &websocket.CloseError{Code: websocket.CloseNormalClosure}, false},
		{"message too big", &websocket.CloseError{Code: websocket.CloseMessageTooBig}, false},
		{"idle timeout", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_IDLE_TIMEOUT}, false},
		{"slow consumer", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER}, true},
		{"server full", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_SERVER_FULL}, true},
		{"replaced", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_REPLACED}, false},
		{"kicked", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_KICKED}, false},
		{"room closed", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_ROOM_CLOSED}, false},
		{"server shutdown", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN}, false},
		{"auth failed", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_AUTH_FAILED}, false},
		{"version mismatch", &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_VERSION_MISMATCH}, false},
		{"expired token without a close reason", fmt.Errorf("hello refused: %w", &ServerError{Code: pb.ErrorCode_ERROR_CODE_EXPIRED_TOKEN}), false},
		{"server full refusal", fmt.Errorf("hello refused: %w (%w)", &ServerError{Code: pb.ErrorCode_ERROR_CODE_SERVER_FULL},
			&wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_SERVER_FULL}), true},
		{"closed by the caller", ErrClientClosed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reconnectable(tt.err); got != tt.want {
				t.Errorf("reconnectable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	p := ReconnectPolicy{}.withDefaults()
	tests := []struct {
		attempt int
		jitter  float64
		want    time.Duration
	}{
		{0, 0, 100 * time.Millisecond},
		{0, 1, 50 * time.Millisecond},
		{1, 0, 200 * time.Millisecond},
		{4, 0, 1600 * time.Millisecond},
		{5, 0, 2 * time.Second},
		{5, 0.5, 1500 * time.Millisecond},
		{1000, 0, 2 * time.Second}, // no overflow
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("attempt %d jitter %v", tt.attempt, tt.jitter), func(t *testing.T) {
			if got := backoff(p, tt.attempt, tt.jitter); got != tt.want {
				t.Errorf("backoff = %v, want %v", got, tt.want)
			}
		})
	}
	if p.MinBackoff != DefaultReconnectMinBackoff || p.MaxBackoff != DefaultReconnectMaxBackoff || p.GiveUpAfter != DefaultReconnectGiveUpAfter {
		t.Errorf("defaults = %+v", p)
	}
}

func TestClientSessionToken(t *testing.T) {
	tests := []struct{ name, token string }{
		{"new guest", ""},
		{"reused session", "tok-0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{})
			cfg := quiet
			cfg.SessionToken = tt.token
			c, sc := srv.dial(t, cfg)
			if got := sc.hello.GetSessionToken(); got != tt.token {
				t.Errorf("Hello.session_token = %q, want %q", got, tt.token)
			}
			if got := c.SessionToken(); got != "tok-1" {
				t.Errorf("SessionToken() = %q, want the Welcome's tok-1", got)
			}
		})
	}
}

func TestClientReconnectResumes(t *testing.T) {
	release := make(chan struct{})
	srv := newScriptServer(t, scriptOpts{hello: func(n int, h *pb.Hello) helloAnswer {
		if n == 1 {
			return helloAnswer{welcome: &pb.Welcome{SessionId: "s1", SessionToken: "tok-1"}}
		}
		<-release // hold the redial while the test works offline
		return helloAnswer{welcome: &pb.Welcome{SessionId: "s1", SessionToken: "tok-2", Resumed: true}}
	}})
	applied := make(chan uint32, 16)
	lost := make(chan error, 1)
	back := make(chan bool, 1)
	cfg := reconnecting()
	cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si.Tick }
	cfg.OnDisconnect = func(err error) { lost <- err }
	cfg.OnReconnect = func(resumed bool) { back <- resumed }
	c, sc := srv.dial(t, cfg)
	sc.mustJoin(c)
	sc.snapshot(3, 0, nil, world(1), 0, 0)
	sc.expectAck(3)
	for i := uint32(1); i <= 3; i++ {
		if seq, err := c.SendInput(0, 1, 0, 0); err != nil || seq != i {
			t.Fatalf("SendInput = %d, %v; want %d", seq, err, i)
		}
		sc.recvInput()
	}
	sc.snapshot(6, 3, world(1), world(2), 1, 0)
	waitTick(t, applied, 6)

	c.DropConnection()
	if err := waitFor(t, lost, "OnDisconnect"); err == nil {
		t.Error("OnDisconnect(nil)")
	}
	sc.hangUp()
	if !c.Reconnecting() || c.Err() != nil {
		t.Fatalf("after a drop: Reconnecting() = %v, Err() = %v", c.Reconnecting(), c.Err())
	}
	// The seat is assumed held meanwhile: its schema and state stay.
	if tick, rows := c.State(); c.Schema() == nil || c.Joined() == nil || tick != 6 || !rows.Equal(world(2)) {
		t.Errorf("while redialing: schema kept %v, Joined() = %v, State() = %d %s", c.Schema() != nil, c.Joined(), tick, dump(rows))
	}
	// Offline: inputs queue (the newest 4 kept), requests fail clearly.
	for i := uint32(4); i <= 8; i++ {
		if seq, err := c.SendInput(0, 1, 0, 0); err != nil || seq != i {
			t.Fatalf("SendInput while reconnecting = %d, %v; want %d, nil", seq, err, i)
		}
	}
	if _, err := c.Join(context.Background(), "arena", ""); !errors.Is(err, ErrReconnecting) {
		t.Errorf("Join while reconnecting: err = %v, want ErrReconnecting", err)
	}
	close(release)

	sc2 := srv.accept(t, c)
	if resumed := waitFor(t, back, "OnReconnect"); !resumed {
		t.Error("OnReconnect(false) after Welcome{resumed}")
	}
	if got := sc2.hello.GetSessionToken(); got != "tok-1" {
		t.Errorf("redial Hello.session_token = %q, want tok-1", got)
	}
	if got := c.SessionToken(); got != "tok-2" {
		t.Errorf("SessionToken() = %q, want the new Welcome's tok-2", got)
	}
	if tick, _ := c.State(); tick != 0 {
		t.Errorf("State() tick after resuming = %d, want 0 until the full snapshot", tick)
	}
	if s := c.Schema(); s == nil || s.Width() != testSchema.Width() {
		t.Errorf("Schema() after Welcome{resumed}: kept %v, want the seat's", s != nil)
	}
	sc2.write(resumedJoined())
	sc2.snapshot(30, 0, nil, world(5), 6, 0)
	waitTick(t, applied, 30)
	sc2.snapshot(33, 30, world(5), world(6), 6, 0)
	waitTick(t, applied, 33)
	if tick, got := c.State(); tick != 33 || !got.Equal(world(6)) {
		t.Errorf("State() = %d %s, want 33 %s", tick, dump(got), dump(world(6)))
	}
	if j := c.Joined(); !j.GetResumed() || j.GetEntityId() != 2 || c.Phase() != pb.RoomPhase_ROOM_PHASE_RUNNING {
		t.Errorf("Joined() = %v, Phase() = %v; want the resumed seat, running", j, c.Phase())
	}

	// Seqs continue; the unapplied queued inputs ride along.
	if seq, err := c.SendInput(0, 1, 0, 0); err != nil || seq != 9 {
		t.Fatalf("SendInput after resuming = %d, %v; want 9", seq, err)
	}
	b := sc2.recvInput()
	var seqs []uint32
	for _, in := range b.Inputs {
		seqs = append(seqs, in.Seq)
	}
	if !slices.Equal(seqs, []uint32{7, 8, 9}) || b.AckTick != 33 {
		t.Errorf("first batch: seqs %v ack %d, want [7 8 9] ack 33", seqs, b.AckTick)
	}
	st := c.Stats()
	if st.Disconnects != 1 || st.Reconnects != 1 || st.ReconnectFailures != 0 {
		t.Errorf("Stats disconnects %d reconnects %d failures %d, want 1 1 0", st.Disconnects, st.Reconnects, st.ReconnectFailures)
	}
	if st.Desyncs != 0 || st.MissingBaseSnapshots != 0 || st.FullSnapshots != 2 || st.LastAppliedInputSeq != 6 {
		t.Errorf("Stats after resuming = %+v", st)
	}
	if st.InputsDroppedReconnecting != 3 { // pending 2..8 while offline, newest 4 kept
		t.Errorf("InputsDroppedReconnecting = %d, want 3", st.InputsDroppedReconnecting)
	}
}

func TestClientReconnectSeatLost(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	back := make(chan bool, 1)
	cfg := reconnecting()
	cfg.OnReconnect = func(resumed bool) { back <- resumed }
	c, sc := srv.dial(t, cfg)
	sc.mustJoin(c)
	sc.snapshot(3, 0, nil, world(1), 0, 0)
	sc.expectAck(3)
	c.DropConnection()
	sc.hangUp()
	srv.accept(t, c) // the default Welcome: resumed false
	if resumed := waitFor(t, back, "OnReconnect"); resumed {
		t.Error("OnReconnect(true) after Welcome{resumed: false}")
	}
	if c.Joined() != nil || c.Phase() != pb.RoomPhase_ROOM_PHASE_UNSPECIFIED || c.Schema() != nil {
		t.Errorf("after losing the seat: Joined() = %v, Phase() = %v, schema kept %v", c.Joined(), c.Phase(), c.Schema() != nil)
	}
	if tick, rows := c.State(); tick != 0 || rows.Len() != 0 {
		t.Errorf("State() after losing the seat = %d %s", tick, dump(rows))
	}
	if _, ok := c.Predicted(); ok {
		t.Error("Predicted() ok after losing the seat")
	}
	if _, err := c.SendInput(0, 0, 0, 0); !errors.Is(err, ErrNotJoined) {
		t.Errorf("SendInput without a seat: err = %v, want ErrNotJoined", err)
	}
}

func TestClientServerCloseReconnects(t *testing.T) {
	tests := []struct {
		reason    pb.CloseReason
		reconnect bool
	}{
		{pb.CloseReason_CLOSE_REASON_REPLACED, false},
		{pb.CloseReason_CLOSE_REASON_KICKED, false},
		{pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN, false},
		{pb.CloseReason_CLOSE_REASON_IDLE_TIMEOUT, false},
		{pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER, true},
	}
	for _, tt := range tests {
		t.Run(wire.ReasonLabel(tt.reason), func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{})
			lost := make(chan error, 1)
			back := make(chan bool, 1)
			cfg := reconnecting()
			cfg.OnDisconnect = func(err error) { lost <- err }
			cfg.OnReconnect = func(resumed bool) { back <- resumed }
			c, sc := srv.dial(t, cfg)
			sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Closing{Closing: &pb.Closing{Reason: tt.reason}}})
			sc.closeWith(tt.reason, "")
			if !tt.reconnect {
				waitFor(t, c.Done(), "client to end")
				if ce, ok := errorsAs[*wire.CloseError](c.Err()); !ok || ce.Reason != tt.reason {
					t.Errorf("Err() = %v, want *wire.CloseError %v", c.Err(), tt.reason)
				}
				if n := srv.hellos.Load(); n != 1 || len(lost) != 0 || c.Stats().Disconnects != 0 {
					t.Errorf("a final close redialed: %d hellos, %d OnDisconnect, stats %+v", n, len(lost), c.Stats())
				}
				return
			}
			err := waitFor(t, lost, "OnDisconnect")
			if ce, ok := errorsAs[*wire.CloseError](err); !ok || ce.Reason != tt.reason {
				t.Errorf("OnDisconnect(%v), want *wire.CloseError %v", err, tt.reason)
			}
			sc.hangUp()
			srv.accept(t, c)
			waitFor(t, back, "OnReconnect")
			if c.Err() != nil || c.Reconnecting() || c.Stats().Reconnects != 1 {
				t.Errorf("after redial: Err() %v, Reconnecting() %v, Reconnects %d", c.Err(), c.Reconnecting(), c.Stats().Reconnects)
			}
		})
	}
}

func TestClientReconnectEnds(t *testing.T) {
	tests := []struct {
		name   string
		answer helloAnswer // to every redial
		check  func(t *testing.T, err error, failures uint64, hellos int32)
	}{
		{"gives up", helloAnswer{}, func(t *testing.T, err error, failures uint64, hellos int32) {
			if !errors.Is(err, ErrReconnectGaveUp) || !strings.Contains(err.Error(), "last attempt") {
				t.Errorf("Err() = %v, want ErrReconnectGaveUp with the last attempt's error", err)
			}
			// Every redial that reached the server failed; the last may have
			// been cut by the give-up deadline before it did.
			if failures == 0 || failures < uint64(hellos-1) || failures > uint64(hellos) {
				t.Errorf("ReconnectFailures = %d with %d redial hellos, want them counted, > 0", failures, hellos-1)
			}
		}},
		{"refused token", helloAnswer{refuse: pb.ErrorCode_ERROR_CODE_EXPIRED_TOKEN, reason: pb.CloseReason_CLOSE_REASON_AUTH_FAILED},
			func(t *testing.T, err error, failures uint64, hellos int32) {
				se, ok1 := errorsAs[*ServerError](err)
				ce, ok2 := errorsAs[*wire.CloseError](err)
				if !ok1 || se.Code != pb.ErrorCode_ERROR_CODE_EXPIRED_TOKEN || !ok2 || ce.Reason != pb.CloseReason_CLOSE_REASON_AUTH_FAILED {
					t.Errorf("Err() = %v, want EXPIRED_TOKEN and AUTH_FAILED", err)
				}
				if errors.Is(err, ErrReconnectGaveUp) || failures != 1 || hellos != 2 {
					t.Errorf("a refused token was retried: err %v, failures %d, hellos %d", err, failures, hellos)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{hello: func(n int, h *pb.Hello) helloAnswer {
				if n == 1 {
					return helloAnswer{welcome: &pb.Welcome{SessionToken: "tok-1"}}
				}
				return tt.answer
			}})
			cfg := reconnecting()
			cfg.Reconnect.GiveUpAfter = 500 * time.Millisecond
			c, sc := srv.dial(t, cfg)
			c.DropConnection()
			sc.hangUp()
			waitFor(t, c.Done(), "client to end")
			tt.check(t, c.Err(), c.Stats().ReconnectFailures, srv.hellos.Load())
			if _, err := c.SendInput(0, 0, 0, 0); err == nil {
				t.Error("SendInput after the end succeeded")
			}
		})
	}
}

func TestClientCloseWhileReconnecting(t *testing.T) {
	tests := []struct {
		name    string
		backoff time.Duration
		holdAt  bool // hold the redial's handshake instead
	}{
		{"during backoff", time.Hour, false},
		{"during handshake", time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			entered := make(chan struct{})
			release := make(chan struct{})
			srv := newScriptServer(t, scriptOpts{hello: func(n int, h *pb.Hello) helloAnswer {
				if n == 1 {
					return helloAnswer{welcome: &pb.Welcome{SessionToken: "tok-1"}}
				}
				close(entered)
				<-release
				return helloAnswer{} // hang up on the closed client
			}})
			lost := make(chan error, 1)
			cfg := reconnecting()
			cfg.Reconnect = ReconnectPolicy{Enabled: true, MinBackoff: tt.backoff, MaxBackoff: tt.backoff, GiveUpAfter: 3 * time.Hour}
			cfg.OnDisconnect = func(err error) { lost <- err }
			c, sc := srv.dial(t, cfg)
			c.DropConnection()
			sc.hangUp()
			waitFor(t, lost, "OnDisconnect")
			if tt.holdAt {
				waitFor(t, entered, "the redial's Hello")
			}
			waitFor(t, goAsync(c.Close), "Close to return")
			close(release)
			if !errors.Is(c.Err(), ErrClientClosed) {
				t.Errorf("Err() = %v, want ErrClientClosed", c.Err())
			}
			if n := c.Stats().Reconnects; n != 0 {
				t.Errorf("Reconnects = %d after Close", n)
			}
			srv.close()
			goleak.VerifyNone(t, before)
		})
	}
}
