package lobby

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// Listing pages: the default and the largest number of rooms on one page
// of ListRooms, SubscribeRooms and GET /v1/rooms.
const (
	DefaultListPage = 50
	MaxListPage     = 100
)

// listCacheMaxAge bounds how stale a cached page may be when no room
// changed: only the rooms' ages (age_s) move meanwhile.
const listCacheMaxAge = time.Second

// listCacheMax bounds the pages kept; past it the cache starts afresh.
const listCacheMax = 1024

// errBadCursor is returned for a listing cursor the server did not make.
var errBadCursor = errors.New("bad listing cursor")

// infoLocked describes a room for listings; r.mu must be held.
func (r *Registry) infoLocked(e *roomEntry) *pb.RoomInfo {
	return &pb.RoomInfo{
		RoomId:     e.room.ID(),
		Mode:       e.mode,
		Phase:      e.phase,
		Players:    uint32(e.reserved),
		MaxPlayers: uint32(e.maxPlayers),
		AgeS:       uint32(time.Since(e.created) / time.Second),
		Private:    e.private,
	}
}

// Info describes one room.
func (r *Registry) Info(e *roomEntry) *pb.RoomInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.infoLocked(e)
}

// List returns every public room of mode (all modes when empty), oldest
// first, unpaginated: for the server's own use, not for clients.
func (r *Registry) List(mode string) []*pb.RoomInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*pb.RoomInfo, 0, len(r.order))
	for _, e := range r.order {
		if e.listed(mode) {
			out = append(out, r.infoLocked(e))
		}
	}
	return out
}

// listed reports whether e shows in a listing of mode ("" = every mode).
func (e *roomEntry) listed(mode string) bool {
	return !e.private && !e.ended && (mode == "" || e.mode == mode)
}

// roomPage is one page of a listing.
type roomPage struct {
	rooms []*pb.RoomInfo
	// nodes names the node of each room, in a cluster (else nil).
	nodes []string
	// lastSeq is the sequence number of the page's last room.
	lastSeq uint64
	// next is the cursor of the next page, "" on the last.
	next  string
	total int
}

// listKey names one encoded page in the cache.
type listKey struct {
	http   bool // the JSON of GET /v1/rooms, else a RoomList frame
	mode   string
	cursor uint64
	limit  int
}

// listCache keeps encoded listing pages until the room set changes (any
// room opened, closed, or its players or phase changed: Registry.version)
// or they are listCacheMaxAge old, so that a listing costs an encoding
// per change, not per request.
type listCache struct {
	mu      sync.Mutex
	version uint64
	pages   map[listKey]cachedPage
}

type cachedPage struct {
	at   time.Time
	body []byte
}

// parseListRequest checks a listing's cursor and page size: an empty
// cursor is the first page, a limit of 0 the default, and a limit above
// MaxListPage is lowered to it.
func parseListRequest(cursor string, limit uint32) (uint64, int, error) {
	var after uint64
	if cursor != "" {
		var err error
		if after, err = strconv.ParseUint(cursor, 10, 64); err != nil {
			return 0, 0, fmt.Errorf("%w %q", errBadCursor, cursor)
		}
	}
	n := int(min(limit, MaxListPage))
	if n == 0 {
		n = DefaultListPage
	}
	return after, n, nil
}

// page returns the listing page of key, encoded by encode: from the cache
// when nothing changed since it was encoded. A mode the server does not
// play lists no rooms and is not cached, so made-up modes cannot fill the
// cache.
func (r *Registry) page(key listKey, encode func(roomPage) ([]byte, error)) ([]byte, error) {
	if _, ok := r.modes.Lookup(key.mode); key.mode != "" && !ok {
		return encode(roomPage{})
	}
	if p, ok := r.cluster.page(r, key); ok {
		return encode(p)
	}
	now := time.Now()
	c := &r.listings
	r.mu.Lock()
	version := r.version
	r.mu.Unlock()
	c.mu.Lock()
	if c.version != version {
		c.version = version
		clear(c.pages)
	}
	if p, ok := c.pages[key]; ok && now.Sub(p.at) < listCacheMaxAge {
		c.mu.Unlock()
		listingsServed.WithLabelValues("cache").Inc()
		return p.body, nil
	}
	c.mu.Unlock()

	r.mu.Lock()
	version = r.version
	p := r.pageLocked(key.mode, key.cursor, key.limit)
	r.mu.Unlock()
	body, err := encode(p)
	if err != nil {
		return nil, err
	}
	listingsServed.WithLabelValues("encoded").Inc()
	c.mu.Lock()
	if c.version == version {
		if len(c.pages) >= listCacheMax {
			clear(c.pages)
		}
		c.pages[key] = cachedPage{at: now, body: body}
	}
	c.mu.Unlock()
	return body, nil
}

// pageLocked returns up to limit public rooms of mode opened after the
// room of sequence number after, oldest first; r.mu must be held.
func (r *Registry) pageLocked(mode string, after uint64, limit int) roomPage {
	var p roomPage
	for _, e := range r.order {
		if e.listed(mode) {
			p.total++
		}
	}
	// r.order is in opening order, so sequence numbers grow along it.
	i := sort.Search(len(r.order), func(i int) bool { return r.order[i].seq > after })
	var last uint64
	for ; i < len(r.order); i++ {
		e := r.order[i]
		if !e.listed(mode) {
			continue
		}
		if len(p.rooms) == limit {
			p.next = strconv.FormatUint(last, 10)
			break
		}
		p.rooms = append(p.rooms, r.infoLocked(e))
		last = e.seq
	}
	return p
}

// encodeRoomList encodes a page as a RoomList frame.
func encodeRoomList(p roomPage) ([]byte, error) {
	return proto.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_RoomList{RoomList: &pb.RoomList{
		Rooms: p.rooms, NextCursor: p.next, Total: uint32(p.total),
	}}})
}

// list answers ListRooms, or SubscribeRooms (subscribe set) with the first
// page, within the session's listing budget; a returned error closes the
// connection (see session.refused).
func (s *session) list(mode, cursor string, limit uint32, subscribe bool) error {
	if refusal := s.server.lists.allow(s.addr, s.id, time.Now()); refusal != "" {
		return s.refuseBudget(s.server.lists, refusal)
	}
	after, n, err := parseListRequest(cursor, limit)
	if err != nil {
		requestsRefused.WithLabelValues("bad_cursor").Inc()
		s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_BAD_REQUEST, err.Error()))
		return s.refused()
	}
	if subscribe {
		s.server.registry.Subscribe(s, mode)
	}
	frame, err := s.server.registry.page(listKey{mode: mode, cursor: after, limit: n}, encodeRoomList)
	if err != nil {
		s.server.log.Error("cannot encode a room list", "err", err)
		return nil
	}
	s.conn.SendFrame(frame)
	return nil
}

// Subscribe sends the session a RoomUpdate for every later change to the
// public rooms of mode, until Unsubscribe.
func (r *Registry) Subscribe(s *session, mode string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs[s] = mode
}

// Unsubscribe ends a session's RoomUpdate stream.
func (r *Registry) Unsubscribe(s *session) {
	r.mu.Lock()
	delete(r.subs, s)
	r.mu.Unlock()
}

// publish queues a room change for the notifier; it never blocks, so rooms
// may call it from their goroutine.
func (r *Registry) publish(u roomUpdate) {
	select {
	case r.updates <- u:
	default:
		roomUpdatesDropped.Inc()
	}
}

// notify is the notifier goroutine: it records phases and tells
// subscribers about changes until the registry's context ends.
func (r *Registry) notify() {
	defer r.notifier.Done()
	for {
		select {
		case <-r.ctx.Done():
			return
		case u := <-r.updates:
			r.deliver(u)
		}
	}
}

// deliver applies one change and sends it to the subscribers of its mode,
// encoded once for all of them. Sends never block: a subscriber that
// cannot keep up is closed by its connection as a slow consumer.
func (r *Registry) deliver(u roomUpdate) {
	e, kind := u.entry, u.kind
	r.mu.Lock()
	if u.hasPhase {
		if e.phase == u.phase {
			r.mu.Unlock()
			return
		}
		e.phase = u.phase
		r.version++
		r.cluster.phase(e)
	}
	if e.private || e.room == nil || len(r.subs) == 0 {
		r.mu.Unlock()
		return
	}
	info := r.infoLocked(e)
	targets := make([]*session, 0, len(r.subs))
	for s, mode := range r.subs {
		if mode == "" || mode == e.mode {
			targets = append(targets, s)
		}
	}
	r.mu.Unlock()
	if len(targets) == 0 {
		return
	}
	r.sendUpdate(targets, &pb.RoomUpdate{Kind: kind, Room: info})
}

// sendUpdate sends one room update to targets, encoded once.
func (r *Registry) sendUpdate(targets []*session, u *pb.RoomUpdate) {
	frame, err := proto.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_RoomUpdate{RoomUpdate: u}})
	if err != nil {
		r.log.Error("cannot encode a room update", "err", err)
		return
	}
	for _, s := range targets {
		s.conn.SendFrame(frame)
	}
	roomUpdatesSent.Add(float64(len(targets)))
}
