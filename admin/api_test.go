package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/protobuf/encoding/protodelim"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// adminServer is a lobby server with its admin API on a second listener.
type adminServer struct {
	lobby *lobbyServer
	admin *API
	url   string // http://127.0.0.1:port
	token string
}

// testToken is the admin token of the tests that do not test tokens.
const testToken = "test-admin-token"

// startAdmin starts a server (no countdown, so matches run at once) and
// its admin API with token.
func startAdmin(t *testing.T, token string) *adminServer {
	t.Helper()
	ls := startLobby(t, func(s *game.Settings) { s.Countdown = 0 })
	a, err := New(ls.Server, Config{Token: token, Hosts: []string{"admin.example.com"}, Version: "test", WatchInterval: 100 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		a.Close()
		hs.Close()
	})
	return &adminServer{lobby: ls, admin: a, url: hs.URL, token: token}
}

// do sends an admin request with the server's token and returns the status
// and body.
func (as *adminServer) do(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	return as.doToken(t, method, path, body, as.token)
}

func (as *adminServer) doToken(t *testing.T, method, path string, body any, token string) (int, []byte) {
	t.Helper()
	h := map[string]string{}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	return as.doHeader(t, method, path, body, h)
}

// auth is the header that carries the server's token.
func (as *adminServer) auth() http.Header {
	return http.Header{"Authorization": {"Bearer " + as.token}}
}

// doHeader sends an admin request with header (Host too) and returns the
// status and body.
func (as *adminServer) doHeader(t *testing.T, method, path string, body any, header map[string]string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, as.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// getJSON GETs path, wants 200 and decodes the body into out.
func (as *adminServer) getJSON(t *testing.T, path string, out any) {
	t.Helper()
	code, b := as.do(t, "GET", path, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, code, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, b)
	}
}

// adminPlayer is a Go client seated in a room, with every non-snapshot message
// it received.
type adminPlayer struct {
	*client.Client
	mu   sync.Mutex
	msgs []*pb.ServerMessage
	got  chan struct{} // nudged on every message
}

// joinAdmin dials a player named name and seats it by quick play.
func joinAdmin(t *testing.T, url, name string) *adminPlayer {
	t.Helper()
	p := &adminPlayer{got: make(chan struct{}, 1)}
	p.Client = dial(t, url, name, func(c *client.ClientConfig) {
		c.PingInterval = -1
		c.OnMessage = func(m *pb.ServerMessage) {
			p.mu.Lock()
			p.msgs = append(p.msgs, m)
			p.mu.Unlock()
			select {
			case p.got <- struct{}{}:
			default:
			}
		}
	})
	if _, err := p.Join(timeout(t, 5*time.Second), "arena", ""); err != nil {
		t.Fatalf("join %s: %v", name, err)
	}
	return p
}

// waitFor waits until a received message satisfies ok and returns it.
func (p *adminPlayer) waitFor(t *testing.T, what string, ok func(*pb.ServerMessage) bool) *pb.ServerMessage {
	t.Helper()
	limit := time.After(10 * time.Second)
	for {
		p.mu.Lock()
		for _, m := range p.msgs {
			if ok(m) {
				p.mu.Unlock()
				return m
			}
		}
		p.mu.Unlock()
		select {
		case <-p.got:
		case <-p.Done():
			p.got <- struct{}{} // look once more at what arrived before the end
			select {
			case <-limit:
				t.Fatalf("never got %s", what)
			default:
			}
		case <-limit:
			t.Fatalf("never got %s", what)
		}
	}
}

// waitRoom waits until the room's detail shows a tick past zero and every
// player seated.
func (as *adminServer) waitRoom(t *testing.T, id string, players int) RoomDetail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var d RoomDetail
		as.getJSON(t, "/v1/admin/rooms/"+id, &d)
		if d.Tick > 0 && len(d.PlayerList) == players && d.Entities >= players {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("room %s never reached %d players and a tick: %+v", id, players, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCheckAddr(t *testing.T) {
	long := strings.Repeat("k", MinTokenLength)
	tests := []struct {
		addr, token string
		want        error // nil: accepted
	}{
		{"127.0.0.1:7778", "s", nil},
		{"127.0.0.2:7778", "s", nil},
		{"[::1]:7778", "s", nil},
		{"localhost:7778", "s", nil},
		{"127.0.0.1:7778", "", ErrNeedsToken},
		{":7778", "", ErrNeedsToken},
		{":7778", "s3cret", ErrShortToken},
		{"0.0.0.0:7778", long[1:], ErrShortToken},
		{"10.1.2.3:7778", "s3cret", ErrShortToken},
		{"admin.example.com:7778", "s3cret", ErrShortToken},
		{":7778", long, nil},
		{"0.0.0.0:7778", long, nil},
		{"admin.example.com:7778", long, nil},
	}
	for _, tt := range tests {
		t.Run(tt.addr+"/"+tt.token, func(t *testing.T) {
			err := CheckAddr(tt.addr, tt.token)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("CheckAddr(%q, %q) = %v, want %v", tt.addr, tt.token, err, tt.want)
			}
		})
	}
	if err := CheckAddr("nonsense", long); err == nil {
		t.Fatal("CheckAddr took an address with no port")
	}
	if _, err := New(nil, Config{}); !errors.Is(err, ErrNeedsToken) {
		t.Fatalf("New without a token: %v, want ErrNeedsToken", err)
	}
}

// TestAdminGuards: every request must name this listener in Host, come
// from no browser page of another origin, and carry the token; each
// refusal is answered and counted by its reason.
func TestAdminGuards(t *testing.T) {
	as := startAdmin(t, "s3cret-token")
	host := strings.TrimPrefix(as.url, "http://") // 127.0.0.1:port
	self := "http://" + host
	tests := []struct {
		name, method, path string
		header             map[string]string // beside the right token, unless it sets Authorization
		want               int
		endpoint, refused  string
	}{
		{"no token", "GET", "/v1/admin/overview", map[string]string{"Authorization": ""}, http.StatusUnauthorized, "overview", "token"},
		{"wrong token", "GET", "/v1/admin/overview", map[string]string{"Authorization": "Bearer guess"}, http.StatusUnauthorized, "overview", "token"},
		{"token prefix", "GET", "/v1/admin/rooms", map[string]string{"Authorization": "Bearer s3cret"}, http.StatusUnauthorized, "rooms", "token"},
		{"not a bearer", "GET", "/v1/admin/rooms", map[string]string{"Authorization": "Basic s3cret-token"}, http.StatusUnauthorized, "rooms", "token"},
		{"right token", "GET", "/v1/admin/overview", nil, http.StatusOK, "overview", ""},
		{"pprof without token", "GET", "/debug/pprof/", map[string]string{"Authorization": ""}, http.StatusUnauthorized, "pprof", "token"},
		{"pprof with token", "GET", "/debug/pprof/", nil, http.StatusOK, "pprof", ""},
		{"unknown path", "GET", "/v1/admin/nope", nil, http.StatusNotFound, "unknown", ""},
		{"localhost by name", "GET", "/v1/admin/overview", map[string]string{"Host": "localhost:1"}, http.StatusOK, "overview", ""},
		{"another loopback address", "GET", "/v1/admin/overview", map[string]string{"Host": "127.9.9.9"}, http.StatusOK, "overview", ""},
		{"ipv6 loopback", "GET", "/v1/admin/overview", map[string]string{"Host": "[::1]:7778"}, http.StatusOK, "overview", ""},
		{"configured host", "GET", "/v1/admin/overview", map[string]string{"Host": "Admin.Example.COM:7778"}, http.StatusOK, "overview", ""},
		{"rebound name", "GET", "/v1/admin/overview", map[string]string{"Host": "attacker.example:7778"}, http.StatusMisdirectedRequest, "overview", "host"},
		{"rebound name, kick", "POST", "/v1/admin/rooms/x/kick", map[string]string{"Host": "attacker.example"}, http.StatusMisdirectedRequest, "kick", "host"},
		{"lan address not configured", "GET", "/v1/admin/overview", map[string]string{"Host": "192.168.1.5:7778"}, http.StatusMisdirectedRequest, "overview", "host"},
		{"cross-site close", "POST", "/v1/admin/rooms/x/close", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, "close", "cross_site"},
		{"cross-site kick, no token", "POST", "/v1/admin/rooms/x/kick", map[string]string{"Origin": "https://evil.example", "Authorization": ""}, http.StatusForbidden, "kick", "cross_site"},
		{"another port of localhost", "POST", "/v1/admin/rooms/x/debug", map[string]string{"Origin": "http://127.0.0.1:3000"}, http.StatusForbidden, "debug", "cross_site"},
		{"null origin", "POST", "/v1/admin/rooms/x/close", map[string]string{"Origin": "null"}, http.StatusForbidden, "close", "cross_site"},
		{"fetch metadata cross-site", "GET", "/v1/admin/rooms", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden, "rooms", "cross_site"},
		{"fetch metadata same-site", "GET", "/v1/admin/rooms/x/record", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden, "record", "cross_site"},
		{"cross-site watch", "GET", "/v1/admin/rooms/x/watch", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden, "watch", "cross_site"},
		{"own origin", "POST", "/v1/admin/rooms/x/close", map[string]string{"Origin": self, "Sec-Fetch-Site": "same-origin"}, http.StatusNotFound, "close", ""},
		{"typed in the address bar", "GET", "/v1/admin/overview", map[string]string{"Sec-Fetch-Site": "none"}, http.StatusOK, "overview", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{"Authorization": "Bearer " + as.token}
			for k, v := range tt.header {
				header[k] = v
			}
			if header["Authorization"] == "" {
				delete(header, "Authorization")
			}
			before := testutil.ToFloat64(requests.WithLabelValues(tt.endpoint, itoa(tt.want)))
			refusedBefore := map[string]float64{}
			for _, r := range []string{"host", "cross_site", "token"} {
				refusedBefore[r] = testutil.ToFloat64(refused.WithLabelValues(r))
			}
			code, body := as.doHeader(t, tt.method, tt.path, map[string]any{}, header)
			if code != tt.want {
				t.Fatalf("status %d, want %d (%s)", code, tt.want, body)
			}
			var e ErrorJSON
			switch code {
			case http.StatusUnauthorized:
				if err := json.Unmarshal(body, &e); err != nil || !strings.Contains(e.Error, "token") {
					t.Fatalf("401 body %s: want a JSON error naming the token", body)
				}
			case http.StatusMisdirectedRequest:
				if err := json.Unmarshal(body, &e); err != nil || !strings.Contains(e.Error, "-admin-host") {
					t.Fatalf("421 body %s: want a JSON error naming -admin-host", body)
				}
			case http.StatusForbidden:
				if err := json.Unmarshal(body, &e); err != nil || !strings.Contains(e.Error, "cross-site") {
					t.Fatalf("403 body %s: want a JSON error naming the cross-site request", body)
				}
			}
			if got := testutil.ToFloat64(requests.WithLabelValues(tt.endpoint, itoa(tt.want))) - before; got != 1 {
				t.Fatalf("tickwire_admin_requests_total{%s,%d} rose by %v, want 1", tt.endpoint, tt.want, got)
			}
			for r, n := range refusedBefore {
				want := 0.0
				if r == tt.refused {
					want = 1
				}
				if got := testutil.ToFloat64(refused.WithLabelValues(r)) - n; got != want {
					t.Fatalf("tickwire_admin_refused_total{%s} rose by %v, want %v", r, got, want)
				}
			}
		})
	}
}

// TestCrossSiteWatchUpgrade: a browser's WebSocket from another origin is
// refused before the upgrade, one from no browser is served.
func TestCrossSiteWatchUpgrade(t *testing.T) {
	as := startAdmin(t, testToken)
	ada := joinAdmin(t, as.lobby.url, "ada")
	url := "ws" + strings.TrimPrefix(as.url, "http") + "/v1/admin/rooms/" + ada.Joined().GetRoomId() + "/watch"
	h := as.auth()
	h.Set("Origin", "https://evil.example")
	if ws, resp, err := websocket.DefaultDialer.Dial(url, h); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		if ws != nil {
			ws.Close()
		}
		t.Fatalf("cross-site watch: %v, %v: want 403", err, resp)
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, as.auth())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	waitWatchDetail(t, ws)
}

func TestRedact(t *testing.T) {
	secret := []string{"session-secret", "admin-token"}
	tests := []struct{ in, want []string }{
		{[]string{"tickwire", "-session-secret", "abc", "-addr", ":1"}, []string{"tickwire", "-session-secret", Redacted, "-addr", ":1"}},
		{[]string{"tickwire", "--session-secret=abc", "-admin-token=x=y"}, []string{"tickwire", "--session-secret=" + Redacted, "-admin-token=" + Redacted}},
		{[]string{"tickwire", "--admin-token", "t", "-session-secret-file", "/run/s"}, []string{"tickwire", "--admin-token", Redacted, "-session-secret-file", "/run/s"}},
		{[]string{"tickwire", "-admin-token"}, []string{"tickwire", "-admin-token"}},
		{[]string{"-admin-token", "-admin-token", "x"}, []string{"-admin-token", "-admin-token", Redacted}},
		{[]string{"tickwire", "-", "--", "-x"}, []string{"tickwire", "-", "--", "-x"}},
	}
	for _, tt := range tests {
		if got := redact(tt.in, secret); !slices.Equal(got, tt.want) {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func itoa(code int) string { return strconv.Itoa(code) }

func TestAdminReadEndpoints(t *testing.T) {
	as := startAdmin(t, testToken)
	ada := joinAdmin(t, as.lobby.url, "ada")
	bob := joinAdmin(t, as.lobby.url, "bob")
	room := ada.Joined().GetRoomId()
	if bob.Joined().GetRoomId() != room {
		t.Fatalf("players in rooms %s and %s, want one room", room, bob.Joined().GetRoomId())
	}
	d := as.waitRoom(t, room, 2)

	t.Run("overview", func(t *testing.T) {
		var o Overview
		as.getJSON(t, "/v1/admin/overview", &o)
		if o.Version != "test" || o.Connections != 2 || o.Sessions != 2 || o.Rooms != 1 || o.Players != 2 {
			t.Fatalf("overview = %+v, want version test, 2 connections and sessions, 1 room, 2 players", o)
		}
		if o.Goroutines <= 0 || o.CPUSeconds <= 0 || o.HeapBytes == 0 || o.RSSBytes == 0 || o.UptimeSeconds <= 0 {
			t.Fatalf("overview = %+v, want process figures", o)
		}
	})
	t.Run("rooms", func(t *testing.T) {
		var l RoomList
		as.getJSON(t, "/v1/admin/rooms", &l)
		if len(l.Rooms) != 1 || l.Rooms[0].ID != room || l.Rooms[0].Mode != "arena" || l.Rooms[0].Players != 2 ||
			l.Rooms[0].State != "running" || l.Rooms[0].Tick == 0 || l.Rooms[0].JoinCode == "" {
			t.Fatalf("rooms = %+v, want the one running arena room with 2 players", l.Rooms)
		}
	})
	t.Run("room", func(t *testing.T) {
		if d.ID != room || d.TickHz != 60 || d.SnapshotHz != 20 || d.MaxPlayers != 16 || d.Connected != 2 {
			t.Fatalf("room = %+v", d)
		}
		names := map[string]Player{}
		for _, p := range d.PlayerList {
			names[p.Name] = p
		}
		for _, c := range []*adminPlayer{ada, bob} {
			p, ok := names[c.Welcome().GetName()]
			if !ok || !p.Connected || p.ID != c.Joined().GetPlayerId() || p.EntityID != c.Joined().GetEntityId() {
				t.Fatalf("player %s = %+v (in %+v), want connected with its ids", c.Welcome().GetName(), p, d.PlayerList)
			}
		}
	})
	t.Run("state", func(t *testing.T) {
		code, b := as.do(t, "GET", "/v1/admin/rooms/"+room+"/state", nil)
		if code != http.StatusOK {
			t.Fatalf("state: %d %s", code, b)
		}
		var v pb.WorldView
		if err := protojson.Unmarshal(b, &v); err != nil {
			t.Fatalf("state is not a WorldView: %v\n%s", err, b)
		}
		if v.GetRoomId() != room || v.GetTick() == 0 || len(v.GetEntities()) < 2 {
			t.Fatalf("state = %v, want the room at a tick with both players", &v)
		}
		own := map[uint32]uint32{ada.Joined().GetEntityId(): ada.Joined().GetPlayerId(), bob.Joined().GetEntityId(): bob.Joined().GetPlayerId()}
		player := arena.Schema.Kind(arena.KindPlayer)
		for _, e := range v.GetEntities() {
			pid, ok := own[e.GetId()]
			if !ok {
				continue
			}
			delete(own, e.GetId())
			if e.GetKind() != arena.KindPlayer || e.GetKindName() != player.Name || len(e.GetFields()) != len(player.Fields) {
				t.Fatalf("player entity %v: want kind %d %q with %d fields", e, arena.KindPlayer, player.Name, len(player.Fields))
			}
			for f, fv := range e.GetFields() {
				if fv.GetName() != player.Fields[f].Name {
					t.Fatalf("entity %d field %d named %q, want the schema's %q", e.GetId(), f, fv.GetName(), player.Fields[f].Name)
				}
			}
			if owner := e.GetFields()[arena.PlayerOwner].GetRaw(); uint32(owner) != pid {
				t.Fatalf("entity %d owner %d, want player %d", e.GetId(), owner, pid)
			}
		}
		if len(own) != 0 {
			t.Fatalf("state lacks the players' entities %v", own)
		}
		if v.GetSchema() == nil || !strings.Contains(string(b), `"kind_name"`) {
			t.Fatalf("state does not carry the schema or does not use the proto field names: %s", b)
		}
	})
	t.Run("unknown room", func(t *testing.T) {
		for _, c := range []struct{ method, path string }{
			{"GET", "/v1/admin/rooms/nope"}, {"GET", "/v1/admin/rooms/nope/state"},
			{"GET", "/v1/admin/rooms/nope/watch"}, {"GET", "/v1/admin/rooms/nope/record?for=1s"},
			{"POST", "/v1/admin/rooms/nope/kick"}, {"POST", "/v1/admin/rooms/nope/close"}, {"POST", "/v1/admin/rooms/nope/debug"},
		} {
			code, b := as.do(t, c.method, c.path, map[string]any{})
			var e ErrorJSON
			if code != http.StatusNotFound || json.Unmarshal(b, &e) != nil || !strings.Contains(e.Error, `unknown room "nope"`) {
				t.Errorf("%s %s = %d %s, want 404 unknown room", c.method, c.path, code, b)
			}
		}
	})
	t.Run("bad requests", func(t *testing.T) {
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/v1/admin/rooms/" + room + "/record", nil},
			{"GET", "/v1/admin/rooms/" + room + "/record?for=-1s", nil},
			{"POST", "/v1/admin/rooms/" + room + "/kick", map[string]any{"reason": "no player"}},
			{"POST", "/v1/admin/rooms/" + room + "/debug", map[string]any{"command": " "}},
		} {
			if code, b := as.do(t, c.method, c.path, c.body); code != http.StatusBadRequest {
				t.Errorf("%s %s = %d %s, want 400", c.method, c.path, code, b)
			}
		}
		if code, b := as.do(t, "POST", "/v1/admin/rooms/"+room+"/kick", KickRequest{Player: 999}); code != http.StatusNotFound {
			t.Errorf("kick of an unknown player = %d %s, want 404", code, b)
		}
	})
	t.Run("record", func(t *testing.T) {
		req, _ := http.NewRequest("GET", as.url+"/v1/admin/rooms/"+room+"/record?for=500ms", nil)
		req.Header = as.auth()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("record: %v %s %s", err, resp.Status, b)
		}
		if msg := resp.Trailer.Get(RecordErrorTrailer); msg != "" {
			t.Fatalf("record trailer says %q", msg)
		}
		var h pb.RecordHeader
		r := bytes.NewReader(b)
		if err := protodelim.UnmarshalFrom(r, &h); err != nil {
			t.Fatalf("recording does not start with a RecordHeader: %v", err)
		}
		if h.GetRoomId() != room || h.GetMode() != "arena" || h.GetTickHz() != 60 {
			t.Fatalf("header = %v", &h)
		}
		checksums := 0
		for r.Len() > 0 {
			var e pb.RecordEntry
			if err := protodelim.UnmarshalFrom(r, &e); err != nil {
				t.Fatalf("entry %d: %v", checksums, err)
			}
			if e.GetChecksum() != nil {
				checksums++
			}
		}
		if checksums == 0 {
			t.Fatal("a half-second recording holds no checksum")
		}
	})
	t.Run("watch", func(t *testing.T) {
		ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(as.url, "http")+"/v1/admin/rooms/"+room+"/watch", as.auth())
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		var gotDetail, gotSnapshot bool
		var layout *wire.Layout // from the first detail's schema
		_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for !gotDetail || !gotSnapshot {
			kind, b, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("watch read (detail %v, snapshot %v): %v", gotDetail, gotSnapshot, err)
			}
			switch kind {
			case websocket.TextMessage:
				var m WatchMessage
				if err := json.Unmarshal(b, &m); err != nil || m.Type != "room" || m.Room == nil || m.Room.ID != room {
					t.Fatalf("text frame %s: want a room detail", b)
				}
				if !gotDetail {
					var ps pb.Schema
					if err := protojson.Unmarshal(m.Schema, &ps); err != nil {
						t.Fatalf("first room detail's schema %s: %v", m.Schema, err)
					}
					s, err := wire.SchemaFromProto(&ps)
					if err != nil || !proto.Equal(s.Proto(), arena.Schema.Proto()) {
						t.Fatalf("first room detail's schema %v (%v), want the arena's", &ps, err)
					}
					layout = wire.NewLayout(s)
				} else if len(m.Schema) != 0 {
					t.Fatalf("a later room detail repeats the schema: %s", b)
				}
				gotDetail = true
			case websocket.BinaryMessage:
				var m pb.ServerMessage
				if err := proto.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
				s := m.GetSnapshot()
				if s == nil {
					continue
				}
				if layout == nil {
					t.Fatal("a snapshot came before the room detail with the schema")
				}
				rows := wire.NewRows(layout, 0)
				err := wire.ApplyDelta(rows, nil, s.GetDelta())
				if s.GetBaseTick() != 0 || err != nil || wire.Checksum(rows) != s.GetChecksum() || rows.Len() < 2 {
					t.Fatalf("spectator snapshot base %d, %d entities, err %v: want a full snapshot that verifies", s.GetBaseTick(), rows.Len(), err)
				}
				gotSnapshot = true
			}
		}
	})
}
