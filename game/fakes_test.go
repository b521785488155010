package game

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// errNoBots is what fakeGame refuses the name "bot" with.
var errNoBots = errors.New("no bots allowed")

// appliedInput is one ApplyInput call seen by fakeGame.
type appliedInput struct {
	player PlayerID
	in     Input
}

// fakeSchema is fakeGame's schema: players with x, aim and owner; inputs
// of aim and a move axis in -127..127.
var fakeSchema = &wire.Schema{
	Entities: []wire.EntityKind{{Kind: 1, Name: "player", Fields: []wire.Field{
		{Name: "x", Type: wire.TypeInt, Interp: wire.InterpLinear},
		{Name: "aim", Type: wire.TypeAngle, Scale: 4096, Interp: wire.InterpAngle},
		{Name: "owner", Type: wire.TypeUint, Role: wire.RoleOwner},
	}}},
	Input: []wire.Field{
		{Name: "aim", Type: wire.TypeAngle, Scale: 4096},
		{Name: "move", Type: wire.TypeInt, Min: -127, Max: 127},
	},
	Events:  []wire.EventKind{{Kind: 1, Name: "ping", Values: []wire.Field{{Name: "n", Type: wire.TypeInt}}}},
	Results: []wire.Field{{Name: "steps", Type: wire.TypeUint}},
}

// fakeLayout is the row layout of fakeSchema.
var fakeLayout = wire.NewLayout(fakeSchema)

// Fields of a fakeGame player row, after the kind.
const (
	fakeX = iota
	fakeAim
	fakeOwner
)

// fakeEntity is one fakeGame player's entity.
type fakeEntity struct {
	id     uint32
	x, aim int32
	owner  int32
}

// fakeGame is a Game whose players' entities (id 100+player) move one grid
// unit in x per Step; it records every call. Only the room goroutine calls
// it, but tests read it after Run ends, so a mutex keeps -race quiet.
type fakeGame struct {
	mu      sync.Mutex
	players map[PlayerID]*fakeEntity
	applied []appliedInput
	left    []PlayerID
	steps   []uint32
	events  []wire.Event
	// endAt ends the match after the Step of this tick (0 = never).
	endAt atomic.Uint32
	// panicAt panics in the Step of this tick (0 = never).
	panicAt uint32
	ended   bool
	// starts, disconnected and reconnected record the lifecycle hooks.
	starts       []uint32
	disconnected []PlayerID
	reconnected  []PlayerID
}

func newFakeGame() *fakeGame {
	return &fakeGame{players: make(map[PlayerID]*fakeEntity)}
}

func (g *fakeGame) Join(p PlayerID, name string) (uint32, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if name == "bot" {
		return 0, errNoBots
	}
	e := &fakeEntity{id: 100 + uint32(p), owner: int32(p)}
	g.players[p] = e
	return e.id, nil
}

func (g *fakeGame) Leave(p PlayerID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.players, p)
	g.left = append(g.left, p)
}

func (g *fakeGame) ApplyInput(p PlayerID, in Input) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.applied = append(g.applied, appliedInput{p, in})
	if e := g.players[p]; e != nil {
		e.aim = in.Values[0]
	}
}

func (g *fakeGame) Step(tick uint32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if tick == g.panicAt {
		panic("fake game exploded")
	}
	g.steps = append(g.steps, tick)
	for _, e := range g.players {
		e.x++
	}
	if end := g.endAt.Load(); end != 0 && tick >= end {
		g.ended = true
	}
}

func (g *fakeGame) View(_ PlayerID, dst *wire.Rows) {
	g.mu.Lock()
	defer g.mu.Unlock()
	// Player ids ascend with entity ids; the map is small.
	for p := PlayerID(1); p < 1000; p++ {
		if e := g.players[p]; e != nil {
			f := dst.Append(e.id, 1)
			f[fakeX], f[fakeAim], f[fakeOwner] = e.x, e.aim, e.owner
		}
	}
}

// ViewGroup puts everyone in one view group: all see everything.
func (g *fakeGame) ViewGroup(PlayerID) uint64 { return 0 }

func (g *fakeGame) DrainEvents(dst []wire.Event) []wire.Event {
	g.mu.Lock()
	defer g.mu.Unlock()
	dst = append(dst, g.events...)
	g.events = g.events[:0]
	return dst
}

func (g *fakeGame) Results() ([]PlayerResult, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.ended {
		return nil, false
	}
	var out []PlayerResult
	for p := PlayerID(1); p < 1000; p++ {
		if e := g.players[p]; e != nil {
			out = append(out, PlayerResult{Player: p, EntityID: e.id, Score: int32(p), Values: []int32{int32(len(g.steps))}})
		}
	}
	return out, true
}

func (g *fakeGame) StartMatch(tick uint32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.starts = append(g.starts, tick)
}

func (g *fakeGame) Disconnected(p PlayerID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.disconnected = append(g.disconnected, p)
}

func (g *fakeGame) Reconnected(p PlayerID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.reconnected = append(g.reconnected, p)
}

// hooks returns copies of what the lifecycle hooks recorded.
func (g *fakeGame) hooks() (starts []uint32, disconnected, reconnected []PlayerID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.starts), slices.Clone(g.disconnected), slices.Clone(g.reconnected)
}

// emit queues an event for the next DrainEvents.
func (g *fakeGame) emit(e wire.Event) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.events = append(g.events, e)
}

// appliedSeqs returns the seqs applied for player p, in call order.
func (g *fakeGame) appliedSeqs(p PlayerID) []uint32 {
	g.mu.Lock()
	defer g.mu.Unlock()
	var seqs []uint32
	for _, a := range g.applied {
		if a.player == p {
			seqs = append(seqs, a.in.Seq)
		}
	}
	return seqs
}

// linkEvent is one call a fakeLink received: a reliable message or a
// snapshot frame (decoded, with its raw bytes).
type linkEvent struct {
	msg   *pb.ServerMessage
	frame []byte
}

// fakeLink is a PlayerLink that decodes and records everything it gets.
type fakeLink struct {
	t      testing.TB
	mu     sync.Mutex
	events []linkEvent
	// closed records Close calls.
	closed []linkClose
	// refuse makes Send report an overflow.
	refuse bool
}

// linkClose is one Close call a fakeLink received.
type linkClose struct {
	reason  pb.CloseReason
	message string
}

func newFakeLink(t testing.TB) *fakeLink { return &fakeLink{t: t} }

func (l *fakeLink) OfferSnapshot(frame []byte) {
	var msg pb.ServerMessage
	if err := proto.Unmarshal(frame, &msg); err != nil {
		l.t.Errorf("snapshot frame does not decode: %v", err)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	// The room reuses frame (Link.OfferSnapshot): keep a copy.
	l.events = append(l.events, linkEvent{msg: &msg, frame: slices.Clone(frame)})
}

func (l *fakeLink) Send(msg *pb.ServerMessage) bool {
	// Marshal as netcode.Conn does, so a message the wire cannot carry fails.
	b, err := proto.Marshal(msg)
	if err != nil {
		l.t.Errorf("reliable message does not marshal: %v", err)
		return false
	}
	var copied pb.ServerMessage
	if err := proto.Unmarshal(b, &copied); err != nil {
		l.t.Errorf("reliable message does not decode: %v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, linkEvent{msg: &copied})
	return !l.refuse
}

func (l *fakeLink) Close(reason pb.CloseReason, message string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = append(l.closed, linkClose{reason, message})
}

// closes returns a copy of the recorded Close calls.
func (l *fakeLink) closes() []linkClose {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.closed)
}

// all returns a copy of the recorded events.
func (l *fakeLink) all() []linkEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]linkEvent(nil), l.events...)
}

// snapshots returns the recorded snapshots.
func (l *fakeLink) snapshots() []*pb.Snapshot {
	return received(l, (*pb.ServerMessage).GetSnapshot)
}

// received returns, in order, the messages of one kind that l received:
// get picks the kind out of a ServerMessage (nil for the others).
func received[T any](l *fakeLink, get func(*pb.ServerMessage) *T) []*T {
	var out []*T
	for _, e := range l.all() {
		if m := get(e.msg); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// lastSnapshot returns the newest recorded snapshot, or fails the test.
func (l *fakeLink) lastSnapshot(t *testing.T) (*pb.Snapshot, []byte) {
	t.Helper()
	ev := l.all()
	for k := len(ev) - 1; k >= 0; k-- {
		if s := ev[k].msg.GetSnapshot(); s != nil {
			return s, ev[k].frame
		}
	}
	t.Fatal("no snapshot received")
	return nil, nil
}

// waitFor polls cond until it holds; the deadline only guards against a
// hang, it is never what a test asserts.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// testConfig returns a valid config for tests driving the room directly.
func testConfig() RoomConfig {
	return RoomConfig{ID: "r1", Mode: "fake", Schema: fakeSchema, TickHz: 60, SnapshotHz: 20, MaxPlayers: 4, Clock: NewManualClock(0)}
}

// newTestRoom returns a room for direct, single-goroutine tests (no Run).
func newTestRoom(t *testing.T, cfg RoomConfig) (*Room, *fakeGame) {
	t.Helper()
	g := newFakeGame()
	r, err := NewRoom(cfg, g)
	if err != nil {
		t.Fatal(err)
	}
	return r, g
}

// mustJoin seats a player directly on the test goroutine and returns its
// connection's port.
func mustJoin(t *testing.T, r *Room, name string) (*InputPort, *fakeLink) {
	t.Helper()
	link := newFakeLink(t)
	s, err := r.join(name, link)
	if err != nil {
		t.Fatalf("join %s: %v", name, err)
	}
	return s, link
}

// steps runs n ticks directly.
func steps(t *testing.T, r *Room, n int) {
	t.Helper()
	for range n {
		if r.step() {
			t.Fatalf("match ended at tick %d", r.tick)
		}
	}
}

// inputs builds pb inputs with the given seqs.
func inputs(seqs ...uint32) []*pb.Input {
	out := make([]*pb.Input, 0, len(seqs))
	for _, s := range seqs {
		out = append(out, &pb.Input{Seq: s})
	}
	return out
}

// changeLog records what a room reports to RoomConfig.OnChange.
type changeLog struct {
	mu      sync.Mutex
	changes []RoomChange
}

func (c *changeLog) record(ch RoomChange) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.changes = append(c.changes, ch)
}

// all returns a copy of the recorded changes.
func (c *changeLog) all() []RoomChange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.changes)
}

// last returns the newest change, or the zero value.
func (c *changeLog) last() RoomChange {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.changes) == 0 {
		return RoomChange{}
	}
	return c.changes[len(c.changes)-1]
}

// roomStates returns the RoomState messages a link received, in order.
func (l *fakeLink) roomStates() []*pb.RoomState {
	return received(l, (*pb.ServerMessage).GetRoomState)
}

// idle waits until the room, after a tick, is back waiting for its timer:
// the checks that follow a tick (the empty timeout) are done. It says
// nothing about asynchronous commands (Leave, Disconnect).
func (rr *running) idle() {
	rr.t.Helper()
	waitFor(rr.t, "room idle", func() bool { return rr.clk.Timers() == 1 })
}
