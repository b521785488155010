package lobby

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// The fuzz targets here feed the lobby's decoders of client bytes: the
// messages a session handles (after the envelope, which netcode's
// FuzzClientFrame covers), the HTTP lobby API's bodies and queries, session
// tokens and player names. Each must hold up to anything: no panic, and
// answers that stay within what the protocol allows.

// fuzzServer is a lobby server for fuzzing, with small rooms that end soon
// after they empty, shut down when the fuzz target ends.
func fuzzServer(f *testing.F) *Server {
	f.Helper()
	cfg := DefaultConfig()
	cfg.Limits = Limits{}
	cfg.Rooms.MaxRooms = 50
	cfg.Rooms.EmptyTimeout = 50 * time.Millisecond
	cfg.SessionSecret = []byte("fuzz-secret-of-at-least-16-bytes")
	srv, err := NewServer(cfg, arenaModes(nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return srv
}

// fuzzSocket returns the server side of one real loopback WebSocket, which
// the fuzzed sessions' Conns name as their peer; nothing is ever written
// to it, for those Conns are never served.
func fuzzSocket(f *testing.F) *websocket.Conn {
	f.Helper()
	got := make(chan *websocket.Conn, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err == nil {
			got <- ws
		}
	}))
	peer, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		f.Fatal(err)
	}
	ws := <-got
	f.Cleanup(func() {
		ws.Close()
		peer.Close()
		hs.Close()
	})
	return ws
}

// fuzzMessages splits data into messages, each a length byte and that many
// bytes, at most 16; undecodable ones are skipped, as the envelope's
// decoder refuses them before a session sees them.
func fuzzMessages(data []byte) []*pb.ClientMessage {
	var out []*pb.ClientMessage
	for len(data) > 0 && len(out) < 16 {
		n := min(int(data[0]), len(data)-1)
		var m pb.ClientMessage
		if proto.Unmarshal(data[1:1+n], &m) == nil && m.Body != nil && m.GetPing() == nil {
			out = append(out, &m)
		}
		data = data[1+n:]
	}
	return out
}

// fuzzFrames joins messages as fuzzMessages splits them.
func fuzzFrames(f *testing.F, msgs ...*pb.ClientMessage) []byte {
	var b []byte
	for _, m := range msgs {
		p, err := proto.Marshal(m)
		if err != nil || len(p) > 255 {
			f.Fatalf("seed message %v: %d bytes, %v", m, len(p), err)
		}
		b = append(append(b, byte(len(p))), p...)
	}
	return b
}

// FuzzSessionMessages runs a session's handler over the messages of the
// input, after a guest Hello unless the input starts with a Hello of its
// own: joins, creations, inputs, acks, listings and leaves in any order and
// with any values. The session then ends as a dropped connection would.
// Nothing may panic, and the server must stay consistent enough to serve
// the next input.
func FuzzSessionMessages(f *testing.F) {
	srv := fuzzServer(f)
	ws := fuzzSocket(f)
	hello := &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: 1, Name: "ada"}}}
	join := &pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{}}}
	input := &pb.ClientMessage{Body: &pb.ClientMessage_Input{Input: &pb.InputBatch{AckTick: 3, Inputs: []*pb.Input{{Seq: 1, Values: []int32{5, -5, 1}}, {Seq: 4000000000}}}}}
	f.Add(fuzzFrames(f, hello, join, input,
		&pb.ClientMessage{Body: &pb.ClientMessage_Ack{Ack: &pb.Ack{Tick: 99}}},
		&pb.ClientMessage{Body: &pb.ClientMessage_Resync{Resync: &pb.ResyncRequest{}}},
		&pb.ClientMessage{Body: &pb.ClientMessage_LeaveRoom{LeaveRoom: &pb.LeaveRoom{}}}))
	f.Add(fuzzFrames(f, hello,
		&pb.ClientMessage{Body: &pb.ClientMessage_CreateRoom{CreateRoom: &pb.CreateRoom{Mode: "arena", MaxPlayers: 2, Private: true}}},
		join, input))
	f.Add(fuzzFrames(f,
		&pb.ClientMessage{Body: &pb.ClientMessage_ListRooms{ListRooms: &pb.ListRooms{Mode: "arena", Cursor: "!!", Limit: 3}}},
		&pb.ClientMessage{Body: &pb.ClientMessage_SubscribeRooms{SubscribeRooms: &pb.SubscribeRooms{Limit: 2}}},
		&pb.ClientMessage{Body: &pb.ClientMessage_SubscribeRooms{SubscribeRooms: &pb.SubscribeRooms{Unsubscribe: true}}},
		&pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{JoinCode: "zzzz-0000"}}},
		&pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{RoomId: "nope", Mode: "chess"}}}))
	f.Add(fuzzFrames(f, &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: 1, SessionToken: "AQ.AQ"}}}, join))
	f.Add(fuzzFrames(f, &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: 9, Name: "\u202e"}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs := fuzzMessages(data)
		if len(msgs) == 0 || msgs[0].GetHello() == nil {
			msgs = append([]*pb.ClientMessage{hello}, msgs...)
		}
		sess := &session{server: srv, addr: "fuzz", helloTimer: time.NewTimer(time.Hour)}
		sess.conn = netcode.NewConn(ws, srv.cfg.Conn, srv.log)
		srv.mu.Lock()
		srv.conns[sess] = struct{}{}
		srv.mu.Unlock()
		for _, m := range msgs {
			if err := sess.handle(m); err != nil {
				break // the connection would close here
			}
		}
		// The end of serveWS: the connection is gone.
		sess.helloTimer.Stop()
		sess.stopIdle()
		srv.registry.Unsubscribe(sess)
		sess.disconnected(true)
		srv.mu.Lock()
		delete(srv.conns, sess)
		if srv.sessions[sess.id] == sess {
			delete(srv.sessions, sess.id)
		}
		srv.mu.Unlock()
	})
}

// FuzzHTTPLobby sends the HTTP lobby API a guest sign-in body (POST
// /v1/session) and a listing query (GET /v1/rooms): each must be answered
// with JSON and a status the API documents, and a sign-in's token must
// open a session.
func FuzzHTTPLobby(f *testing.F) {
	srv := fuzzServer(f)
	h := srv.Handler()
	f.Add(`{"name": "ada"}`, "mode=arena&limit=2")
	f.Add(`{"name": ""}`, "cursor=%ff%00&limit=-1")
	f.Add(`{"name": "a\u0000b", "extra": [1,2]}`, "limit=99999999999999999999")
	f.Add(`[`, "mode=&mode=x")
	f.Fuzz(func(t *testing.T, body, query string) {
		req := httptest.NewRequest(http.MethodPost, "/v1/session", strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			var sj SessionJSON
			if err := json.Unmarshal(rec.Body.Bytes(), &sj); err != nil {
				t.Fatalf("sign-in answered 200 with %q: %v", rec.Body, err)
			}
			claims, err := srv.signer.Verify(sj.SessionToken)
			if err != nil || claims.SessionID != sj.SessionID || claims.Name != sj.Name {
				t.Fatalf("sign-in token %q: %+v, %v; want session %s of %q", sj.SessionToken, claims, err, sj.SessionID, sj.Name)
			}
		case http.StatusBadRequest:
		default:
			t.Fatalf("sign-in answered %d %q", rec.Code, rec.Body)
		}
		req = httptest.NewRequest(http.MethodGet, "/v1/rooms", nil)
		req.URL.RawQuery = query // any query string a client may send
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest && rec.Code != http.StatusNotFound {
			t.Fatalf("GET /v1/rooms?%s answered %d %q", query, rec.Code, rec.Body)
		}
		if !bytes.HasPrefix(bytes.TrimSpace(rec.Body.Bytes()), []byte("{")) {
			t.Fatalf("GET /v1/rooms?%s answered %q, want a JSON object", query, rec.Body)
		}
	})
}

// FuzzToken checks the token verifier against arbitrary strings (never a
// panic; an accepted token re-issues to one that verifies alike) and the
// issuer against arbitrary ids, names and generations (a token it issues
// verifies to the same claims).
func FuzzToken(f *testing.F) {
	s, err := NewSigner([]byte("fuzz-secret-of-at-least-16-bytes"), time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	good, _, _ := s.IssueGeneration("0123456789abcdef01234567", "ada", 3)
	f.Add(good, "sess", "zoë", uint64(1))
	f.Add("AQ.AQ", "", "", uint64(0))
	f.Add("..", "x", strings.Repeat("n", 300), uint64(1<<63))
	f.Fuzz(func(t *testing.T, token, id, name string, gen uint64) {
		if c, err := s.Verify(token); err == nil {
			again, _, err := s.IssueGeneration(c.SessionID, c.Name, c.Generation)
			if err != nil {
				t.Fatalf("claims %+v of an accepted token do not re-issue: %v", c, err)
			}
			if c2, err := s.Verify(again); err != nil || c2.SessionID != c.SessionID || c2.Name != c.Name || c2.Generation != c.Generation {
				t.Fatalf("re-issued %+v: %+v, %v", c, c2, err)
			}
		}
		tok, claims, err := s.IssueGeneration(id, name, gen)
		if err != nil {
			return // too long for a token
		}
		got, err := s.Verify(tok)
		if id == "" {
			if err == nil {
				t.Fatalf("a token of an empty session id verified: %+v", got)
			}
			return
		}
		if err != nil || got.SessionID != id || got.Name != name || got.Generation != gen || !got.Expires.Equal(claims.Expires) {
			t.Fatalf("issued %+v, verified %+v, %v", claims, got, err)
		}
	})
}

// FuzzName checks name validation: never a panic, and a name it accepts
// is accepted again unchanged (normalization is idempotent).
func FuzzName(f *testing.F) {
	for _, s := range []string{"ada", "  Zoë  ", "a\u0301", "\u202eevil", "ＡＤＡ", "", strings.Repeat("x", 40), "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		name, err := ValidateName(in)
		if err != nil {
			return
		}
		again, err := ValidateName(name)
		if err != nil || again != name {
			t.Fatalf("ValidateName(%q) = %q, but ValidateName(%q) = %q, %v", in, name, name, again, err)
		}
	})
}
