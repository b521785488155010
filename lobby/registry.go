package lobby

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// ErrUnknownMode is returned when a join names a game mode the server lacks.
var ErrUnknownMode = errors.New("unknown game mode")

// ErrUnknownRoom is returned when a join names a room that does not exist.
var ErrUnknownRoom = errors.New("unknown room")

// ErrShuttingDown is returned when a join arrives while the server stops.
var ErrShuttingDown = errors.New("server is shutting down")

// RoomSettings are the parameters of every room the registry opens.
type RoomSettings struct {
	// TickHz is the simulation rate.
	TickHz int
	// SnapshotHz is the snapshot rate.
	SnapshotHz int
	// MaxPlayers is the number of seats per room.
	MaxPlayers int
	// DefaultMode is the mode of a JoinRoom that names none.
	DefaultMode string
}

// Registry holds the live rooms and seats players in them. Joins are rare
// next to ticks, so a mutex guards the registry; no room's tick path takes it.
type Registry struct {
	ctx      context.Context
	modes    game.Modes
	settings RoomSettings
	log      *slog.Logger

	mu       sync.Mutex
	rooms    map[string]*roomEntry
	order    []*roomEntry // creation order, so quick play fills older rooms first
	closed   bool
	seedNext int64

	wg sync.WaitGroup // one per room goroutine
}

// roomEntry is the registry's record of a room. reserved counts seats taken
// or being taken, so concurrent quick-play joins never overfill a room.
type roomEntry struct {
	room     *game.Room
	mode     string
	created  time.Time
	reserved int
	ended    bool
}

// NewRegistry returns a registry whose rooms run until ctx ends or Shutdown.
func NewRegistry(ctx context.Context, modes game.Modes, settings RoomSettings, log *slog.Logger) *Registry {
	return &Registry{
		ctx:      ctx,
		modes:    modes,
		settings: settings,
		log:      log,
		rooms:    make(map[string]*roomEntry),
		seedNext: 1,
	}
}

// Join seats a player: in roomID when it is set, else in the oldest room of
// mode with a free seat, opening a new room when none has one.
func (r *Registry) Join(ctx context.Context, mode, roomID, name string, link game.PlayerLink) (*game.Seat, *game.Room, error) {
	if mode == "" {
		mode = r.settings.DefaultMode
	}
	entry, err := r.reserve(mode, roomID)
	if err != nil {
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	seat, err := entry.room.Join(ctx, name, link)
	if err != nil {
		r.release(entry)
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	joinsTotal.WithLabelValues("ok").Inc()
	return seat, entry.room, nil
}

// Leave gives up a seat taken with Join.
func (r *Registry) Leave(room *game.Room, seat *game.Seat) {
	room.Leave(seat)
	r.mu.Lock()
	entry := r.rooms[room.ID()]
	r.mu.Unlock()
	if entry != nil {
		r.release(entry)
	}
}

func (r *Registry) reserve(mode, roomID string) (*roomEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrShuttingDown
	}
	if roomID != "" {
		entry, ok := r.rooms[roomID]
		if !ok || entry.ended {
			return nil, fmt.Errorf("%w %q", ErrUnknownRoom, roomID)
		}
		if entry.reserved >= r.settings.MaxPlayers {
			return nil, game.ErrRoomFull
		}
		entry.reserved++
		return entry, nil
	}
	factory, ok := r.modes.Lookup(mode)
	if !ok {
		return nil, fmt.Errorf("%w %q (have %v)", ErrUnknownMode, mode, r.modes.Names())
	}
	for _, entry := range r.order {
		if entry.mode == mode && !entry.ended && entry.reserved < r.settings.MaxPlayers {
			entry.reserved++
			return entry, nil
		}
	}
	entry, err := r.openLocked(mode, factory)
	if err != nil {
		return nil, err
	}
	entry.reserved++
	return entry, nil
}

func (r *Registry) release(entry *roomEntry) {
	r.mu.Lock()
	if entry.reserved > 0 {
		entry.reserved--
	}
	r.mu.Unlock()
}

// openLocked starts a new room goroutine; r.mu must be held.
func (r *Registry) openLocked(mode string, factory game.Factory) (*roomEntry, error) {
	id, err := newRoomID()
	if err != nil {
		return nil, err
	}
	seed := r.seedNext
	r.seedNext++
	cfg := game.RoomConfig{
		ID:         id,
		Mode:       mode,
		TickHz:     r.settings.TickHz,
		SnapshotHz: r.settings.SnapshotHz,
		MaxPlayers: r.settings.MaxPlayers,
		Seed:       seed,
		Logger:     r.log.With("room", id, "mode", mode),
	}
	room, err := game.NewRoom(cfg, factory(game.Config{TickHz: cfg.TickHz, MaxPlayers: cfg.MaxPlayers, Seed: seed}))
	if err != nil {
		return nil, fmt.Errorf("open room: %w", err)
	}
	entry := &roomEntry{room: room, mode: mode, created: time.Now()}
	r.rooms[id] = entry
	r.order = append(r.order, entry)
	r.wg.Add(1)
	go r.run(entry)
	r.log.Info("room opened", "room", id, "mode", mode)
	return entry, nil
}

// run owns one room goroutine and forgets the room when it ends.
func (r *Registry) run(entry *roomEntry) {
	defer r.wg.Done()
	err := entry.room.Run(r.ctx)
	r.mu.Lock()
	entry.ended = true
	delete(r.rooms, entry.room.ID())
	for i, e := range r.order {
		if e == entry {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
	r.mu.Unlock()
	if err != nil && !errors.Is(err, context.Canceled) {
		r.log.Error("room ended with error", "room", entry.room.ID(), "err", err)
		return
	}
	r.log.Info("room ended", "room", entry.room.ID())
}

// RoomInfo describes a live room.
type RoomInfo struct {
	ID         string
	Mode       string
	Players    int
	MaxPlayers int
	Created    time.Time
	Stats      game.RoomStats
}

// Rooms lists the live rooms, oldest first.
func (r *Registry) Rooms() []RoomInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]RoomInfo, 0, len(r.order))
	for _, e := range r.order {
		out = append(out, RoomInfo{
			ID: e.room.ID(), Mode: e.mode, Players: e.reserved,
			MaxPlayers: r.settings.MaxPlayers, Created: e.created, Stats: e.room.Stats(),
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out
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

func newRoomID() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("room id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// joinResult names a join outcome for the joins metric.
func joinResult(err error) string {
	switch {
	case errors.Is(err, game.ErrRoomFull):
		return "room_full"
	case errors.Is(err, ErrUnknownRoom):
		return "unknown_room"
	case errors.Is(err, ErrUnknownMode):
		return "unknown_mode"
	case errors.Is(err, ErrShuttingDown), errors.Is(err, game.ErrRoomClosed):
		return "closed"
	default:
		return "refused"
	}
}
