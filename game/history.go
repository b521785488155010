package game

import "fmt"

// Snapshot is one snapshot tick of a room's history.
type Snapshot struct {
	Tick         uint32
	ServerTimeUS int64
	Entities     []Entity
	Events       []Event
	Checksum     uint32
}

// History is a ring of a room's recent snapshots that encodes the newest one
// against any baseline it still holds, once per distinct baseline.
//
// A History belongs to one goroutine (the room's); it has no lock.
type History struct {
	// TestCorruptChecksum, when set, makes EncodeLatest send a wrong
	// checksum for every tick it returns true for, so tests can prove that
	// clients count and recover from a desync. Never set it in production.
	TestCorruptChecksum func(tick uint32) bool

	ring []Snapshot
	head int // index of the newest snapshot
	n    int // snapshots held

	// memo holds this tick's encodings by base tick (0 = full); it is
	// emptied by Push. Encodings are handed out shared, so each is freshly
	// allocated and never written again.
	memo []encoding
	// delta and events are scratch reused by EncodeLatest; nothing handed
	// out points into them.
	delta  []byte
	events [][]Event
}

// encoding is one memoized EncodeLatest result.
type encoding struct {
	base  uint32
	bytes []byte
}

// NewHistory returns a History holding the newest size snapshots. A room
// should keep at least one second of snapshots so that a client with a
// typical round trip still finds its acknowledged tick. NewHistory panics
// if size < 1.
func NewHistory(size int) *History {
	if size < 1 {
		panic(fmt.Sprintf("wire: history size %d < 1", size))
	}
	return &History{ring: make([]Snapshot, size), head: size - 1}
}

// Push adds the newest snapshot; History takes ownership of its slices.
//
// Push sets s.Checksum to Checksum(s.Entities), overwriting any value the
// caller set. It panics if s.Tick is 0 (reserved for "no baseline"), is not
// greater than the previous snapshot's tick, or s.Entities is not sorted by
// strictly ascending nonzero ID: each is a bug in the caller that would
// otherwise reach every client as a desync.
func (h *History) Push(s Snapshot) {
	if s.Tick == 0 {
		panic("wire: snapshot tick 0 is reserved")
	}
	if l := h.Latest(); l != nil && s.Tick <= l.Tick {
		panic(fmt.Sprintf("wire: snapshot tick %d pushed after %d", s.Tick, l.Tick))
	}
	var prev uint32
	for k := range s.Entities {
		if id := s.Entities[k].ID; id <= prev {
			panic(fmt.Sprintf("wire: snapshot %d entity id %d after %d: ids must ascend from 1", s.Tick, id, prev))
		}
		prev = s.Entities[k].ID
	}
	s.Checksum = Checksum(s.Entities)
	h.head = (h.head + 1) % len(h.ring)
	h.ring[h.head] = s
	h.n = min(h.n+1, len(h.ring))
	clear(h.memo) // drop references so old encodings can be collected
	h.memo = h.memo[:0]
}

// at returns the k-th held snapshot, oldest first.
func (h *History) at(k int) *Snapshot {
	return &h.ring[(h.head-h.n+1+k+len(h.ring))%len(h.ring)]
}

// Len returns how many snapshots the ring holds.
func (h *History) Len() int { return h.n }

// Cap returns how many snapshots the ring can hold.
func (h *History) Cap() int { return len(h.ring) }

// Get returns the snapshot of tick if the ring still holds it. The pointer
// stays valid until that snapshot is evicted; callers must not modify it.
func (h *History) Get(tick uint32) (*Snapshot, bool) {
	// Baselines are usually recent, so search from the newest.
	for k := h.n - 1; k >= 0; k-- {
		s := h.at(k)
		if s.Tick == tick {
			return s, true
		}
		if s.Tick < tick {
			break
		}
	}
	return nil, false
}

// Latest returns the newest snapshot, or nil before the first Push.
func (h *History) Latest() *Snapshot {
	if h.n == 0 {
		return nil
	}
	return &h.ring[h.head]
}

// Oldest returns the oldest snapshot still held, or nil before the first
// Push.
func (h *History) Oldest() *Snapshot {
	if h.n == 0 {
		return nil
	}
	return h.at(0)
}

// EncodeLatest returns the serialized Snapshot message fields shared by every
// player whose baseline is baseTick: the newest snapshot as a delta against
// baseTick, or a full one when the ring does not hold baseTick (or it is 0).
// Results are memoized until the next Push; callers must not modify them.
// The second result is the base tick actually used (0 for full).
//
// The fields are tick, base_tick, server_time_us, checksum, delta and
// events; a delta carries the events of every held snapshot after baseTick
// up to the newest, a full snapshot only the newest one's. A baseTick that
// is not older than the newest snapshot also gets a full snapshot. Before
// the first Push it returns nil, 0.
func (h *History) EncodeLatest(baseTick uint32) (shared []byte, usedBase uint32) {
	latest := h.Latest()
	if latest == nil {
		return nil, 0
	}
	var base *Snapshot
	if baseTick != 0 && baseTick < latest.Tick {
		base, _ = h.Get(baseTick)
	}
	if base != nil {
		usedBase = base.Tick
	}
	for _, m := range h.memo {
		if m.base == usedBase {
			return m.bytes, usedBase
		}
	}

	f := snapshotFields{
		tick:         latest.Tick,
		baseTick:     usedBase,
		serverTimeUS: latest.ServerTimeUS,
		checksum:     latest.Checksum,
	}
	if h.TestCorruptChecksum != nil && h.TestCorruptChecksum(latest.Tick) {
		f.checksum = ^f.checksum
	}
	clear(h.events)
	h.events = h.events[:0]
	if base == nil {
		h.delta = EncodeDelta(h.delta[:0], nil, latest.Entities)
		h.events = append(h.events, latest.Events)
	} else {
		h.delta = EncodeDelta(h.delta[:0], base.Entities, latest.Entities)
		for k := range h.n {
			if s := h.at(k); s.Tick > usedBase {
				h.events = append(h.events, s.Events)
			}
		}
	}
	f.delta = h.delta
	f.events = h.events
	shared = f.appendTo(make([]byte, 0, f.size()))
	h.memo = append(h.memo, encoding{base: usedBase, bytes: shared})
	return shared, usedBase
}

// heldTicks returns the ticks the ring holds, oldest first (for tests and
// debugging).
func (h *History) heldTicks() []uint32 {
	ticks := make([]uint32, 0, h.n)
	for k := range h.n {
		ticks = append(ticks, h.at(k).Tick)
	}
	return ticks
}
