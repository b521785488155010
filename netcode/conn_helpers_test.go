package netcode

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/tickwire/tickwire/netcode/deadline"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// waitLimit bounds every wait in these tests; it only turns a hang into a
// failure and never decides a pass.
const waitLimit = 10 * time.Second

// served is one connection accepted by a testServer.
type served struct {
	conn   *Conn
	got    chan *pb.ClientMessage // messages the handler saw
	err    chan error             // Serve's result
	cancel context.CancelFunc     // cancels this connection's Serve context
	// started is closed once Start has returned (serveOpts.start).
	started chan struct{}
}

// serveOpts configures a testServer.
type serveOpts struct {
	cfg ConnConfig
	// handle, when set, answers each message after it is recorded.
	handle func(*served, *pb.ClientMessage) error
	// beforeServe, when set, runs between NewConn and Serve.
	beforeServe func(*served)
	// start serves with Start, returning from the handler at once, in
	// place of Serve.
	start bool
	// memoDeadlines puts each accepted socket under a deadline.Conn, as
	// the lobby's listener does.
	memoDeadlines bool
}

// testServer is an httptest server that upgrades every request and serves
// it with a Conn.
type testServer struct {
	url      string
	accepted chan *served
	stop     func() // cancels every Serve, waits for it and stops the server; idempotent
}

// newTestServer starts a server that the test's cleanup stops.
func newTestServer(t testing.TB, opts serveOpts) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	s := &testServer{accepted: make(chan *served, 16)}
	upgrader := websocket.Upgrader{}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		wg.Add(1)
		cctx, ccancel := context.WithCancel(ctx)
		sv := &served{
			conn:    NewConn(ws, opts.cfg, nil),
			got:     make(chan *pb.ClientMessage, 4096),
			err:     make(chan error, 1),
			cancel:  ccancel,
			started: make(chan struct{}),
		}
		if opts.beforeServe != nil {
			opts.beforeServe(sv)
		}
		s.accepted <- sv
		handle := func(m *pb.ClientMessage) error {
			sv.got <- m
			if opts.handle != nil {
				return opts.handle(sv, m)
			}
			return nil
		}
		done := func(err error) {
			sv.err <- err
			ccancel()
			wg.Done()
		}
		if opts.start {
			sv.conn.Start(cctx, handle, done)
			close(sv.started)
			return
		}
		done(sv.conn.Serve(cctx, handle))
	}))
	if opts.memoDeadlines {
		ts.Listener = memoListener{ts.Listener}
	}
	ts.Start()
	s.url = "ws" + strings.TrimPrefix(ts.URL, "http")
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			wg.Wait()
			ts.Close()
		})
	}
	t.Cleanup(s.stop)
	return s
}

// memoListener puts every connection it accepts under a deadline.Conn.
type memoListener struct{ net.Listener }

func (l memoListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &deadline.Conn{Conn: c}, nil
}

// tcpConn returns the TCP socket under c, through a deadline.Conn.
func tcpConn(c net.Conn) *net.TCPConn {
	if dc, ok := c.(*deadline.Conn); ok {
		c = dc.Conn
	}
	return c.(*net.TCPConn)
}

// dial connects a raw WebSocket client and returns it with the server's
// side of the connection.
func (s *testServer) dial(t testing.TB) (*websocket.Conn, *served) {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(s.url, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	select {
	case sv := <-s.accepted:
		return ws, sv
	case <-time.After(waitLimit):
		t.Fatal("server did not accept the connection")
		return nil, nil
	}
}

// serveResult waits for the connection's Serve to return.
func (sv *served) serveResult(t *testing.T) error {
	t.Helper()
	select {
	case err := <-sv.err:
		return err
	case <-time.After(waitLimit):
		t.Fatal("Serve did not return")
		return nil
	}
}

// send writes one client message as a binary frame.
func send(t *testing.T, ws *websocket.Conn, msg *pb.ClientMessage) {
	t.Helper()
	b, err := proto.Marshal(msg)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if err := ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// readMsg reads one server message.
func readMsg(ws *websocket.Conn) (*pb.ServerMessage, error) {
	if err := ws.SetReadDeadline(time.Now().Add(waitLimit)); err != nil {
		return nil, err
	}
	kind, b, err := ws.ReadMessage()
	if err != nil {
		return nil, err
	}
	if kind != websocket.BinaryMessage {
		return nil, errors.New("server sent a non-binary frame")
	}
	msg := new(pb.ServerMessage)
	if err := proto.Unmarshal(b, msg); err != nil {
		return nil, err
	}
	return msg, nil
}

// mustRead reads one server message or fails.
func mustRead(t *testing.T, ws *websocket.Conn) *pb.ServerMessage {
	t.Helper()
	msg, err := readMsg(ws)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return msg
}

// readUntilClose reads server messages until the close frame and returns
// them with the close frame.
func readUntilClose(t *testing.T, ws *websocket.Conn) ([]*pb.ServerMessage, *websocket.CloseError) {
	t.Helper()
	var msgs []*pb.ServerMessage
	for {
		msg, err := readMsg(ws)
		if err == nil {
			msgs = append(msgs, msg)
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return msgs, ce
		}
		t.Fatalf("read before close frame: %v (after %d messages)", err, len(msgs))
	}
}

// pingPong checks that the connection answers a Ping.
func pingPong(t *testing.T, ws *websocket.Conn) {
	t.Helper()
	send(t, ws, &pb.ClientMessage{Body: &pb.ClientMessage_Ping{Ping: &pb.Ping{ClientTimeUs: 4242}}})
	msg := mustRead(t, ws)
	if got := msg.GetPong().GetClientTimeUs(); got != 4242 {
		t.Fatalf("want a pong echoing 4242, got %v", msg)
	}
}

// counter reads the current value of a counter or gauge.
func counter(c prometheus.Collector) float64 { return testutil.ToFloat64(c) }

// ackMsg returns an Ack message for tick.
func ackMsg(tick uint32) *pb.ClientMessage {
	return &pb.ClientMessage{Body: &pb.ClientMessage_Ack{Ack: &pb.Ack{Tick: tick}}}
}

// snapshotFrame returns a marshaled snapshot ServerMessage for tick with a
// delta of padding bytes.
func snapshotFrame(t testing.TB, tick uint32, padding int) []byte {
	t.Helper()
	b, err := proto.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_Snapshot{Snapshot: &pb.Snapshot{
		Tick:  tick,
		Delta: make([]byte, padding),
	}}})
	if err != nil {
		t.Fatalf("marshal snapshot: %v", err)
	}
	return b
}
