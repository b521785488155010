package directory

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// MemoryStore is a directory kept in this process's memory, shared by the
// Memory directories of several nodes in one process: a cluster without
// Redis, for tests and for embedding many lobbies in one program. It keeps
// the contract of Redis (the same placements, reservations and updates)
// with no TTLs: a node is alive from Start to Close.
type MemoryStore struct {
	mu       sync.Mutex
	nodes    map[string]*Memory
	rooms    map[string]*memRoom
	codes    map[string]string
	sessions map[string]SessionSeat
	// claims are the node holding each session's live connection.
	claims map[string]string
	// holders are each holder's latest reservation, as Redis keeps them.
	holders map[string]heldReservation
	seq     uint64
	// ReservationTTL is how long a reservation holds its seat (10 s).
	ReservationTTL time.Duration
}

// heldReservation is a holder's latest reservation: room, id and expiry.
type heldReservation struct {
	room, id string
	expires  time.Time
}

// maxIdleHolders is how many holders the store remembers before it forgets
// those whose reservation has lapsed.
const maxIdleHolders = 1024

type memRoom struct {
	Room
	seated int
	resv   map[string]time.Time
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{nodes: make(map[string]*Memory), rooms: make(map[string]*memRoom),
		codes: make(map[string]string), sessions: make(map[string]SessionSeat), holders: make(map[string]heldReservation),
		claims:         make(map[string]string),
		ReservationTTL: 10 * time.Second}
}

// Memory is one node's Directory on a MemoryStore.
type Memory struct {
	st *MemoryStore

	// Guarded by st.mu.
	self    Node
	hooks   Hooks
	started bool

	events chan func()
	wg     sync.WaitGroup
}

// Node returns a directory for one node of the store's cluster.
func (st *MemoryStore) Node() *Memory { return &Memory{st: st, events: make(chan func(), writeQueue)} }

// Start registers the node and delivers the other nodes' updates and
// session claims to hooks, on a goroutine of its own, until Close.
func (m *Memory) Start(_ context.Context, self Node, hooks Hooks) error {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	if m.started {
		return errors.New("directory already started")
	}
	if _, taken := m.st.nodes[self.ID]; taken {
		return fmt.Errorf("%w: %s", ErrNodeTaken, self.ID)
	}
	m.self, m.hooks, m.started = self, hooks, true
	m.st.nodes[self.ID] = m
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		for f := range m.events {
			f()
		}
	}()
	return nil
}

// Close takes the node and its rooms out of the store.
func (m *Memory) Close(context.Context) error {
	m.st.mu.Lock()
	if !m.started {
		m.st.mu.Unlock()
		return nil
	}
	m.started = false
	delete(m.st.nodes, m.self.ID)
	for id, r := range m.st.rooms {
		if r.Node == m.self.ID {
			m.st.closeLocked(id)
		}
	}
	close(m.events)
	m.st.mu.Unlock()
	m.wg.Wait()
	return nil
}

// Self returns this node.
func (m *Memory) Self() Node {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	return m.self
}

// SetDraining marks this node as taking no new rooms.
func (m *Memory) SetDraining(draining bool) {
	m.st.mu.Lock()
	m.self.Draining = draining
	m.st.mu.Unlock()
}

// usedLocked counts a room's seats taken and reserved; st.mu is held.
func (st *MemoryStore) usedLocked(r *memRoom, now time.Time) int {
	for id, exp := range r.resv {
		if !now.Before(exp) {
			delete(r.resv, id)
		}
	}
	return r.seated + len(r.resv)
}

// releaseLocked takes holder's earlier reservation out of its room, as
// the Redis scripts' release does, before a new placement counts seats;
// st.mu is held.
func (st *MemoryStore) releaseLocked(holder string) {
	prev, ok := st.holders[holder]
	if holder == "" || !ok {
		return
	}
	if pr := st.rooms[prev.room]; pr != nil {
		delete(pr.resv, prev.id)
	}
	delete(st.holders, holder)
}

// takeLocked takes a seat of r for holder's player on node self (after
// releaseLocked); st.mu is held.
func (st *MemoryStore) takeLocked(r *memRoom, self, holder string, now time.Time) string {
	if r.Node == self {
		r.seated++
		return ""
	}
	id := newID(12)
	expires := now.Add(st.ReservationTTL)
	r.resv[id] = expires
	if holder != "" {
		if len(st.holders) >= maxIdleHolders {
			for h, hr := range st.holders {
				if !now.Before(hr.expires) {
					delete(st.holders, h)
				}
			}
		}
		st.holders[holder] = heldReservation{room: r.ID, id: id, expires: expires}
	}
	return id
}

// placementLocked describes a seat taken in r; st.mu is held.
func (st *MemoryStore) placementLocked(r *memRoom, resv string, opened bool) Placement {
	return Placement{Room: r.Room, NodeURL: st.nodes[r.Node].self.URL, Reservation: resv, Opened: opened}
}

// QuickPlay reserves a seat as Redis.QuickPlay does.
func (m *Memory) QuickPlay(_ context.Context, mode, holder string, newRoom Room) (Placement, error) {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	st.releaseLocked(holder)
	now := time.Now()
	for _, r := range st.orderLocked() {
		n := st.nodes[r.Node]
		if r.Mode == mode && !r.Private && !r.Custom && n != nil && !n.self.Draining && r.Phase != "ended" && st.usedLocked(r, now) < r.MaxPlayers {
			p := st.placementLocked(r, st.takeLocked(r, m.self.ID, holder, now), false)
			m.publishLocked(UpdateChanged, r.Room)
			return p, nil
		}
	}
	var best *Memory
	bestLoad := 0
	for _, n := range st.sortedNodesLocked() {
		load, rooms := 0, 0
		for _, r := range st.rooms {
			if r.Node == n.self.ID {
				load += st.usedLocked(r, now)
				rooms++
			}
		}
		if n.self.Draining || (n.self.MaxRooms > 0 && rooms >= n.self.MaxRooms) {
			continue
		}
		if best == nil || load < bestLoad || (load == bestLoad && n == m) {
			best, bestLoad = n, load
		}
	}
	if best == nil {
		return Placement{}, ErrNoNode
	}
	if _, taken := st.codes[newRoom.Code]; taken {
		return Placement{}, ErrCodeTaken
	}
	st.seq++
	r := &memRoom{Room: newRoom, resv: make(map[string]time.Time)}
	r.Node, r.Mode, r.Phase, r.Created, r.Seq = best.self.ID, mode, "waiting", now.UnixMilli(), st.seq
	st.rooms[r.ID], st.codes[r.Code] = r, r.ID
	p := st.placementLocked(r, st.takeLocked(r, m.self.ID, holder, now), true)
	m.publishLocked(UpdateCreated, r.Room)
	return p, nil
}

// Reserve reserves a seat in room id, or the room of join code.
func (m *Memory) Reserve(_ context.Context, id, code, holder string) (Placement, error) {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	st.releaseLocked(holder)
	byCode := id == ""
	if byCode {
		id = st.codes[strings.ToUpper(code)]
	}
	r := st.rooms[id]
	if r == nil || r.Phase == "ended" || (r.Private && !byCode) || st.nodes[r.Node] == nil {
		return Placement{}, ErrNoRoom
	}
	now := time.Now()
	if st.usedLocked(r, now) >= r.MaxPlayers {
		return Placement{}, ErrFull
	}
	p := st.placementLocked(r, st.takeLocked(r, m.self.ID, holder, now), false)
	m.publishLocked(UpdateChanged, r.Room)
	return p, nil
}

// Honour takes the seat a reservation holds in room id of this node.
func (m *Memory) Honour(_ context.Context, id, reservation string) error {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	r := st.rooms[id]
	if r == nil || r.Node != m.self.ID {
		return ErrNoRoom
	}
	st.usedLocked(r, time.Now())
	if _, ok := r.resv[reservation]; !ok {
		return ErrReservation
	}
	delete(r.resv, reservation)
	r.seated++
	return nil
}

// Register records a room of this node as it is now.
func (m *Memory) Register(_ context.Context, room Room) error {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if holder, ok := st.codes[room.Code]; ok && holder != room.ID {
		return ErrCodeTaken
	}
	room.Node = m.self.ID
	if room.Created == 0 {
		room.Created = time.Now().UnixMilli()
	}
	r := st.rooms[room.ID]
	if r == nil {
		st.seq++
		room.Seq = st.seq
		r = &memRoom{resv: make(map[string]time.Time)}
		st.rooms[room.ID] = r
	} else {
		room.Seq = r.Seq
	}
	r.Room, r.seated = room, room.Players
	st.codes[room.Code] = room.ID
	m.publishLocked(UpdateCreated, r.Room)
	return nil
}

// Room returns room id, if the store has it.
func (m *Memory) Room(_ context.Context, id string) (Room, bool, error) {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	r := st.rooms[id]
	if r == nil {
		return Room{}, false, nil
	}
	out := r.Room
	out.Players = st.usedLocked(r, time.Now())
	return out, true, nil
}

// SetPhase records a room's new phase.
func (m *Memory) SetPhase(id, phase string) {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	if r := m.st.rooms[id]; r != nil && r.Phase != "ended" {
		r.Phase = phase
		m.publishLocked(UpdateChanged, r.Room)
	}
}

// SeatFreed gives back one seat of a room of this node.
func (m *Memory) SeatFreed(id string) {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	if r := m.st.rooms[id]; r != nil && r.seated > 0 {
		r.seated--
		m.publishLocked(UpdateChanged, r.Room)
	}
}

// Closed takes a room of this node out of the store.
func (m *Memory) Closed(id string) {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	if r := m.st.rooms[id]; r != nil {
		room := r.Room
		m.st.closeLocked(id)
		room.Phase = "ended"
		m.publishLocked(UpdateClosed, room)
	}
}

func (st *MemoryStore) closeLocked(id string) {
	r := st.rooms[id]
	delete(st.rooms, id)
	if st.codes[r.Code] == id {
		delete(st.codes, r.Code)
	}
}

// Rooms returns the rooms of live nodes in cluster order.
func (m *Memory) Rooms(context.Context) ([]Room, error) {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	now := time.Now()
	var out []Room
	for _, r := range st.orderLocked() {
		room := r.Room
		room.Players = st.usedLocked(r, now)
		out = append(out, room)
	}
	return out, nil
}

// orderLocked returns the rooms of live nodes by seq; st.mu is held.
func (st *MemoryStore) orderLocked() []*memRoom {
	out := make([]*memRoom, 0, len(st.rooms))
	for _, r := range st.rooms {
		if st.nodes[r.Node] != nil {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

func (st *MemoryStore) sortedNodesLocked() []*Memory {
	out := make([]*Memory, 0, len(st.nodes))
	for _, n := range st.nodes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].self.ID < out[j].self.ID })
	return out
}

// Nodes returns the live nodes, sorted by id.
func (m *Memory) Nodes(context.Context) ([]Node, error) {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []Node
	for _, n := range st.sortedNodesLocked() {
		node := n.self
		node.Players, node.Rooms = 0, 0
		for _, r := range st.rooms {
			if r.Node == node.ID {
				node.Players += st.usedLocked(r, time.Now())
				node.Rooms++
			}
		}
		out = append(out, node)
	}
	return out, nil
}

// ClaimSession makes this node the holder of the session's connection.
func (m *Memory) ClaimSession(_ context.Context, sessionID string) error {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	st.claims[sessionID] = m.self.ID
	for _, n := range st.nodes {
		if n != m && n.hooks.SessionClaimed != nil {
			fn := n.hooks.SessionClaimed
			n.deliverLocked(func() { fn(sessionID) })
		}
	}
	return nil
}

// Seat returns where the session's seat was last taken.
func (m *Memory) Seat(_ context.Context, sessionID string) (SessionSeat, error) {
	st := m.st
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.sessions[sessionID]
	if s.Room == "" {
		return s, nil
	}
	if n := st.nodes[s.Node]; n != nil {
		s.NodeURL = n.self.URL
		_, s.Alive = st.rooms[s.Room]
	}
	return s, nil
}

// SetSeat records the session's seat in room id of this node ("" none).
func (m *Memory) SetSeat(sessionID, id string) {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	if id == "" {
		delete(m.st.sessions, sessionID)
		return
	}
	m.st.sessions[sessionID] = SessionSeat{Room: id, Node: m.self.ID}
}

// EndSession forgets the session unless another node claimed it since.
// With keep above 0 it keeps the session: the in-memory store has no
// expiry, and the held seat's end calls again with 0.
func (m *Memory) EndSession(sessionID string, keep time.Duration) {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	if c := m.st.claims[sessionID]; keep <= 0 && (c == "" || c == m.self.ID) {
		delete(m.st.sessions, sessionID)
		delete(m.st.claims, sessionID)
	}
}

// publishLocked hands an update to every other node; st.mu is held.
func (m *Memory) publishLocked(kind string, room Room) {
	for _, n := range m.st.nodes {
		if n.self.ID != room.Node && n.hooks.Update != nil {
			fn, u := n.hooks.Update, Update{Kind: kind, Room: room}
			n.deliverLocked(func() { fn(u) })
		}
	}
}

// deliverLocked queues f for n's delivery goroutine without blocking; a
// full queue drops it, counted, as a lost pub/sub message would be.
func (n *Memory) deliverLocked(f func()) {
	select {
	case n.events <- f:
	default:
		writesDropped.WithLabelValues("queue_full").Inc()
	}
}
