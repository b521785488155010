package game

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Defaults of a RoomConfig beyond a mode's Settings (see settings.go for
// those).
const (
	// DefaultInputQueueSize is the default per-seat input queue length.
	DefaultInputQueueSize = 32
	// DefaultMaxCatchUp is the default number of late ticks run in a row.
	DefaultMaxCatchUp = 4
	// DefaultEmptyTimeout is how long a room with no seats lives on.
	DefaultEmptyTimeout = 30 * time.Second
	// DefaultMaxBatchInputs is the most inputs a room takes from one
	// InputBatch: an honest client sends its newest input and a few
	// repeats (the Go client 4 in all).
	DefaultMaxBatchInputs = 8
	// DefaultMaxSeqJump is how far above the highest seq queued or applied
	// a seat's next input may be.
	DefaultMaxSeqJump = 1024
	// DefaultSlowConsumerAfter is how far, in time, a player's newest
	// acknowledged snapshot may trail the room before the room closes the
	// player's link as a slow consumer.
	DefaultSlowConsumerAfter = 3 * time.Second
)

// RoomConfig describes a room. Zero InputQueueSize, MaxCatchUp, Clock,
// Logger, MinPlayers and EmptyTimeout take defaults; ID and the rates must
// be set. TickHz, SnapshotHz, MaxPlayers, MinPlayers and Countdown are the
// room's Settings and are checked by Settings.Validate.
type RoomConfig struct {
	// ID names the room; it must not be empty.
	ID string
	// Mode is the game mode name, reported to players in Joined.
	Mode string
	// Schema is the mode's state schema, sent to players in Joined; it
	// must be valid (wire.Schema.Validate).
	Schema *wire.Schema
	// ModeOptions are the mode's own options as configured, by name;
	// recordings keep them so that a replay runs the same rules.
	ModeOptions map[string]string
	// TickHz is the simulation rate, 1..MaxTickHz.
	TickHz int
	// SnapshotHz is the snapshot rate, a divisor of TickHz: a snapshot is
	// taken every TickHz/SnapshotHz ticks, exactly SnapshotHz a second.
	SnapshotHz int
	// MaxPlayers is the number of seats, 1..MaxRoomSize.
	MaxPlayers int
	// Seed is the game's seed, for logs and replays.
	Seed int64
	// Clock is the room's time source; nil means RealClock.
	Clock Clock
	// InputQueueSize is each seat's input queue length (default 32).
	InputQueueSize int
	// MaxCatchUp is how many late ticks a room runs in a row before it
	// skips the rest (default 4).
	MaxCatchUp int
	// Logger receives the room's logs; nil means slog.Default().
	Logger *slog.Logger
	// MinPlayers is how many seats (connected or held) start the countdown,
	// 1..MaxPlayers (default 1).
	MinPlayers int
	// Countdown is the time from enough players to the match start,
	// rounded up to whole ticks; 0 starts the match at once.
	Countdown time.Duration
	// EmptyTimeout disposes of a room that has had no seats, connected or
	// held, for this long; 0 means DefaultEmptyTimeout, negative never.
	EmptyTimeout time.Duration
	// OnChange, if set, is called on the room goroutine whenever the phase
	// or the seat counts change, and once more when the room ends. It must
	// not block, for it holds up the tick.
	OnChange func(RoomChange)
	// Recorder, if set, is told of every call the room makes into its
	// Game (see Recorder; game/record's Recorder writes recordings). nil
	// records nothing.
	Recorder Recorder
	// MaxBatchInputs is the most inputs taken from one batch (0 means
	// DefaultMaxBatchInputs); the older ones of a larger batch are dropped
	// and counted.
	MaxBatchInputs int
	// MaxSeqJump is how far above the highest seq queued or applied for a
	// seat an input may be (0 means DefaultMaxSeqJump); one further ahead
	// is dropped and counted, so that a single wild seq cannot make every
	// later input stale. A seat's first input may have any seq up to
	// MaxFirstSeq.
	MaxSeqJump uint32
	// SlowConsumerAfter is how long a player's newest acknowledged
	// snapshot (or, before any ack, the first snapshot sent to its link)
	// may trail the room's tick before the room closes the link with
	// SLOW_CONSUMER; 0 means DefaultSlowConsumerAfter, negative never.
	SlowConsumerAfter time.Duration
	// TestCorruptChecksum, if set, makes the room send a wrong checksum in
	// the snapshots of the ticks it returns true for, so that tests can
	// check that clients detect a desync. Tests only.
	TestCorruptChecksum func(tick uint32) bool
}

// RoomChange is what a room reports to RoomConfig.OnChange.
type RoomChange struct {
	// Phase is the room's phase after the change.
	Phase pb.RoomPhase
	// Players counts the seats, connected or held.
	Players int
	// Connected counts the seats with a live link.
	Connected int
	// Tick is the room's tick at the change.
	Tick uint32
	// Ended is set on the last call, when the room is done.
	Ended bool
}

// withDefaults returns cfg with zero optional fields filled in, or an error
// naming the first invalid field.
func (cfg RoomConfig) withDefaults() (RoomConfig, error) {
	switch {
	case cfg.ID == "":
		return cfg, errors.New("room config: empty id")
	case cfg.Schema == nil:
		return cfg, errors.New("room config: no schema")
	case cfg.MinPlayers < 0:
		return cfg, fmt.Errorf("room config: min players %d < 0", cfg.MinPlayers)
	case cfg.InputQueueSize < 0:
		return cfg, fmt.Errorf("room config: input queue size %d < 0", cfg.InputQueueSize)
	case cfg.MaxCatchUp < 0:
		return cfg, fmt.Errorf("room config: max catch-up %d < 0", cfg.MaxCatchUp)
	case cfg.MaxBatchInputs < 0:
		return cfg, fmt.Errorf("room config: max batch inputs %d < 0", cfg.MaxBatchInputs)
	}
	if cfg.MinPlayers == 0 {
		cfg.MinPlayers = DefaultMinPlayers
	}
	if err := cfg.settings().Validate(); err != nil {
		return cfg, fmt.Errorf("room config: %w", err)
	}
	if err := cfg.Schema.Validate(); err != nil {
		return cfg, fmt.Errorf("room config: %w", err)
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.InputQueueSize == 0 {
		cfg.InputQueueSize = DefaultInputQueueSize
	}
	if cfg.MaxCatchUp == 0 {
		cfg.MaxCatchUp = DefaultMaxCatchUp
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.EmptyTimeout == 0 {
		cfg.EmptyTimeout = DefaultEmptyTimeout
	}
	if cfg.Recorder == nil {
		cfg.Recorder = noRecorder{}
	}
	if cfg.MaxBatchInputs == 0 {
		cfg.MaxBatchInputs = DefaultMaxBatchInputs
	}
	if cfg.MaxSeqJump == 0 {
		cfg.MaxSeqJump = DefaultMaxSeqJump
	}
	if cfg.SlowConsumerAfter == 0 {
		cfg.SlowConsumerAfter = DefaultSlowConsumerAfter
	}
	return cfg, nil
}

// settings returns the room's Settings.
func (cfg RoomConfig) settings() Settings {
	return Settings{TickHz: cfg.TickHz, SnapshotHz: cfg.SnapshotHz, MaxPlayers: cfg.MaxPlayers,
		MinPlayers: cfg.MinPlayers, Countdown: cfg.Countdown}
}

// snapshotInterval returns the ticks between snapshots, TickHz/SnapshotHz:
// exact, since Settings.Validate requires SnapshotHz to divide TickHz.
func snapshotInterval(tickHz, snapshotHz int) uint32 {
	return uint32(tickHz / snapshotHz)
}

// historySize returns how many snapshots a room keeps: one and a half
// seconds' worth, at least 8, so that a client with a typical round trip
// (and a few lost acks) still finds its acknowledged tick.
func historySize(tickHz int, interval uint32) int {
	perSecond := (tickHz + int(interval) - 1) / int(interval)
	return max(8, perSecond+perSecond/2)
}

// durationTicks returns d in whole ticks at tickHz, rounded up so a
// countdown is never shorter than asked.
func durationTicks(d time.Duration, tickHz int) uint32 {
	return uint32((int64(d)*int64(tickHz) + int64(time.Second) - 1) / int64(time.Second))
}
