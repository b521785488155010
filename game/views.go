package game

import "github.com/tickwire/tickwire/netcode/wire"

// viewBuilder takes the views of one snapshot tick: it asks the Game for
// each view group's entities once, shares views that come out equal, and
// gives each view the events that may reach it. Room goroutine only.
type viewBuilder struct {
	room    *Room
	grouper ViewGrouper // nil: every player is its own group
	events  []wire.Event
	// groups maps this tick's view groups to their views.
	groups map[uint64]*view
	// distinct lists this tick's views, each once, for the history.
	distinct []*view
}

// begin starts the views of a snapshot tick whose events are events.
func (b *viewBuilder) begin(r *Room, events []wire.Event) {
	if b.groups == nil {
		b.groups = make(map[uint64]*view)
		b.grouper, _ = r.game.(ViewGrouper)
	}
	b.room = r
	b.events = events
	clear(b.groups)
	clear(b.distinct)
	b.distinct = b.distinct[:0]
}

// of returns player p's view of this tick.
func (b *viewBuilder) of(p PlayerID) *view {
	// Without groups, each player is its own; Observer (0) cannot collide
	// with a player's key as players count from 1.
	key := uint64(p)
	if b.grouper != nil {
		b.room.calling = CallViewGroup
		key = b.grouper.ViewGroup(p)
		b.room.calling = ""
	}
	if v, ok := b.groups[key]; ok {
		return v
	}
	r := b.room
	v := r.history.newView(r.layout)
	r.calling = CallView
	r.game.View(p, v.rows)
	r.calling = ""
	v.checksum = wire.Checksum(v.rows)
	for _, d := range b.distinct {
		if d.checksum == v.checksum && d.rows.Equal(v.rows) {
			// Equal rows give equal events: share the view, and so its
			// encodings, and give the fresh one back.
			r.history.free = append(r.history.free, v)
			b.groups[key] = d
			return d
		}
	}
	v.events = appendVisible(v.events[:0], b.events, v.rows)
	b.groups[key] = v
	b.distinct = append(b.distinct, v)
	return v
}

// appendVisible appends to dst the events whose every named entity is in
// rows.
func appendVisible(dst, events []wire.Event, rows *wire.Rows) []wire.Event {
	for k := range events {
		e := &events[k]
		if visible(e.Actor, rows) && visible(e.Target, rows) {
			dst = append(dst, *e)
		}
	}
	return dst
}

// visible reports whether entity id (0 names none) is in rows.
func visible(id uint32, rows *wire.Rows) bool {
	if id == 0 {
		return true
	}
	_, ok := rows.Find(id)
	return ok
}
