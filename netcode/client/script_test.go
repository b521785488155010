package client

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// scriptWait bounds every wait of the client tests, so a broken client
// fails a test instead of hanging it; it never decides a pass.
const scriptWait = 10 * time.Second

// scriptOpts shapes a scriptServer's handshake.
type scriptOpts struct {
	// refuseVersion answers Hello like a server of another protocol version.
	refuseVersion bool
	// offsetUS is added to the client clock to make the server clock.
	offsetUS int64
	// silent reads Hello, signals helloSeen and never answers.
	silent    bool
	helloSeen chan struct{}
	// hello, if set, answers the n-th Hello (from 1) in place of the
	// default Welcome. It runs on the connection's handler and may block,
	// holding that handshake.
	hello func(n int, h *pb.Hello) helloAnswer
}

// helloAnswer is a scripted answer to Hello: a Welcome (protocol fields
// filled in), after which the connection goes to the test; or a refusal
// (Error, Closing and close frame with reason); or, with neither, a hang-up
// without a word, as a dying server would.
type helloAnswer struct {
	welcome *pb.Welcome
	refuse  pb.ErrorCode
	reason  pb.CloseReason
}

// scriptServer is a minimal tickwire server for client tests: its handler
// does the Hello/Welcome handshake and hands the connection to the test
// goroutine, which plays the server's side step by step with real frames.
type scriptServer struct {
	opts   scriptOpts
	srv    *httptest.Server
	url    string
	conns  chan *scriptConn
	wg     sync.WaitGroup
	hellos atomic.Int32 // Hellos read
}

// scriptConn is the server's end of one client connection.
type scriptConn struct {
	t        *testing.T
	opts     scriptOpts
	conn     *websocket.Conn
	done     chan struct{} // closed once drained: releases the handler
	drainOne sync.Once
	seen     []*pb.ClientMessage // everything recv read, pings included
	hello    *pb.Hello           // the connection's Hello
}

func newScriptServer(t *testing.T, opts scriptOpts) *scriptServer {
	t.Helper()
	s := &scriptServer{opts: opts, conns: make(chan *scriptConn, 1)}
	up := websocket.Upgrader{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.wg.Add(1)
		defer s.wg.Done()
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			// A client that gives up mid-handshake (the give-up deadline
			// cutting a redial) leaves the upgrade to fail; tests that need
			// the connection fail on the client side instead.
			t.Logf("upgrade: %v", err)
			return
		}
		defer conn.Close()
		sc := &scriptConn{t: t, opts: opts, conn: conn, done: make(chan struct{})}
		if !sc.handshake(&s.hellos) {
			return
		}
		s.conns <- sc
		<-sc.done
	}))
	s.url = "ws" + strings.TrimPrefix(s.srv.URL, "http")
	t.Cleanup(s.close)
	return s
}

// close stops the server and waits for its handlers.
func (s *scriptServer) close() {
	s.srv.Close()
	s.wg.Wait()
}

// dial connects a Client with cfg (URL filled in) and returns it with the
// server's end. Cleanup closes both.
func (s *scriptServer) dial(t *testing.T, cfg ClientConfig) (*Client, *scriptConn) {
	t.Helper()
	cfg.URL = s.url
	if cfg.Name == "" {
		cfg.Name = "tester"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler) // desync warnings are expected here
	}
	ctx, cancel := context.WithTimeout(context.Background(), scriptWait)
	defer cancel()
	c, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	var sc *scriptConn
	select {
	case sc = <-s.conns:
	case <-ctx.Done():
		t.Fatal("server never got the connection")
	}
	t.Cleanup(func() { sc.finish(c) })
	return c, sc
}

// serverNow is the scripted server clock.
func (sc *scriptConn) serverNow() int64 {
	return clientClockUS(time.Now()) + sc.opts.offsetUS
}

// handshake reads Hello, counting it, and answers it; false when it
// refused or hung up.
func (sc *scriptConn) handshake(hellos *atomic.Int32) bool {
	sc.conn.SetReadDeadline(time.Now().Add(scriptWait))
	msg, err := sc.read()
	if err != nil {
		// A client giving up a redial may hang up first; a client that
		// never sends Hello fails its own test by never getting Welcome.
		sc.t.Logf("no Hello: %v", err)
		return false
	}
	if msg.GetHello() == nil {
		sc.t.Errorf("want Hello first, got %v", msg)
		return false
	}
	sc.hello = msg.GetHello()
	n := int(hellos.Add(1))
	if v := msg.GetHello().ProtocolVersion; v != uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT) {
		sc.t.Errorf("Hello.protocol_version = %d", v)
	}
	if sc.opts.silent {
		close(sc.opts.helloSeen)
		for err == nil { // until the client gives up
			_, _, err = sc.conn.ReadMessage()
		}
		return false
	}
	if sc.opts.refuseVersion {
		sc.write(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_UNSUPPORTED_VERSION, "server speaks protocol version 3"))
		sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Closing{Closing: &pb.Closing{
			Reason: pb.CloseReason_CLOSE_REASON_VERSION_MISMATCH, Message: "upgrade your client"}}})
		sc.closeWith(pb.CloseReason_CLOSE_REASON_VERSION_MISMATCH, "upgrade your client")
		for err == nil { // until the client hangs up
			_, _, err = sc.conn.ReadMessage()
		}
		return false
	}
	w := &pb.Welcome{SessionId: "s1", SessionToken: "tok-1"}
	if sc.opts.hello != nil {
		a := sc.opts.hello(n, sc.hello)
		switch {
		case a.welcome != nil:
			w = a.welcome
		case a.reason != 0:
			sc.write(wire.ErrorMessage(a.refuse, "refused by script"))
			sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Closing{Closing: &pb.Closing{Reason: a.reason, Message: "refused by script"}}})
			sc.closeWith(a.reason, "refused by script")
			for err == nil { // until the client hangs up
				_, _, err = sc.conn.ReadMessage()
			}
			return false
		default:
			return false // the handler's deferred Close hangs up
		}
	}
	w.ProtocolVersion = uint32(pb.ProtocolVersion_PROTOCOL_VERSION_CURRENT)
	w.ServerTimeUs, w.MaxFrameBytes = sc.serverNow(), 4096
	sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Welcome{Welcome: w}})
	return true
}

// accept returns the server's end of the client's next connection (after a
// redial) and closes both at cleanup.
func (s *scriptServer) accept(t *testing.T, c *Client) *scriptConn {
	t.Helper()
	sc := waitFor(t, s.conns, "the client's next connection")
	t.Cleanup(func() { sc.finish(c) })
	return sc
}

// hangUp drops the server's end of a connection the client lost (or is to
// lose) and releases its handler.
func (sc *scriptConn) hangUp() {
	sc.drainOne.Do(func() {
		sc.conn.Close()
		close(sc.done)
	})
}

// read reads and decodes one client frame.
func (sc *scriptConn) read() (*pb.ClientMessage, error) {
	_, data, err := sc.conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	msg := &pb.ClientMessage{}
	if err := proto.Unmarshal(data, msg); err != nil {
		return nil, err
	}
	return msg, nil
}

// write sends one server message.
func (sc *scriptConn) write(msg *pb.ServerMessage) {
	data, err := proto.Marshal(msg)
	if err != nil {
		sc.t.Errorf("marshal: %v", err)
		return
	}
	sc.conn.SetWriteDeadline(time.Now().Add(scriptWait))
	if err := sc.conn.WriteMessage(websocket.BinaryMessage, data); err != nil {
		sc.t.Errorf("server write: %v", err)
	}
}

// closeWith sends a close frame with reason's code.
func (sc *scriptConn) closeWith(reason pb.CloseReason, text string) {
	msg := websocket.FormatCloseMessage(wire.CloseCode(reason), text)
	if err := sc.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(scriptWait)); err != nil {
		sc.t.Errorf("server close: %v", err)
	}
}

// recv returns the next client message other than Ping, answering pings.
// Test goroutine only.
func (sc *scriptConn) recv() *pb.ClientMessage {
	sc.t.Helper()
	deadline := time.Now().Add(scriptWait)
	for {
		if msg := sc.recvOne(deadline); msg.GetPing() == nil {
			return msg
		}
	}
}

// recvOne reads one client message by deadline; a Ping gets its Pong.
func (sc *scriptConn) recvOne(deadline time.Time) *pb.ClientMessage {
	sc.t.Helper()
	sc.conn.SetReadDeadline(deadline)
	msg, err := sc.read()
	if err != nil {
		sc.t.Fatalf("server read: %v", err)
	}
	sc.seen = append(sc.seen, msg)
	if p := msg.GetPing(); p != nil {
		sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Pong{Pong: &pb.Pong{
			ClientTimeUs: p.ClientTimeUs, ServerTimeUs: sc.serverNow()}}})
	}
	return msg
}

// serveUntil answers pings until done reports true, failing on any other
// message or after scriptWait.
func (sc *scriptConn) serveUntil(done func() bool) {
	sc.t.Helper()
	deadline := time.Now().Add(scriptWait)
	for !done() {
		if msg := sc.recvOne(deadline); msg.GetPing() == nil {
			sc.t.Fatalf("want only pings, got %v", msg)
		}
	}
}

// expectAck reads the next message and fails unless it is Ack{tick}.
func (sc *scriptConn) expectAck(tick uint32) {
	sc.t.Helper()
	msg := sc.recv()
	if msg.GetAck() == nil || msg.GetAck().Tick != tick {
		sc.t.Fatalf("want Ack{%d}, got %v", tick, msg)
	}
}

// expectResync reads the next message and fails unless it is
// ResyncRequest{tick}.
func (sc *scriptConn) expectResync(tick uint32) {
	sc.t.Helper()
	msg := sc.recv()
	if msg.GetResync() == nil || msg.GetResync().Tick != tick {
		sc.t.Fatalf("want ResyncRequest{%d}, got %v", tick, msg)
	}
}

// recvInput returns the next InputBatch, skipping standalone Acks.
func (sc *scriptConn) recvInput() *pb.InputBatch {
	sc.t.Helper()
	for {
		msg := sc.recv()
		if msg.GetAck() != nil {
			continue
		}
		if msg.GetInput() == nil {
			sc.t.Fatalf("want InputBatch, got %v", msg)
		}
		return msg.GetInput()
	}
}

// snapshot sends world as a delta against base (the world of baseTick; nil
// for none); sumXor != 0 corrupts the checksum.
func (sc *scriptConn) snapshot(tick, baseTick uint32, base, world *wire.Rows, lastSeq, sumXor uint32, events ...*pb.GameEvent) {
	if base == nil {
		base = wire.NewRows(world.Layout(), 0)
	}
	sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Snapshot{Snapshot: &pb.Snapshot{
		Tick: tick, BaseTick: baseTick, ServerTimeUs: sc.serverNow(),
		Checksum: wire.Checksum(world) ^ sumXor, Delta: wire.EncodeDelta(nil, base, world),
		Events: events, LastInputSeq: lastSeq,
	}}})
}

// snapshotAt is snapshot with server_time_us set to serverUS (0: left
// out, as the server does when the client can derive it).
func (sc *scriptConn) snapshotAt(tick, baseTick uint32, base, world *wire.Rows, serverUS int64) {
	if base == nil {
		base = wire.NewRows(world.Layout(), 0)
	}
	sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Snapshot{Snapshot: &pb.Snapshot{
		Tick: tick, BaseTick: baseTick, ServerTimeUs: serverUS,
		Checksum: wire.Checksum(world), Delta: wire.EncodeDelta(nil, base, world),
	}}})
}

// finish drains the connection so the client's close gets its answer,
// closes the client and releases the handler. Safe to call twice.
func (sc *scriptConn) finish(c *Client) {
	sc.drainOne.Do(func() {
		drained := make(chan struct{})
		go func() {
			defer close(drained)
			for {
				// gorilla answers the client's close frame inside this read.
				sc.conn.SetReadDeadline(time.Now().Add(scriptWait))
				if _, _, err := sc.conn.ReadMessage(); err != nil {
					return
				}
			}
		}()
		c.Close()
		<-drained
		close(sc.done)
	})
}

// join runs c.Join while the script answers the JoinRoom with reply.
func (sc *scriptConn) join(c *Client, mode, room string, reply *pb.ServerMessage) (*pb.Joined, error) {
	sc.t.Helper()
	type out struct {
		j   *pb.Joined
		err error
	}
	res := make(chan out, 1)
	ctx, cancel := context.WithTimeout(context.Background(), scriptWait)
	defer cancel()
	go func() {
		j, err := c.Join(ctx, mode, room)
		res <- out{j, err}
	}()
	msg := sc.recv()
	jr := msg.GetJoinRoom()
	if jr == nil || jr.Mode != mode || jr.RoomId != room {
		sc.t.Errorf("want JoinRoom{%q, %q}, got %v", mode, room, msg)
	}
	sc.write(reply)
	o := <-res
	return o.j, o.err
}

// joinedMsg is the Joined a script grants: player 1 with entity 2, 60 Hz
// ticks, 20 Hz snapshots, the test schema.
func joinedMsg(room string) *pb.ServerMessage {
	return joinedWith(room, testSchema.Proto())
}

// joinedWith is joinedMsg with schema in place of the test schema.
func joinedWith(room string, schema *pb.Schema) *pb.ServerMessage {
	return &pb.ServerMessage{Body: &pb.ServerMessage_Joined{Joined: &pb.Joined{
		RoomId: room, Mode: "arena", PlayerId: 1, EntityId: 2, Tick: 1,
		TickHz: 60, SnapshotHz: 20, MaxPlayers: 16, Schema: schema,
	}}}
}

// mustJoin joins room r1 and fails the test on error.
func (sc *scriptConn) mustJoin(c *Client) *pb.Joined {
	sc.t.Helper()
	j, err := sc.join(c, "arena", "", joinedMsg("r1"))
	if err != nil {
		sc.t.Fatalf("Join: %v", err)
	}
	return j
}

// waitFor receives from ch or fails after scriptWait.
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(scriptWait):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// errorsAs is errors.As returning the target, for table tests.
func errorsAs[T error](err error) (T, bool) {
	var target T
	ok := errors.As(err, &target)
	return target, ok
}
