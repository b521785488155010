package lobby

import (
	"net/http"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestRateText(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		text string
		ok   bool
	}{
		{"10/1m", Rate{10, time.Minute}, "10/1m", true},
		{"20/10s", Rate{20, 10 * time.Second}, "20/10s", true},
		{"500/1s", Rate{500, time.Second}, "500/1s", true},
		{"3/1h", Rate{3, time.Hour}, "3/1h", true},
		{"0", Rate{}, "0", true},
		{"", Rate{}, "0", true},
		{"5", Rate{}, "", false},
		{"x/1s", Rate{}, "", false},
		{"-1/1s", Rate{}, "", false},
		{"5/0s", Rate{}, "", false},
		{"5/soon", Rate{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var r Rate
			err := r.Set(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("Set(%q) = %v, want ok %t", tt.in, err, tt.ok)
			}
			if tt.ok && (r != tt.want || r.String() != tt.text) {
				t.Fatalf("Set(%q) = %+v (%s), want %+v (%s)", tt.in, r, r, tt.want, tt.text)
			}
		})
	}
}

// TestBudgetScopes: a budget refuses by the first scope without a token,
// and a refusal spends no token of the other scopes.
func TestBudgetScopes(t *testing.T) {
	b := newBudget("list", "room listings", pb.ErrorCode_ERROR_CODE_RATE_LIMITED, Rate{3, time.Minute}, Rate{2, time.Minute}, Rate{4, time.Minute})
	now := time.Unix(1000, 0)
	steps := []struct{ addr, session, want string }{
		{"a", "s1", ""},
		{"a", "s1", ""},
		{"a", "s1", "list_session"}, // s1 is out; a keeps its third token
		{"a", "s2", ""},
		{"a", "s3", "list_addr"},
		{"b", "s4", ""}, // the server's fourth
		{"c", "s5", "list_server"},
		{"c", "", "list_server"},
	}
	for i, s := range steps {
		if got := b.allow(s.addr, s.session, now); got != s.want {
			t.Fatalf("step %d (%s, %s): %q, want %q", i, s.addr, s.session, got, s.want)
		}
	}
	const text = "too many room listings: at most 3 every 1m per client address"
	if got := b.text("list_addr"); got != text {
		t.Errorf("text = %q", got)
	}
	var m pb.ServerMessage
	if err := proto.Unmarshal(b.refusal("list_addr"), &m); err != nil || m.GetError().GetCode() != pb.ErrorCode_ERROR_CODE_RATE_LIMITED || m.GetError().GetMessage() != text {
		t.Errorf("refusal frame %v, %v", &m, err)
	}
	// A minute later every bucket is full again.
	if got := b.allow("a", "s1", now.Add(time.Minute)); got != "" {
		t.Errorf("a minute later: %q, want allowed", got)
	}
}

// TestBudgetExactUnderRace: requests of one address arriving together
// get exactly the address's budget, however they interleave, through
// allow and through reserve: no two may both pass the check on the last
// token.
func TestBudgetExactUnderRace(t *testing.T) {
	const budgetN, racers, rounds = 5, 64, 200
	now := time.Unix(1000, 0)
	take := map[string]func(b *budget) bool{
		"allow":   func(b *budget) bool { return b.allow("a", "", now) == "" },
		"reserve": func(b *budget) bool { _, refusal := b.reserve("a", "", now); return refusal == "" },
	}
	for name, take := range take {
		for round := range rounds {
			b := newBudget("signin", "guest sign-ins", pb.ErrorCode_ERROR_CODE_RATE_LIMITED, Rate{budgetN, time.Minute}, Rate{}, Rate{})
			var passed atomic.Int32
			atOnce(racers, func(int) {
				if take(b) {
					passed.Add(1)
				}
			})
			if got := passed.Load(); got != budgetN {
				t.Fatalf("%s, round %d: %d of %d racing requests passed a budget of %d", name, round, got, racers, budgetN)
			}
		}
	}
}

// TestBudgetHold: a reserved token counts against the budget until its
// hold is cancelled, which gives it back; a kept hold stays spent, and the
// zero hold cancels nothing.
func TestBudgetHold(t *testing.T) {
	b := newBudget("joinmiss", "room joins that found no room", pb.ErrorCode_ERROR_CODE_RATE_LIMITED, Rate{2, time.Minute}, Rate{}, Rate{})
	now := time.Unix(1000, 0)
	kept, refusal := b.reserve("a", "", now)
	if refusal != "" {
		t.Fatalf("first: %q", refusal)
	}
	given, refusal := b.reserve("a", "", now)
	if refusal != "" {
		t.Fatalf("second: %q", refusal)
	}
	if _, refusal := b.reserve("a", "", now); refusal != "joinmiss_addr" {
		t.Fatalf("third, with two held: %q, want joinmiss_addr", refusal)
	}
	given.cancel()
	hold{}.cancel()
	again, refusal := b.reserve("a", "", now)
	if refusal != "" {
		t.Fatalf("after a cancel: %q, want the token given back", refusal)
	}
	if _, refusal := b.reserve("a", "", now); refusal != "joinmiss_addr" {
		t.Fatalf("fourth: %q, want joinmiss_addr (the kept hold stays spent)", refusal)
	}
	_, _ = kept, again
}

// TestKeyedLimiterForgets: keys whose buckets are full again are
// forgotten, so memory follows the busy keys, not every key ever seen.
func TestKeyedLimiterForgets(t *testing.T) {
	k := newKeyedLimiter(Rate{2, time.Second})
	now := time.Unix(1000, 0)
	k.lastSweep = now
	for _, key := range []string{"a", "b", "c"} {
		k.get(key, now).AllowN(now, 1)
	}
	if n := k.len(); n != 3 {
		t.Fatalf("%d keys, want 3", n)
	}
	// Two minutes on, a new key sweeps the full buckets away.
	later := now.Add(2 * time.Minute)
	k.get("d", later)
	if n := k.len(); n != 1 {
		t.Fatalf("%d keys after the sweep, want only the new one", n)
	}
	if newKeyedLimiter(Rate{}) != nil || (*keyedLimiter)(nil).get("x", now) != nil {
		t.Error("an off rate limits something")
	}
}

func TestProxiesClientAddr(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8, 192.0.2.7, 2001:db8::/32")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "203.0.113.1:5000", nil, "203.0.113.1"},
		{"an untrusted peer's header is ignored", "203.0.113.1:5000", []string{"198.51.100.1"}, "203.0.113.1"},
		{"a trusted proxy", "10.1.2.3:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a chain of trusted proxies", "10.1.2.3:5000", []string{"198.51.100.1, 192.0.2.7"}, "198.51.100.1"},
		{"a forged hop before the proxy", "10.1.2.3:5000", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"several headers", "10.1.2.3:5000", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},
		{"all trusted", "10.1.2.3:5000", []string{"10.9.9.9"}, "10.9.9.9"},
		{"garbage stops the walk", "10.1.2.3:5000", []string{"198.51.100.1, nonsense"}, "10.1.2.3"},
		{"no header from the proxy", "10.1.2.3:5000", nil, "10.1.2.3"},
		{"IPv6", "[2001:db8::1]:5000", []string{"2001:db8:ffff::1, 2a00::5"}, "2a00::5"},
		{"IPv4 in IPv6", "[::ffff:10.1.2.3]:5000", []string{"198.51.100.1"}, "198.51.100.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{RemoteAddr: tt.peer, Header: http.Header{}}
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := proxies.clientAddr(r); got.String() != tt.want {
				t.Fatalf("clientAddr = %v, want %s", got, tt.want)
			}
		})
	}
	if _, err := ParseProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad prefix was accepted")
	}
}

func TestAddrKey(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"198.51.100.7", "198.51.100.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
	}
	for _, tt := range tests {
		if got := addrKey(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("addrKey(%s) = %s, want %s", tt.addr, got, tt.want)
		}
	}
	if got := addrKey(netip.Addr{}); got != "unknown" {
		t.Errorf("addrKey(zero) = %s", got)
	}
}

// TestBudgetClockOrder: a request whose clock reading is older than one
// already checked (it waited for the lock) is taken as of the later time,
// so the interval between them is not refilled twice.
func TestBudgetClockOrder(t *testing.T) {
	b := newBudget("create", "room creations", pb.ErrorCode_ERROR_CODE_RATE_LIMITED, Rate{3, 3 * time.Second}, Rate{}, Rate{})
	t0 := time.Unix(1000, 0)
	passed := 0
	for _, at := range []time.Duration{0, 0, 0, 2 * time.Second, time.Second, 2 * time.Second, 2 * time.Second} {
		if b.allow("a", "", t0.Add(at)) == "" {
			passed++
		}
	}
	// Three at once, then a token a second: five by t0+2s.
	if passed != 5 {
		t.Fatalf("%d requests passed by t0+2s, want 5 (3 at once and 2 refilled)", passed)
	}
}
