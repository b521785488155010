package game

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Errors of Room.Join.
var (
	// ErrRoomFull means every seat is taken.
	ErrRoomFull = errors.New("room is full")
	// ErrRoomClosed means the room has ended or is ending.
	ErrRoomClosed = errors.New("room is closed")
	// ErrJoinRefused wraps the error with which the Game refused a seat.
	ErrJoinRefused = errors.New("join refused")
	// ErrSeatGone means Resume found the seat released (or its room ended).
	ErrSeatGone = errors.New("seat is gone")
)

// Room runs one Game: a single goroutine (Run) owns the game and all of the
// room's state, steps it at a fixed rate, applies the inputs its seats
// queued and offers every player snapshot frames. Other goroutines change a
// room only through Join, Leave, Disconnect, Resume, Close and the admin
// methods (Kick, CloseWithResults, Debug, Spectate, and Exec for its
// Recorder's owner), Drain, and read it through Stats, Phase, Inspect and
// State. Close, CloseWithResults and Drain signal its goroutine, Stats and
// Phase read what it publishes, and the others queue a function for it
// (calls.go).
// Players feed it through their InputPorts.
type Room struct {
	cfg       RoomConfig
	game      Game
	interval  uint32 // ticks between snapshots
	countdown uint32 // cfg.Countdown in ticks

	calls   chan func()   // run by Run between ticks
	closing chan struct{} // closed by Close
	reason  pb.CloseReason
	// closeMessage and withResults are set with reason, by
	// CloseWithResults; like reason, read them only after closing.
	closeMessage string
	withResults  bool
	once         sync.Once
	done         chan struct{} // closed when Run returns
	started      atomic.Bool

	stats roomStats

	// Owned by the Run goroutine.
	tick        uint32
	nextPlayer  PlayerID
	seats       []*Seat
	layout      *wire.Layout // the rows of cfg.Schema
	inputRules  inputRules   // what the seats check inputs against
	slowTicks   uint32       // cfg.SlowConsumerAfter in ticks, 0 = never
	schemaProto *pb.Schema   // cfg.Schema as sent in Joined, shared
	history     *history
	views       viewBuilder
	pending     []wire.Event // events since the last snapshot
	entities    int          // entities in the last snapshot\'s largest view
	frame       []byte       // the snapshot frame being offered, reused: links copy it
	clock       tickClock    // the server time of snapshot ticks
	inputs      []Input      // scratch for draining a seat's queue
	phase       pb.RoomPhase
	phaseTick   uint32        // the tick the phase began
	startTick   uint32        // in COUNTDOWN: the first tick of the match
	connected   int           // seats with a link
	emptySince  time.Duration // clock reading when the last seat went
	disposal    string        // why Run ended, for tickwire_rooms_disposed_total
	rec         Recorder      // cfg.Recorder: told of every call into the game
	spectators  []*spectator
	specBytes   uint64        // snapshot frame bytes offered to spectators
	tickTimes   tickWindow    // the latest tick durations, for Inspect
	byteRate    rateWindow    // snapshot bytes offered, sampled each second
	lastSample  time.Duration // clock reading of the last rate sample
	talk        roomTalk      // game messages, chat and notices (talk_room.go)

	// calling names the Game call in progress (CallStep, ...), "" outside
	// one: Run's recover labels a panic with it. Run goroutine only.
	calling string
	// drained is set with reason by Drain; read it only after closing.
	drained bool
	// matchStarted and matchStart say whether and at which tick the match
	// began; reported that OnEnd has been called. Run goroutine only.
	matchStarted bool
	matchStart   uint32
	reported     bool
}

// NewRoom validates cfg and returns a room for g; Run starts it.
func NewRoom(cfg RoomConfig, g Game) (*Room, error) {
	if g == nil {
		return nil, errors.New("new room: nil game")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("new room: %w", err)
	}
	interval := snapshotInterval(cfg.TickHz, cfg.SnapshotHz)
	r := &Room{
		cfg:         cfg,
		game:        g,
		interval:    interval,
		countdown:   durationTicks(cfg.Countdown, cfg.TickHz),
		calls:       make(chan func(), callQueueSize),
		closing:     make(chan struct{}),
		done:        make(chan struct{}),
		nextPlayer:  1,
		layout:      wire.NewLayout(cfg.Schema),
		inputRules:  inputRules{fields: cfg.Schema.Input, maxBatch: cfg.MaxBatchInputs, maxJump: cfg.MaxSeqJump},
		schemaProto: cfg.Schema.Proto(),
		history:     newHistory(historySize(cfg.TickHz, interval)),
		clock:       tickClock{tickHz: int64(cfg.TickHz)},
		phase:       pb.RoomPhase_ROOM_PHASE_WAITING,
		tickTimes:   newTickWindow(tickWindowSeconds * cfg.TickHz),
	}
	if cfg.SlowConsumerAfter > 0 {
		r.slowTicks = max(1, durationTicks(cfg.SlowConsumerAfter, cfg.TickHz))
	}
	// The test hook: the shared encoding carries the wrong checksum, so
	// every seat of that tick gets it.
	r.history.testCorruptChecksum = cfg.TestCorruptChecksum
	r.stats.phase.Store(int32(r.phase))
	r.talk = newRoomTalk(cfg, g)
	r.rec = cfg.Recorder
	r.rec.Open(r, cfg)
	return r, nil
}

// ID returns the room's id.
func (r *Room) ID() string { return r.cfg.ID }

// Mode returns the room's game mode name.
func (r *Room) Mode() string { return r.cfg.Mode }

// Schema returns the room's state schema.
func (r *Room) Schema() *wire.Schema { return r.cfg.Schema }

// MaxPlayers returns the number of seats.
func (r *Room) MaxPlayers() int { return r.cfg.MaxPlayers }

// SnapshotInterval returns the number of ticks between snapshots.
func (r *Room) SnapshotInterval() int { return int(r.interval) }

// Done returns a channel closed when Run has returned.
func (r *Room) Done() <-chan struct{} { return r.done }

// Join seats a player whose connection is link and returns the port the
// connection's reader feeds the seat through (InputPort.Seat is the seat).
// It waits for the room goroutine, which sends link a Joined message before
// any snapshot. It returns ErrRoomFull, ErrRoomClosed, an error wrapping
// ErrJoinRefused and the game's own error, or ctx's error; once the room
// has seated the player, the port is returned even if ctx ended meanwhile.
func (r *Room) Join(ctx context.Context, name string, link PlayerLink) (*InputPort, error) {
	if link == nil {
		return nil, errors.New("join: nil link")
	}
	port, err := do(ctx, r, "join", func() (*InputPort, error) { return r.join(name, link) })
	if errors.Is(err, ErrRoomClosed) {
		// Sessions show a join error's text to the player as is.
		return nil, ErrRoomClosed
	}
	return port, err
}

// Leave gives up seat: its port is retired at once (its inputs are
// dropped and its link gets nothing more), and the room releases the seat
// and calls Game.Leave. Leave returns once the request is queued (at once
// when the room has ended) and is a no-op for a seat already left or of
// another room.
func (r *Room) Leave(seat *Seat) {
	if seat == nil || seat.roomID != r.cfg.ID {
		return
	}
	if p := seat.port.Load(); p != nil {
		p.retire(portLeft)
	}
	r.enqueue(func() { r.leave(seat) })
}

// Close ends the room: its goroutine sends every player Left with reason and
// Run returns nil. Close never blocks; only the first call of Close,
// CloseWithResults or Drain counts.
func (r *Room) Close(reason pb.CloseReason) {
	r.once.Do(func() {
		r.reason = reason
		close(r.closing)
	})
}

// roomStats holds what Stats reports, written by the room goroutine.
type roomStats struct {
	tick          atomic.Uint32
	players       atomic.Int32
	overruns      atomic.Uint64
	skipped       atomic.Uint64
	lastTick      atomic.Int64 // ns
	maxTick       atomic.Int64 // ns
	snapshotBytes atomic.Uint64
	snapshotsSent atomic.Uint64
	phase         atomic.Int32 // pb.RoomPhase
	connected     atomic.Int32
}

// RoomStats is a point-in-time view of a room, safe to read from any
// goroutine.
type RoomStats struct {
	// Tick is the last simulated tick.
	Tick uint32
	// Players is the number of seated players, connected or held.
	Players int
	// Connected is the number of players with a live link; the rest are
	// held for a reconnection.
	Connected int
	// Phase is the room's lifecycle phase.
	Phase pb.RoomPhase
	// Overruns counts the times the room skipped ticks to catch up.
	Overruns uint64
	// SkippedTicks counts the ticks skipped.
	SkippedTicks uint64
	// LastTickDuration and MaxTickDuration are the work time of the last
	// tick and of the longest one.
	LastTickDuration, MaxTickDuration time.Duration
	// SnapshotBytes and SnapshotsSent count the snapshot frames offered to
	// players.
	SnapshotBytes, SnapshotsSent uint64
}

// Stats returns the room's current statistics.
func (r *Room) Stats() RoomStats {
	s := &r.stats
	return RoomStats{
		Tick:             s.tick.Load(),
		Players:          int(s.players.Load()),
		Connected:        int(s.connected.Load()),
		Phase:            pb.RoomPhase(s.phase.Load()),
		Overruns:         s.overruns.Load(),
		SkippedTicks:     s.skipped.Load(),
		LastTickDuration: time.Duration(s.lastTick.Load()),
		MaxTickDuration:  time.Duration(s.maxTick.Load()),
		SnapshotBytes:    s.snapshotBytes.Load(),
		SnapshotsSent:    s.snapshotsSent.Load(),
	}
}

// Phase returns the room's lifecycle phase; it is safe to call from any
// goroutine.
func (r *Room) Phase() pb.RoomPhase { return pb.RoomPhase(r.stats.phase.Load()) }
