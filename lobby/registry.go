package lobby

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/record"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Errors of the registry; sessions turn them into protocol error codes.
var (
	// ErrUnknownMode is returned when a join names a game mode the server lacks.
	ErrUnknownMode = errors.New("unknown game mode")
	// ErrUnknownRoom is returned when a join names a room that does not exist.
	ErrUnknownRoom = errors.New("unknown room")
	// ErrUnknownCode is returned for a join code that matches no live room.
	ErrUnknownCode = errors.New("unknown or expired join code")
	// ErrTooManyRooms is returned when opening a room would pass MaxRooms.
	ErrTooManyRooms = errors.New("server room limit reached")
	// ErrBadRequest is returned for options out of range.
	ErrBadRequest = errors.New("bad request")
	// ErrGameRefused is returned when a mode's factory refuses to build the
	// game of a new room.
	ErrGameRefused = errors.New("the game mode refused to open a room")
	// ErrShuttingDown is returned when a join arrives while the server stops.
	ErrShuttingDown = errors.New("server is shutting down")
)

// RoomSettings are the parameters the registry gives every room it opens,
// whatever its mode. A room's rates and sizes (tick and snapshot rate, room
// size, min players, countdown) are its mode's game.Settings, from the
// catalogue.
type RoomSettings struct {
	// EmptyTimeout is how long a room with no seats lives on.
	EmptyTimeout time.Duration
	// MaxRooms caps the live rooms of the server (0 = no cap).
	MaxRooms int
	// MaxCustomRooms caps the live rooms opened by CreateRoom, so that
	// quick play always finds room: 0 means three quarters of MaxRooms,
	// negative no cap of its own.
	MaxCustomRooms int
	// MaxBatchInputs, MaxSeqJump and SlowConsumerAfter are every room's
	// rules for inputs and acks (game.RoomConfig; 0 means the game's
	// defaults, a negative SlowConsumerAfter never).
	MaxBatchInputs    int
	MaxSeqJump        uint32
	SlowConsumerAfter time.Duration
	// Talk are every room's budgets of chat and game messages and the
	// server's chat moderation hook (game.TalkConfig; zero fields take
	// the game's defaults).
	Talk game.TalkConfig
	// DefaultMode is the mode of a join or create that names none; empty
	// means the catalogue's only mode (NewServer refuses an empty one when
	// there are several).
	DefaultMode string
	// RecordDir, when set, makes every room record its input log and
	// checksums to RecordDir/<room>.twrec (game/record's format).
	RecordDir string
	// RecordLogBytes bounds each room's (compressed) log of its game
	// calls, which lets a recording start mid-match (0 =
	// record.DefaultLogBytes, 2 MiB; negative = keep no log: recordings
	// can then only start at a room's birth through RecordDir).
	RecordLogBytes int
	// RecordLogBudget bounds the bytes of the logs of all rooms together
	// (0 = no bound): a room whose log cannot get more drops it
	// (recordings of that room can then no longer start), and a room's
	// share returns when its log is dropped or the room ends.
	RecordLogBudget int64
	// RecordLogDir is where each room's log keeps its full chunks, in a
	// temporary file of its own removed from the directory as soon as it
	// is made (record.Options.LogDir); empty keeps the logs in memory.
	RecordLogDir string
	// OnMatchEnd, when set, is told of every room's end on that room's
	// goroutine (game.RoomConfig.OnEnd): it must not block. A
	// ResultsWriter's Record writes them to a file.
	OnMatchEnd func(game.MatchEnd)
	// TestCorruptChecksum, when set, makes rooms send a wrong checksum in
	// the snapshots of the ticks it returns true for. Tests only.
	TestCorruptChecksum func(tick uint32) bool
}

// Registry holds the live rooms, seats players in them and tells
// subscribers about changes. Joins are rare next to ticks, so a mutex
// guards it; no room's tick path takes it, and it is never held while
// waiting on a room.
type Registry struct {
	ctx      context.Context
	modes    game.Modes
	settings RoomSettings
	log      *slog.Logger
	budget   *record.Budget // of the rooms' recording logs

	mu     sync.Mutex
	rooms  map[string]*roomEntry
	codes  map[string]*roomEntry
	order  []*roomEntry // creation order, so quick play fills older rooms first
	subs   map[*session]string
	closed bool
	seed   int64
	// seq numbers the rooms in opening order, for listing cursors.
	seq uint64
	// custom counts the live rooms CreateRoom opened; maxCustom caps it
	// (0 = no cap).
	custom, maxCustom int
	// version changes whenever a listing would: a room opened or closed,
	// its players or phase changed. The listing cache keys on it.
	version uint64

	listings listCache

	// cluster is the directory shared with the other nodes, nil on a
	// single node (cluster_registry.go).
	cluster *clusterRooms

	// updates carries room changes to the notifier goroutine, so a room's
	// goroutine never takes mu nor writes to subscribers itself.
	updates  chan roomUpdate
	notifier sync.WaitGroup

	wg sync.WaitGroup // one per room goroutine
}

// roomUpdate is one change for the notifier: a kind for subscribers and,
// from the room's own callback, its new phase.
type roomUpdate struct {
	kind     pb.RoomUpdate_Kind
	entry    *roomEntry
	phase    pb.RoomPhase
	hasPhase bool
}

// updateQueue bounds the room changes waiting for the notifier; past it a
// change is dropped and counted (listings catch up on the next one).
const updateQueue = 1024

// roomEntry is the registry's record of a room, guarded by Registry.mu.
// reserved counts seats taken, held or being taken, so concurrent joins
// never overfill a room; seats holds the taken ones, each given back once.
type roomEntry struct {
	room     *game.Room
	recorder *record.Recorder
	mode     string
	code     string
	private  bool
	// custom marks a room CreateRoom opened: quick play never fills it,
	// it is joined by id or code.
	custom     bool
	seq        uint64
	maxPlayers int
	created    time.Time
	reserved   int
	seats      map[*game.Seat]struct{}
	phase      pb.RoomPhase
	ended      bool
}

// over reports whether the room takes no more players: its goroutine has
// returned, or the room has ended already. The room's own phase is read,
// since the room reports no change to ENDED, and its goroutine may still
// be flushing a recording for seconds after the end.
func (e *roomEntry) over() bool {
	return e.ended || e.room.Phase() == pb.RoomPhase_ROOM_PHASE_ENDED
}

// NewRegistry returns a registry whose rooms run until ctx ends or Shutdown.
// Its notifier goroutine ends with ctx; Wait waits for it.
func NewRegistry(ctx context.Context, modes game.Modes, settings RoomSettings, log *slog.Logger) *Registry {
	r := &Registry{
		ctx:      ctx,
		modes:    modes,
		settings: settings,
		log:      log,
		budget:   record.NewBudget(settings.RecordLogBudget),
		rooms:    make(map[string]*roomEntry),
		codes:    make(map[string]*roomEntry),
		subs:     make(map[*session]string),
		seed:     1,
		updates:  make(chan roomUpdate, updateQueue),
		listings: listCache{pages: make(map[listKey]cachedPage)},
	}
	switch {
	case settings.MaxCustomRooms > 0:
		r.maxCustom = settings.MaxCustomRooms
	case settings.MaxCustomRooms == 0 && settings.MaxRooms > 0:
		r.maxCustom = max(1, settings.MaxRooms*3/4)
	}
	r.notifier.Add(1)
	go r.notify()
	return r
}

// Wait waits for the notifier goroutine, which ends with the registry's
// context.
func (r *Registry) Wait() { r.notifier.Wait() }

// JoinRequest says where a player wants a seat: by join code, by room id,
// or (both empty) quick play in mode.
type JoinRequest struct {
	Mode, RoomID, Code string
	// session is the joining session's id: in a cluster, the holder of a
	// seat reserved on another node, which keeps one at a time.
	session string
}

// Join seats a player as req asks and returns the port of its connection.
func (r *Registry) Join(ctx context.Context, req JoinRequest, name string, link game.PlayerLink) (*game.InputPort, *roomEntry, error) {
	entry, opened, err := r.reserve(req)
	if err != nil {
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	if opened {
		r.publish(roomUpdate{kind: pb.RoomUpdate_KIND_CREATED, entry: entry})
	}
	return r.seat(ctx, entry, name, link)
}

// Create opens a room with the given options and seats its creator.
func (r *Registry) Create(ctx context.Context, mode string, maxPlayers int, private bool, name string, link game.PlayerLink) (*game.InputPort, *roomEntry, error) {
	m, err := r.mode(mode)
	if err == nil && maxPlayers == 0 {
		maxPlayers = m.Settings.MaxPlayers
	}
	if err == nil && (maxPlayers < m.Settings.MinPlayers || maxPlayers > m.Settings.MaxPlayers) {
		// Fewer seats than the mode's minimum would never start a match.
		err = fmt.Errorf("%w: max players %d, want %d to %d in mode %s",
			ErrBadRequest, maxPlayers, m.Settings.MinPlayers, m.Settings.MaxPlayers, m.Name)
	}
	if err != nil {
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	r.mu.Lock()
	entry, err := r.openLocked(m, maxPlayers, private, true)
	if err == nil {
		entry.reserved++
	}
	r.mu.Unlock()
	if err != nil {
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	if err := r.cluster.register(ctx, r, entry); err != nil {
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	r.publish(roomUpdate{kind: pb.RoomUpdate_KIND_CREATED, entry: entry})
	return r.seat(ctx, entry, name, link)
}

// mode returns the mode named name from the catalogue, or the default mode
// when name is empty.
func (r *Registry) mode(name string) (game.Mode, error) {
	if name == "" {
		name = r.settings.DefaultMode
	}
	m, ok := r.modes.Lookup(name)
	if !ok {
		return m, fmt.Errorf("%w %q (have %v)", ErrUnknownMode, name, r.modes.Names())
	}
	return m, nil
}

// seat asks the room for the seat reserved in entry.
func (r *Registry) seat(ctx context.Context, entry *roomEntry, name string, link game.PlayerLink) (*game.InputPort, *roomEntry, error) {
	port, err := entry.room.Join(ctx, name, link)
	if err != nil {
		r.release(entry)
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	r.mu.Lock()
	if !entry.ended { // an ended room's seats are gone with it
		entry.seats[port.Seat()] = struct{}{}
	}
	r.mu.Unlock()
	joinsTotal.WithLabelValues("ok").Inc()
	r.publish(roomUpdate{kind: pb.RoomUpdate_KIND_CHANGED, entry: entry})
	return port, entry, nil
}

// Leave gives up a seat for good. Only the first Leave (or Forget) of a
// seat gives its reservation back, however many paths end it.
func (r *Registry) Leave(entry *roomEntry, seat *game.Seat) {
	entry.room.Leave(seat)
	r.Forget(entry, seat)
}

// Forget gives back the reservation of a seat the room has already
// released itself (a kick); it is a no-op for a seat already forgotten.
func (r *Registry) Forget(entry *roomEntry, seat *game.Seat) {
	r.mu.Lock()
	_, counted := entry.seats[seat]
	delete(entry.seats, seat)
	if counted && entry.reserved > 0 {
		entry.reserved--
		r.version++
		r.cluster.seatFreed(entry)
	}
	r.mu.Unlock()
	if counted {
		r.publish(roomUpdate{kind: pb.RoomUpdate_KIND_CHANGED, entry: entry})
	}
}

// reserve takes a seat in the room req asks for, opening a room for quick
// play when none has a free seat (opened tells).
func (r *Registry) reserve(req JoinRequest) (entry *roomEntry, opened bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, false, ErrShuttingDown
	}
	switch {
	case req.Code != "":
		entry = r.codes[normalizeJoinCode(req.Code)]
		if entry == nil || entry.ended {
			return nil, false, fmt.Errorf("%w %q", ErrUnknownCode, req.Code)
		}
	case req.RoomID != "":
		entry = r.rooms[req.RoomID]
		if entry == nil || entry.ended || entry.private {
			// A private room is reached by its code only.
			return nil, false, fmt.Errorf("%w %q", ErrUnknownRoom, req.RoomID)
		}
	default:
		m, err := r.mode(req.Mode)
		if err != nil {
			return nil, false, err
		}
		// Quick play never mixes modes: only rooms of m have a seat for
		// it. It fills only the rooms it opened itself: a room made by
		// CreateRoom is its creator's (one of a single seat, or with
		// settings of their own), joined by id or code.
		for _, e := range r.order {
			if e.mode == m.Name && !e.custom && !e.private && !e.over() && e.reserved < e.maxPlayers {
				e.reserved++
				r.version++
				return e, false, nil
			}
		}
		e, err := r.openLocked(m, m.Settings.MaxPlayers, false, false)
		if err != nil {
			return nil, false, err
		}
		e.reserved++
		return e, true, nil
	}
	if entry.reserved >= entry.maxPlayers {
		return nil, false, fmt.Errorf("%w (%d of %d seats taken)", game.ErrRoomFull, entry.reserved, entry.maxPlayers)
	}
	entry.reserved++
	r.version++
	return entry, false, nil
}

func (r *Registry) release(entry *roomEntry) {
	r.mu.Lock()
	if entry.reserved > 0 {
		entry.reserved--
		r.version++
		r.cluster.seatFreed(entry)
	}
	r.mu.Unlock()
}

// openLocked starts a new room goroutine of mode m with maxPlayers seats
// and the rest of m's settings, for CreateRoom when custom is set; r.mu
// must be held.
func (r *Registry) openLocked(m game.Mode, maxPlayers int, private, custom bool) (*roomEntry, error) {
	return r.openAsLocked(m, maxPlayers, private, custom, "", "")
}

// openAsLocked is openLocked with the room's id and join code given (both
// empty: new ones), for a room the cluster's directory placed here.
func (r *Registry) openAsLocked(m game.Mode, maxPlayers int, private, custom bool, id, code string) (*roomEntry, error) {
	if r.closed {
		return nil, ErrShuttingDown
	}
	if r.settings.MaxRooms > 0 && len(r.rooms) >= r.settings.MaxRooms {
		return nil, fmt.Errorf("%w (%d rooms)", ErrTooManyRooms, r.settings.MaxRooms)
	}
	if custom && r.maxCustom > 0 && r.custom >= r.maxCustom {
		requestsRefused.WithLabelValues("custom_rooms").Inc()
		return nil, fmt.Errorf("%w (%d rooms made by CreateRoom; the rest are kept for quick play)", ErrTooManyRooms, r.maxCustom)
	}
	if id == "" {
		id = newRoomID()
		code = newJoinCode()
		for r.codes[code] != nil {
			code = newJoinCode()
		}
	}
	seed := r.seed
	r.seed++
	mode, s := m.Name, m.Settings
	entry := &roomEntry{mode: mode, code: code, private: private, custom: custom, maxPlayers: maxPlayers,
		created: time.Now(), seats: make(map[*game.Seat]struct{}), phase: pb.RoomPhase_ROOM_PHASE_WAITING}
	cfg := game.RoomConfig{
		ID:                  id,
		Mode:                mode,
		Schema:              m.Schema,
		ModeOptions:         m.OptionValues(),
		TickHz:              s.TickHz,
		SnapshotHz:          s.SnapshotHz,
		MaxPlayers:          maxPlayers,
		MinPlayers:          s.MinPlayers,
		Countdown:           s.Countdown,
		EmptyTimeout:        r.settings.EmptyTimeout,
		Seed:                seed,
		Logger:              r.log.With("mode", mode), // the room names itself in every line
		OnChange:            func(c game.RoomChange) { r.roomChanged(entry, c) },
		TestCorruptChecksum: r.settings.TestCorruptChecksum,
		MaxBatchInputs:      r.settings.MaxBatchInputs,
		MaxSeqJump:          r.settings.MaxSeqJump,
		SlowConsumerAfter:   r.settings.SlowConsumerAfter,
		Talk:                r.settings.Talk,
		OnEnd:               r.settings.OnMatchEnd,
	}
	rec, err := record.NewRecorder(record.Options{Dir: r.settings.RecordDir, LogBytes: r.settings.RecordLogBytes, Budget: r.budget, LogDir: r.settings.RecordLogDir})
	if err != nil {
		return nil, fmt.Errorf("open room: %w", err)
	}
	cfg.Recorder = rec
	g, err := m.NewGame(game.Config{TickHz: cfg.TickHz, SnapshotHz: cfg.SnapshotHz, MaxPlayers: maxPlayers, Seed: seed})
	if pe := (*game.PanicError)(nil); errors.As(err, &pe) {
		// NewGame recovered the factory's panic (and counted it); the
		// player is told no more than that, the log gets the rest.
		r.log.Error("game mode panicked opening a room", "mode", mode, "err", err, "stack", string(pe.Stack))
		return nil, fmt.Errorf("%w: %s", ErrGameRefused, game.InternalErrorMessage)
	}
	if err != nil {
		r.log.Error("game mode refused to open a room", "mode", mode, "err", err)
		return nil, fmt.Errorf("%w: %w", ErrGameRefused, err)
	}
	room, err := game.NewRoom(cfg, g)
	if err != nil {
		return nil, fmt.Errorf("open room: %w", err)
	}
	entry.room, entry.recorder = room, rec
	r.seq++
	entry.seq = r.seq
	r.rooms[id] = entry
	r.codes[code] = entry
	r.order = append(r.order, entry)
	if custom {
		r.custom++
	}
	r.version++
	roomsOpened.WithLabelValues(mode).Inc()
	r.wg.Add(1)
	go r.run(entry)
	r.log.Info("room opened", "room", id, "mode", mode, "max_players", maxPlayers, "private", private,
		"tick_hz", s.TickHz, "snapshot_hz", s.SnapshotHz)
	return entry, nil
}

// roomChanged runs on the room's goroutine: it hands the new phase to the
// notifier without taking a lock or blocking. Listings learn of a room's
// end when it is gone (run); a cluster's directory learns at once, so that
// other nodes' quick play stops offering the room while its goroutine
// winds down.
func (r *Registry) roomChanged(entry *roomEntry, c game.RoomChange) {
	if c.Ended {
		r.cluster.ended(entry)
		return
	}
	r.publish(roomUpdate{kind: pb.RoomUpdate_KIND_CHANGED, entry: entry, phase: c.Phase, hasPhase: true})
}

// run owns one room goroutine and forgets the room when it ends.
func (r *Registry) run(entry *roomEntry) {
	defer r.wg.Done()
	err := entry.room.Run(r.ctx)
	r.mu.Lock()
	entry.ended = true
	if entry.custom {
		r.custom--
	}
	r.version++
	delete(r.rooms, entry.room.ID())
	delete(r.codes, entry.code)
	for i, e := range r.order {
		if e == entry {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
	entry.seats = nil // gone with the room: a later Leave or Forget is a no-op
	r.mu.Unlock()
	r.cluster.closed(entry)
	r.publish(roomUpdate{kind: pb.RoomUpdate_KIND_CLOSED, entry: entry})
	if err != nil && !errors.Is(err, context.Canceled) {
		r.log.Error("room ended with error", "room", entry.room.ID(), "err", err)
		return
	}
	r.log.Info("room ended", "room", entry.room.ID())
}

// Shutdown closes every room with the server-shutdown reason, refuses new
// joins and waits for every room goroutine to end or ctx to expire.
func (r *Registry) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	r.closed = true
	rooms := make([]*game.Room, 0, len(r.order))
	for _, e := range r.order {
		rooms = append(rooms, e.room)
	}
	r.mu.Unlock()
	for _, room := range rooms {
		room.Close(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN)
	}
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("rooms still running: %w", ctx.Err())
	}
}

func newRoomID() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// joinResult names a join outcome for the joins metric.
func joinResult(err error) string {
	switch {
	case errors.Is(err, game.ErrRoomFull):
		return "room_full"
	case errors.Is(err, ErrUnknownRoom):
		return "unknown_room"
	case errors.Is(err, ErrUnknownCode):
		return "unknown_code"
	case errors.Is(err, ErrUnknownMode):
		return "unknown_mode"
	case errors.Is(err, ErrTooManyRooms):
		return "too_many_rooms"
	case errors.Is(err, ErrBadRequest):
		return "bad_request"
	case errors.Is(err, ErrGameRefused):
		return "game_refused"
	case errors.Is(err, ErrMatchmakingUnavailable):
		return "directory_unavailable"
	case errors.Is(err, ErrShuttingDown), errors.Is(err, game.ErrRoomClosed):
		return "closed"
	default:
		return "refused"
	}
}
