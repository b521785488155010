package lobby

import (
	"errors"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// Errors of a SessionStore; a Hello with such a token gets INVALID_TOKEN.
var (
	// ErrTokenRetired is returned for a token older than one of its
	// session's that has been used since.
	ErrTokenRetired = errors.New("session token retired by a newer one")
	// ErrSessionRevoked is returned for a token of a revoked session.
	ErrSessionRevoked = errors.New("session revoked")
)

// SessionStore is the server's table of sessions: the generations of each
// session's tokens that are still good, and the revoked sessions. A token
// (its signature and expiry checked by the Signer) is good while its
// generation is at least the newest generation a Hello has used, and the
// session is not revoked: so a renewed token retires the older ones as
// soon as it is used, while a client that lost its connection before it
// read the renewal can still come back with the token it had. A session
// the table does not know (the server restarted, or the session was pushed
// out of a full table) is taken as it comes. One server keeps it in memory
// (NewMemorySessions); servers that share sessions need a shared one.
type SessionStore interface {
	// Start records a new session with its first token's generation and
	// expiry.
	Start(id string, gen uint64, expires time.Time) error
	// Renew checks that gen is a good generation of session id and
	// records its use; it returns the generation of the session's next
	// token, good until expires. ErrTokenRetired and ErrSessionRevoked
	// refuse it.
	Renew(id string, gen uint64, expires time.Time) (next uint64, err error)
	// Revoke refuses every token of session id, issued or to be, until
	// until (the expiry of the newest token it may hold); it reports
	// whether the table knew the session.
	Revoke(id string, until time.Time) (known bool)
	// Revoked reports whether session id is revoked now.
	Revoked(id string) bool
}

// sessionGens is a session's entry: used is the newest generation a Hello
// presented, issued the newest one issued.
type sessionGens struct {
	used, issued uint64
}

// memorySessions is the in-memory SessionStore: live sessions in an LRU
// whose entries expire with their newest token, revocations in a map swept
// of expired ones. Revocations are operator acts, few, and never pushed
// out by sign-ins; live sessions past the table's size push out the
// least recently used, which is then taken as it comes, like after a
// restart.
type memorySessions struct {
	now  func() time.Time
	live *expirable.LRU[string, sessionGens]

	mu      sync.Mutex // guards revoked, and orders each check and its update
	revoked map[string]time.Time
}

// NewMemorySessions returns an in-memory SessionStore of at most size live
// sessions, each forgotten ttl (the token lifetime) after its last token
// was issued.
func NewMemorySessions(size int, ttl time.Duration) SessionStore {
	return &memorySessions{now: time.Now, live: expirable.NewLRU[string, sessionGens](size, nil, ttl),
		revoked: make(map[string]time.Time)}
}

// Start implements SessionStore.
func (m *memorySessions) Start(id string, gen uint64, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.live.Add(id, sessionGens{used: gen, issued: gen})
	return nil
}

// Renew implements SessionStore.
func (m *memorySessions) Renew(id string, gen uint64, _ time.Time) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if until, ok := m.revoked[id]; ok {
		if m.now().Before(until) {
			return 0, ErrSessionRevoked
		}
		delete(m.revoked, id)
	}
	g, ok := m.live.Get(id)
	switch {
	case !ok:
		g = sessionGens{used: gen, issued: gen} // unknown: taken as it comes
	case gen < g.used:
		return 0, ErrTokenRetired
	}
	g.used = gen
	g.issued = max(g.issued, gen) + 1
	m.live.Add(id, g)
	return g.issued, nil
}

// Revoked implements SessionStore.
func (m *memorySessions) Revoked(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	until, ok := m.revoked[id]
	return ok && m.now().Before(until)
}

// Revoke implements SessionStore.
func (m *memorySessions) Revoke(id string, until time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for sid, u := range m.revoked {
		if !now.Before(u) {
			delete(m.revoked, sid)
		}
	}
	m.revoked[id] = until
	return m.live.Remove(id)
}
