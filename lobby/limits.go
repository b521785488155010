package lobby

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Limits are the front door's budgets: what one client address, one
// session and the whole server may take of connections, sign-ins, rooms,
// joins, listings and held seats. DefaultLimits fills every field; a zero field
// turns its budget off.
type Limits struct {
	// ConnsPerAddr caps the connections of one client address: TCP
	// connections at the listener (HTTP keep-alive included) and
	// WebSocket sessions at the upgrade.
	ConnsPerAddr int
	// ConnRatePerAddr bounds how fast one client address may open TCP
	// connections: a client cut off for flooding cannot just dial again
	// and again.
	ConnRatePerAddr Rate
	// ConnReserve is how many connections past MaxConnections the listener
	// still accepts, for /healthz and /metrics only, so that health checks
	// answer while the public port is full.
	ConnReserve int
	// LobbyIdleTimeout closes, with IDLE_TIMEOUT, a signed-in connection
	// that has held no seat for this long.
	LobbyIdleTimeout time.Duration

	// SignInsPerAddr and SignIns bound guest sign-ins (a Hello without a
	// token, POST /v1/session) per client address and server-wide.
	SignInsPerAddr, SignIns Rate
	// CreatesPerAddr and CreatesPerSession bound CreateRoom requests.
	CreatesPerAddr, CreatesPerSession Rate
	// JoinsPerAddr, JoinsPerSession and Joins bound JoinRoom requests (by
	// room id, join code or quick play; not the second step of a cluster
	// redirect, whose reservation was budgeted where it was made). Each
	// join costs the room a seat, an entity, a full snapshot and room
	// updates to every listing subscriber, so joining and leaving in a loop
	// must not be free.
	JoinsPerAddr, JoinsPerSession, Joins Rate
	// JoinMissesPerAddr and JoinMissesPerSession bound the joins that name
	// a room id or join code no live room has: once a client address or
	// session has spent them, its joins by id or code are refused before
	// the look-up, so join codes cannot be guessed at the join rate.
	JoinMissesPerAddr, JoinMissesPerSession Rate
	// ListsPerAddr, ListsPerSession and Lists bound listing requests
	// (ListRooms, SubscribeRooms, GET /v1/rooms).
	ListsPerAddr, ListsPerSession, Lists Rate
	// MetricsPerAddr and Metrics bound GET /metrics (Config.Metrics) per
	// client address and server-wide.
	MetricsPerAddr, Metrics Rate
	// RefusalsPerConn bounds the requests one connection may have refused
	// by the budgets above: a client that keeps asking after its refusals
	// is closed with PROTOCOL_ERROR, and coming back costs it a new
	// connection and sign-in, which have budgets of their own.
	RefusalsPerConn Rate
	// HeldSeatsPerAddr caps the seats held for reconnection of players of
	// one client address; past it the address's oldest hold is released.
	// (A session holds at most one seat.)
	HeldSeatsPerAddr int
}

// DefaultLimits returns the budgets a server has unless told otherwise.
func DefaultLimits() Limits {
	return Limits{
		ConnsPerAddr:         64,
		ConnRatePerAddr:      Rate{N: 60, Per: 10 * time.Second},
		ConnReserve:          16,
		LobbyIdleTimeout:     time.Minute,
		SignInsPerAddr:       Rate{N: 20, Per: 10 * time.Second},
		SignIns:              Rate{N: 500, Per: time.Second},
		CreatesPerAddr:       Rate{N: 10, Per: time.Minute},
		CreatesPerSession:    Rate{N: 5, Per: time.Minute},
		JoinsPerAddr:         Rate{N: 120, Per: time.Minute},
		JoinsPerSession:      Rate{N: 30, Per: time.Minute},
		Joins:                Rate{N: 500, Per: time.Second},
		JoinMissesPerAddr:    Rate{N: 30, Per: time.Minute},
		JoinMissesPerSession: Rate{N: 10, Per: time.Minute},
		ListsPerAddr:         Rate{N: 20, Per: 2 * time.Second},
		ListsPerSession:      Rate{N: 10, Per: 2 * time.Second},
		Lists:                Rate{N: 2000, Per: time.Second},
		MetricsPerAddr:       Rate{N: 10, Per: 10 * time.Second},
		Metrics:              Rate{N: 20, Per: time.Second},
		RefusalsPerConn:      Rate{N: 10, Per: 10 * time.Second},
		HeldSeatsPerAddr:     16,
	}
}

// Rate is a token-bucket budget: N requests per Per, and a burst of N. Its
// text form, for flags, is "N/duration" such as "10/1m"; "0" or "" is no
// budget.
type Rate struct {
	N   int
	Per time.Duration
}

// On reports whether the rate limits anything.
func (r Rate) On() bool { return r.N > 0 && r.Per > 0 }

// limit returns the rate's refill per second for x/time/rate.
func (r Rate) limit() rate.Limit {
	return rate.Limit(float64(r.N) / r.Per.Seconds())
}

// String returns the rate's text form.
func (r Rate) String() string {
	if !r.On() {
		return "0"
	}
	return fmt.Sprintf("%d/%s", r.N, shortDuration(r.Per))
}

// shortDuration writes d without the zero units time.Duration.String
// keeps ("1m" rather than "1m0s").
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Set parses the text form of a rate, so that a *Rate is a flag.Value.
func (r *Rate) Set(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		*r = Rate{}
		return nil
	}
	n, per, ok := strings.Cut(s, "/")
	if !ok {
		return fmt.Errorf("rate %q: want N/duration, such as 10/1m", s)
	}
	count, err := strconv.Atoi(n)
	if err != nil || count < 0 {
		return fmt.Errorf("rate %q: count %q is not a whole number", s, n)
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return fmt.Errorf("rate %q: period %q is not a positive duration", s, per)
	}
	*r = Rate{N: count, Per: d}
	return nil
}
