package game

import (
	"fmt"

	"github.com/tickwire/tickwire/netcode/wire"
)

// view is one distinct view at one snapshot tick: the entities some players
// (or the observer) see, the events that reach them and the checksum of
// the rows. Players whose views are equal at a tick share one *view, and so
// one encoding per baseline.
type view struct {
	rows     *wire.Rows
	events   []wire.Event
	checksum uint32
}

// snapshot is one snapshot tick of the history: its distinct views.
type snapshot struct {
	tick         uint32
	serverTimeUS int64
	// anchor is the tick of the clock anchor serverTimeUS derives from
	// (tickClock): a delta whose baseline is older carries the time.
	anchor uint32
	views  []*view
}

// offer is the view a seat was offered at one snapshot tick; a seat keeps
// one per history slot, so that its acknowledged tick names the rows the
// client holds and the views between that tick and now name the events
// it has not had yet.
type offer struct {
	tick uint32
	view *view
}

// history is a room's ring of recent snapshots and the cache of the newest
// one's encodings: each distinct (baseline view, events, newest view) is
// encoded once and its bytes shared by every seat that needs it. It
// belongs to the room goroutine and has no lock.
type history struct {
	// testCorruptChecksum is RoomConfig.TestCorruptChecksum.
	testCorruptChecksum func(tick uint32) bool

	ring []snapshot
	head int // slot of the newest snapshot
	n    int // snapshots held
	// free holds views of evicted snapshots for reuse, so that the steady
	// state allocates no rows. Nothing reads a view once its snapshot is
	// evicted: seats look a tick up in the ring before using its view.
	free []*view

	// encodings of the newest snapshot; emptied by push. Encodings are
	// handed out shared, so each is freshly allocated and never written
	// again.
	encodings []encoding
	// delta and events are scratch for encode; nothing handed out points
	// into them.
	delta  []byte
	events [][]wire.Event
}

// encoding is one cached encoding of the newest snapshot.
type encoding struct {
	base  *view  // the baseline's view, nil for a full snapshot
	since uint32 // the baseline's tick, 0 for full
	cur   *view  // the newest snapshot's view
	// seat is the first seat that asked for it: seats whose offers
	// between since and now were the same views get the same events.
	seat  *Seat
	bytes []byte
}

// newHistory returns a history of size snapshots; a room keeps at least one
// second of snapshots so that a client with a typical round trip still
// finds its acknowledged tick.
func newHistory(size int) *history {
	if size < 1 {
		panic(fmt.Sprintf("game: history size %d < 1", size))
	}
	return &history{ring: make([]snapshot, size), head: size - 1}
}

// size returns how many snapshots the history holds at most.
func (h *history) size() int { return len(h.ring) }

// newView returns an empty view of layout l, reusing an evicted one when it
// can.
func (h *history) newView(l *wire.Layout) *view {
	if k := len(h.free) - 1; k >= 0 {
		v := h.free[k]
		h.free = h.free[:k]
		v.rows.SetLayout(l)
		v.events = v.events[:0]
		return v
	}
	return &view{rows: wire.NewRows(l, 16)}
}

// push adds the snapshot of tick, whose server time serverTimeUS derives
// from the clock anchor at tick anchor, with its distinct views; the
// history owns them from now on. It panics when tick is 0 (reserved for "no baseline")
// or not above the newest tick: either is a room bug that would reach every
// client as a desync.
func (h *history) push(tick uint32, serverTimeUS int64, anchor uint32, views []*view) {
	if tick == 0 {
		panic("game: snapshot tick 0 is reserved")
	}
	if l := h.latest(); l != nil && tick <= l.tick {
		panic(fmt.Sprintf("game: snapshot tick %d pushed after %d", tick, l.tick))
	}
	h.head = (h.head + 1) % len(h.ring)
	old := &h.ring[h.head]
	if h.n == len(h.ring) {
		h.free = append(h.free, old.views...)
	}
	clear(old.views)
	old.tick, old.serverTimeUS, old.anchor, old.views = tick, serverTimeUS, anchor, append(old.views[:0], views...)
	h.n = min(h.n+1, len(h.ring))
	clear(h.encodings) // drop references so old bytes can be collected
	h.encodings = h.encodings[:0]
}

// at returns the k-th held snapshot, oldest first.
func (h *history) at(k int) *snapshot {
	return &h.ring[h.slot(k)]
}

// slot returns the ring slot of the k-th held snapshot, oldest first.
func (h *history) slot(k int) int {
	return (h.head - h.n + 1 + k + len(h.ring)) % len(h.ring)
}

// latest returns the newest snapshot, or nil before the first push.
func (h *history) latest() *snapshot {
	if h.n == 0 {
		return nil
	}
	return &h.ring[h.head]
}

// find returns the ring slot of tick, and whether the history holds it.
func (h *history) find(tick uint32) (int, bool) {
	// Baselines are usually recent, so search from the newest.
	for k := h.n - 1; k >= 0; k-- {
		s := h.at(k)
		if s.tick == tick {
			return h.slot(k), true
		}
		if s.tick < tick {
			break
		}
	}
	return 0, false
}

// heldTicks returns the ticks the history holds, oldest first (for tests).
func (h *history) heldTicks() []uint32 {
	ticks := make([]uint32, 0, h.n)
	for k := range h.n {
		ticks = append(ticks, h.at(k).tick)
	}
	return ticks
}

// recordOffer records that seat s is offered view v of the newest
// snapshot.
func (h *history) recordOffer(s *Seat, v *view) {
	if len(s.offers) != len(h.ring) {
		s.offers = make([]offer, len(h.ring))
	}
	s.offers[h.head] = offer{tick: h.latest().tick, view: v}
}

// baseline returns the view seat s was offered at tick, if the history
// still holds tick and s was offered a view then.
func (h *history) baseline(s *Seat, tick uint32) (*view, bool) {
	slot, ok := h.find(tick)
	if !ok || len(s.offers) != len(h.ring) || s.offers[slot].tick != tick {
		return nil, false
	}
	return s.offers[slot].view, true
}

// encode returns the serialized Snapshot fields for seat s, whose view of
// the newest snapshot is cur (recorded with recordOffer first; s is nil for a spectator, which always gets a full snapshot): a delta
// against the view s was offered at tick since, or a full snapshot when
// since is 0 or no longer usable. The second result is the base tick
// actually used (0 for full), the third whether this call encoded the bytes
// (false: they were shared). Callers must not modify the bytes.
//
// A delta carries the events of every view s was offered after since; a
// full snapshot the newest view's, which are those of the ticks since the
// previous snapshot tick.
func (h *history) encode(s *Seat, cur *view, since uint32) (shared []byte, used uint32, fresh bool) {
	latest := h.latest()
	var base *view
	if since != 0 && since < latest.tick {
		var ok bool
		if base, ok = h.baseline(s, since); !ok {
			base = nil
		}
	}
	if base == nil {
		since = 0
	}
	for k := range h.encodings {
		e := &h.encodings[k]
		if e.cur == cur && e.base == base && e.since == since && h.sameOffers(e.seat, s, since) {
			return e.bytes, since, false
		}
	}

	f := wire.SnapshotFields{
		Tick:     latest.tick,
		BaseTick: since,
		Checksum: cur.checksum,
	}
	if since == 0 || latest.anchor > since {
		// The client cannot derive the time from what it holds.
		f.ServerTimeUS = latest.serverTimeUS
	}
	if h.testCorruptChecksum != nil && h.testCorruptChecksum(latest.tick) {
		f.Checksum = ^f.Checksum
	}
	clear(h.events)
	h.events = h.events[:0]
	if base == nil {
		h.delta = wire.EncodeDelta(h.delta[:0], nil, cur.rows)
		h.events = append(h.events, cur.events)
	} else {
		h.delta = wire.EncodeDelta(h.delta[:0], base.rows, cur.rows)
		for k := range h.n {
			slot := h.slot(k)
			if o := s.offers[slot]; o.tick > since && o.tick == h.ring[slot].tick && o.view != nil {
				h.events = append(h.events, o.view.events)
			}
		}
	}
	f.Delta = h.delta
	f.Events = h.events
	shared = f.AppendTo(make([]byte, 0, f.Size()))
	h.encodings = append(h.encodings, encoding{base: base, since: since, cur: cur, seat: s, bytes: shared})
	return shared, since, true
}

// sameOffers reports whether seats a and b were offered the same views at
// every held tick after since, so that a delta from since carries the same
// events for both.
func (h *history) sameOffers(a, b *Seat, since uint32) bool {
	if a == b || since == 0 {
		return true
	}
	for k := h.n - 1; k >= 0; k-- {
		slot := h.slot(k)
		if h.ring[slot].tick <= since {
			break
		}
		if a.offers[slot] != b.offers[slot] {
			return false
		}
	}
	return true
}
