package lobby

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// postSession signs a guest in over HTTP from ip, with extra headers, and
// returns the status code.
func postSession(t *testing.T, addr string, hc *http.Client, headers map[string]string) int {
	t.Helper()
	req, err := http.NewRequest("POST", "http://"+addr+"/v1/session", strings.NewReader(`{"name": "ada"}`))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	discard(resp)
	return resp.StatusCode
}

// TestFinding14GuestSignIns reproduces the sign-in part of finding 14 of
// the hardening review: guest sign-ins were unlimited (10,500 tokens a
// second). A guest sign-in, by Hello without a token or POST /v1/session,
// now spends a budget of its client address and one of the server; a
// sign-in with a token spends neither.
func TestFinding14GuestSignIns(t *testing.T) {
	fd := startFrontDoor(t, func(c *Config) {
		c.Limits.SignInsPerAddr = Rate{N: 3, Per: time.Minute}
		c.Limits.SignIns = Rate{N: 5, Per: time.Minute}
	}, nil)
	addrRefused := metricValue(t, "tickwire_handshake_failures_total", "reason", "signin_addr")
	serverRefused := metricValue(t, "tickwire_requests_refused_total", "reason", "signin_server")

	var first *client.Client
	for i := range 4 {
		c, err := dialFrom(context.Background(), fd.url, loopback(1), "guest", nil)
		if i < 3 {
			if err != nil {
				t.Fatalf("guest sign-in %d: %v", i, err)
			}
			t.Cleanup(func() { _ = c.Close() })
			first = c
			continue
		}
		if !isServerError(err, pb.ErrorCode_ERROR_CODE_RATE_LIMITED) {
			t.Fatalf("guest sign-in past the address's budget: %v, want RATE_LIMITED", err)
		}
	}
	if d := metricValue(t, "tickwire_handshake_failures_total", "reason", "signin_addr") - addrRefused; d != 1 {
		t.Errorf("%v sign-ins counted over the address's budget, want 1", d)
	}
	// A session coming back with its token is no new guest.
	token := first.SessionToken()
	_ = first.Close()
	mustDialFrom(t, fd.url, loopback(1), "", func(c *client.ClientConfig) { c.SessionToken = token })

	// The server's budget: 2 left, then refused for every address.
	if code := postSession(t, fd.addr, httpFrom(loopback(2)), nil); code != http.StatusOK {
		t.Fatalf("POST /v1/session: %d", code)
	}
	mustDialFrom(t, fd.url, loopback(3), "guest", nil)
	if code := postSession(t, fd.addr, httpFrom(loopback(4)), nil); code != http.StatusTooManyRequests {
		t.Fatalf("POST /v1/session past the server's budget: %d, want 429", code)
	}
	if d := metricValue(t, "tickwire_requests_refused_total", "reason", "signin_server") - serverRefused; d != 1 {
		t.Errorf("%v sign-ins counted over the server's budget, want 1", d)
	}
}

// TestFinding14AllowedOrigins reproduces the origin part of finding 14:
// any Origin was accepted, with no option to restrict it. By default a
// page of another site is now refused (403, counted) while the server's
// own pages and clients without an Origin are accepted; -allowed-origins
// adds origins, with wildcards.
func TestFinding14AllowedOrigins(t *testing.T) {
	tests := []struct {
		name    string
		allowed []string
		origin  string // "" = no Origin header; "self" = the server's own
		ok      bool
	}{
		{name: "no origin: not a browser", ok: true},
		{name: "the server's own page", origin: "self", ok: true},
		{name: "another site", origin: "https://evil.example", ok: false},
		{name: "a sandboxed page", origin: "null", ok: false},
		{name: "a listed subdomain", allowed: []string{"https://*.example.com"}, origin: "https://game.example.com", ok: true},
		{name: "a deeper subdomain", allowed: []string{"https://*.example.com"}, origin: "https://eu.play.example.com", ok: true},
		{name: "the wildcard's own domain", allowed: []string{"https://*.example.com"}, origin: "https://example.com", ok: false},
		{name: "another scheme", allowed: []string{"https://*.example.com"}, origin: "http://game.example.com", ok: false},
		{name: "a look-alike domain", allowed: []string{"https://*.example.com"}, origin: "https://game.example.com.evil.example", ok: false},
		{name: "any port", allowed: []string{"http://localhost:*"}, origin: "http://localhost:5173", ok: true},
		{name: "the default port", allowed: []string{"https://game.example.com"}, origin: "https://game.example.com:443", ok: true},
		{name: "everyone", allowed: []string{"*"}, origin: "https://anything.example", ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd := startFrontDoor(t, func(c *Config) { c.AllowedOrigins = tt.allowed }, nil)
			origin := tt.origin
			if origin == "self" {
				origin = "http://" + fd.addr
			}
			header := http.Header{}
			if origin != "" {
				header.Set("Origin", origin)
			}
			refused := metricValue(t, "tickwire_connections_refused_total", "reason", "origin")
			ws, resp, err := wsDialer(loopback(1)).Dial(fd.url, header)
			if ws != nil {
				ws.Close()
			}
			if (err == nil) != tt.ok {
				t.Fatalf("WebSocket from %q: %v, want accepted %t", origin, err, tt.ok)
			}
			if !tt.ok && (resp == nil || resp.StatusCode != http.StatusForbidden) {
				t.Fatalf("WebSocket from %q: %v, want 403", origin, resp)
			}
			headers := map[string]string{}
			if origin != "" {
				headers["Origin"] = origin
			}
			want := http.StatusOK
			if !tt.ok {
				want = http.StatusForbidden
			}
			if code := postSession(t, fd.addr, httpFrom(loopback(1)), headers); code != want {
				t.Fatalf("POST /v1/session from %q: %d, want %d", origin, code, want)
			}
			if d := metricValue(t, "tickwire_connections_refused_total", "reason", "origin") - refused; !tt.ok && d != 2 {
				t.Errorf("%v refusals counted, want 2", d)
			}
		})
	}
}

// TestFinding14Names reproduces the name part of finding 14: look-alike
// and blank-looking names were accepted. Names are now normalized with the
// PRECIS Nickname profile and checked: compatibility look-alikes become
// the letters they imitate, invisible characters are refused, a name
// needs a letter or digit, and letters of one script (or of an allowed
// combination).
func TestFinding14Names(t *testing.T) {
	tests := []struct {
		name, in, want string // want "" = refused
	}{
		{"plain", "Ada", "Ada"},
		{"spaces trimmed and collapsed", "  Ada   Lovelace ", "Ada Lovelace"},
		{"full-width letters folded", "Ａｄａ", "Ada"},
		{"mathematical letters folded", "𝐀𝐝𝐚", "Ada"},
		{"a ligature folded", "ﬁn", "fin"},
		{"a non-breaking space mapped", "Ada\u00a0L", "Ada L"},
		{"accents", "Zoë_99 ok!", "Zoë_99 ok!"},
		{"Japanese with Latin", "山田Taro", "山田Taro"},
		{"Devanagari with its marks", "नमस्ते", "नमस्ते"},
		{"Cyrillic alone", "Дмитрий", "Дмитрий"},
		{"blank", "   ", ""},
		{"only marks", "...", ""},
		{"zero-width joiner", "A\u200dda", ""},
		{"zero-width space", "\u200b", ""},
		{"Hangul filler", "\u3164", ""},
		{"Braille blank", "\u2800", ""},
		{"a Cyrillic a among Latin", "\u0430dmin", ""},
		{"a Greek omicron among Latin", "r\u03bfot", ""},
		{"a tower of marks", "x\u0302\u0303\u0304", ""},
		{"a control character", "tab\there", ""},
		{"markup", "a<b", ""},
		{"too long", strings.Repeat("x", MaxNameLength+1), ""},
		{"not UTF-8", "bad\xffutf8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateName(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ValidateName(%q) = %q, want it refused", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ValidateName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestFinding14SlowConsumer reproduces the slow-consumer part of finding
// 14 end to end: a player that reads nothing was only cut by the 25 s
// ping timeout, since kernel buffers absorbed its snapshots. Its room now
// sees that its acks trail the room and closes it with SLOW_CONSUMER; its
// seat is held as for any drop, and a player that acks plays on.
func TestFinding14SlowConsumer(t *testing.T) {
	fd := startFrontDoor(t, func(c *Config) { c.Conn.SlowConsumerAfter = 500 * time.Millisecond }, nil)
	closed := metricValue(t, "tickwire_connections_closed_total", "reason", "slow_consumer")
	slow := metricValue(t, "tickwire_slow_players_total")

	good := mustDialFrom(t, fd.url, loopback(1), "good", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := good.Join(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	ws, _, err := wsDialer(loopback(2)).Dial(fd.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	for _, m := range []*pb.ClientMessage{helloMsg("deaf", ""), joinMsg} {
		b, _ := proto.Marshal(m)
		if err := ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
			t.Fatal(err)
		}
	}
	// It reads and acks nothing from here on.
	eventually(t, "the deaf player to be closed as a slow consumer", func() bool {
		return metricValue(t, "tickwire_connections_closed_total", "reason", "slow_consumer")-closed == 1
	})
	if d := metricValue(t, "tickwire_slow_players_total") - slow; d != 1 {
		t.Errorf("%v slow players counted, want 1", d)
	}
	eventually(t, "the deaf player's seat to be held", func() bool { return fd.holds.cache.Len() == 1 })
	before := good.Stats().Snapshots
	eventually(t, "the good player to play on", func() bool { return good.Stats().Snapshots > before+10 })
	select {
	case <-good.Done():
		t.Fatalf("the good player was closed: %v", good.Err())
	default:
	}
}

// TestTrustedProxyClientAddress: behind a trusted proxy the client
// address is the nearest untrusted address of X-Forwarded-For, so
// budgets per address hold for the clients behind it; from any other peer
// the header is ignored, so a client cannot pick its own address.
func TestTrustedProxyClientAddress(t *testing.T) {
	proxies, err := ParseProxies("127.0.0.2/32")
	if err != nil {
		t.Fatal(err)
	}
	fd := startFrontDoor(t, func(c *Config) {
		c.TrustedProxies = proxies
		c.Limits.SignInsPerAddr = Rate{N: 1, Per: time.Minute}
	}, nil)
	proxy, direct := httpFrom(loopback(1)), httpFrom(loopback(2))
	xff := func(v string) map[string]string { return map[string]string{"X-Forwarded-For": v} }
	steps := []struct {
		name   string
		client *http.Client
		header map[string]string
		want   int
	}{
		{"a client behind the proxy", proxy, xff("203.0.113.9"), http.StatusOK},
		{"the same client again", proxy, xff("203.0.113.9"), http.StatusTooManyRequests},
		{"another client behind the proxy", proxy, xff("203.0.113.10"), http.StatusOK},
		{"a client that forged a hop before the proxy", proxy, xff("203.0.113.10, 203.0.113.11"), http.StatusOK},
		{"the proxy itself, no header", proxy, nil, http.StatusOK},
		{"an untrusted peer naming a fresh address", direct, xff("198.51.100.1"), http.StatusOK},
		{"the same untrusted peer naming another", direct, xff("198.51.100.2"), http.StatusTooManyRequests},
	}
	for _, s := range steps {
		if code := postSession(t, fd.addr, s.client, s.header); code != s.want {
			t.Errorf("%s: %d, want %d", s.name, code, s.want)
		}
	}
}
