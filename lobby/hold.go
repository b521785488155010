package lobby

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/tickwire/tickwire/game"
)

// heldSeat is a seat kept for a player whose socket dropped, until the
// player resumes it or the grace runs out. claimed makes resume and expiry
// exclusive: whichever flips it first acts.
type heldSeat struct {
	entry   *roomEntry
	seat    *game.Seat
	session string
	// addr is the key of the player's client address, for the budget of
	// held seats per address.
	addr    string
	claimed atomic.Bool
	// early marks a hold released before its grace ran out, and why
	// (earlyAddr, earlyServer).
	early atomic.Int32
}

// Why a hold was released before its grace ran out.
const (
	earlyAddr   = 1 // a newer hold of the same address, past its budget
	earlyServer = 2 // a newer hold, with the server's holds all taken
)

// earlyReasons are, by early, the metric label of an early release and
// what the player who comes back is told of it.
var earlyReasons = [...]struct{ label, why string }{
	earlyAddr:   {"addr_budget", "too many players of your network were away at once"},
	earlyServer: {"server_budget", "the server was holding as many seats as it can"},
}

// holds keeps held seats by session id in an expiring LRU. Expiry releases
// the seat for good. owners finds a hold by its seat, for a kick; byAddr
// lists the holds of each client address, oldest first, for the budget of
// HeldSeatsPerAddr. A session holds at most one seat: a new hold of the
// same session releases the old one.
type holds struct {
	size, perAddr int
	cache         *expirable.LRU[string, *heldSeat]
	releases      sync.WaitGroup // one per release in flight
	// gone remembers, for a while, the sessions whose held seat was
	// released early, and why, to tell the player who comes back.
	gone *expirable.LRU[string, string]

	// holding makes each hold one step: a hold picks its victims from
	// the state the previous one left, so holds of one address dropping
	// together each release one of its oldest, not all the same one.
	// Never taken by onEvict, so holding it around the cache's calls is
	// safe.
	holding sync.Mutex

	mu     sync.Mutex // taken inside the cache's lock (onEvict), never around it
	owners map[*game.Seat]string
	byAddr map[string][]string
}

// newHolds returns a store of at most size holds, perAddr of them per
// client address (0 = no such budget), whose entries expire after grace;
// release runs for every seat that expires or is pushed out unclaimed.
func newHolds(size, perAddr int, grace time.Duration, release func(*heldSeat)) *holds {
	h := &holds{size: size, perAddr: perAddr, owners: make(map[*game.Seat]string), byAddr: make(map[string][]string)}
	onEvict := func(sessionID string, s *heldSeat) {
		h.mu.Lock()
		if h.owners[s.seat] == sessionID {
			delete(h.owners, s.seat)
		}
		h.forgetAddrLocked(s.addr, sessionID)
		h.mu.Unlock()
		if s.claimed.CompareAndSwap(false, true) {
			// The cache calls this under its own lock: hand the release
			// (which talks to the room) to a goroutine that wait() awaits.
			h.releases.Add(1)
			go func() {
				defer h.releases.Done()
				release(s)
			}()
		}
	}
	h.cache = expirable.NewLRU(size, onEvict, grace)
	h.gone = expirable.NewLRU[string, string](max(size, 1), nil, 2*grace)
	return h
}

// hold keeps a seat for sessionID. A seat still held for the same session
// is released first: Remove runs the eviction callback, where Add would
// replace it silently and leak it. When s's address holds HeldSeatsPerAddr
// seats already, its oldest hold is released early, as the oldest of all
// is when the store is full: one address cannot squat every free seat by
// joining and dropping its sockets.
func (h *holds) hold(sessionID string, s *heldSeat) {
	h.holding.Lock()
	defer h.holding.Unlock()
	h.cache.Remove(sessionID)
	// Before Add, so that an eviction of the new entry finds it.
	h.mu.Lock()
	h.owners[s.seat] = sessionID
	var victim string
	if list := h.byAddr[s.addr]; h.perAddr > 0 && len(list) >= h.perAddr {
		victim = list[0]
	}
	h.byAddr[s.addr] = append(h.byAddr[s.addr], sessionID)
	h.mu.Unlock()
	if victim != "" {
		h.pushOut(victim, earlyAddr)
	}
	// Room is made here rather than by Add, which would push the oldest
	// out without a reason.
	if h.cache.Len() >= h.size {
		if oldest, _, ok := h.cache.GetOldest(); ok {
			h.pushOut(oldest, earlyServer)
		}
	}
	h.cache.Add(sessionID, s)
}

// pushOut releases the hold of sessionID before its grace ran out, for
// the reason early, and counts it when it was still held.
func (h *holds) pushOut(sessionID string, early int32) {
	v, ok := h.cache.Peek(sessionID)
	if !ok {
		return
	}
	v.early.Store(early)
	if h.cache.Remove(sessionID) { // its eviction releases the seat
		holdsReleasedEarly.WithLabelValues(earlyReasons[early].label).Inc()
	}
}

// releasedEarly records that the held seat of sessionID, in room, was
// released early, for the reason early names.
func (h *holds) releasedEarly(sessionID, room string, early int32) {
	h.gone.Add(sessionID, "your seat in room "+room+" was given up while you were away: "+earlyReasons[early].why)
}

// takeGone returns, once, why the held seat of sessionID was released
// early, if it was in the last two graces.
func (h *holds) takeGone(sessionID string) (string, bool) {
	text, ok := h.gone.Peek(sessionID)
	if ok {
		h.gone.Remove(sessionID)
	}
	return text, ok
}

// forgetAddrLocked takes sessionID off the holds of addr; h.mu must be
// held.
func (h *holds) forgetAddrLocked(addr, sessionID string) {
	list := h.byAddr[addr]
	for i, id := range list {
		if id == sessionID {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(h.byAddr, addr)
		return
	}
	h.byAddr[addr] = list
}

// heldByAddr returns how many seats are held for players of addr.
func (h *holds) heldByAddr(addr string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.byAddr[addr])
}

// take claims the seat held for sessionID, if it is still held.
func (h *holds) take(sessionID string) (*heldSeat, bool) {
	s, ok := h.cache.Peek(sessionID)
	if !ok || !s.claimed.CompareAndSwap(false, true) {
		return nil, false
	}
	h.cache.Remove(sessionID)
	return s, true
}

// drop forgets the hold of seat, if it is held, without releasing it: the
// room released it already (a kick).
func (h *holds) drop(seat *game.Seat) {
	h.mu.Lock()
	sessionID, ok := h.owners[seat]
	h.mu.Unlock()
	if !ok {
		return
	}
	if s, ok := h.cache.Peek(sessionID); ok && s.seat == seat && s.claimed.CompareAndSwap(false, true) {
		h.cache.Remove(sessionID)
	}
}

// releaseAll releases every held seat now and waits for the releases
// (server shutdown).
func (h *holds) releaseAll() {
	h.cache.Purge()
	h.releases.Wait()
}
