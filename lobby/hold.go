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
	claimed atomic.Bool
}

// holds keeps held seats by session id in an expiring LRU. Expiry releases
// the seat for good. owners finds a hold by its seat, for a kick.
type holds struct {
	cache    *expirable.LRU[string, *heldSeat]
	releases sync.WaitGroup // one per release in flight

	mu     sync.Mutex // taken inside the cache's lock (onEvict), never around it
	owners map[*game.Seat]string
}

// newHolds returns a store whose entries expire after grace; release runs
// for every seat that expires or is pushed out unclaimed.
func newHolds(size int, grace time.Duration, release func(*heldSeat)) *holds {
	h := &holds{owners: make(map[*game.Seat]string)}
	onEvict := func(sessionID string, s *heldSeat) {
		h.mu.Lock()
		if h.owners[s.seat] == sessionID {
			delete(h.owners, s.seat)
		}
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
	return h
}

// hold keeps a seat for sessionID. A seat still held for the same session
// is released first: Remove runs the eviction callback, where Add would
// replace it silently and leak it.
func (h *holds) hold(sessionID string, s *heldSeat) {
	h.cache.Remove(sessionID)
	// Before Add, so that an eviction of the new entry finds it.
	h.mu.Lock()
	h.owners[s.seat] = sessionID
	h.mu.Unlock()
	h.cache.Add(sessionID, s)
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
