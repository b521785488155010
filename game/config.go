package game

import (
	"errors"
	"fmt"
	"log/slog"
)

// Defaults of a RoomConfig (the "arena-move" benchmark scenario).
const (
	// DefaultTickHz is the default simulation rate.
	DefaultTickHz = 60
	// DefaultSnapshotHz is the default snapshot rate.
	DefaultSnapshotHz = 20
	// DefaultMaxPlayers is the default number of seats.
	DefaultMaxPlayers = 16
	// DefaultInputQueueSize is the default per-seat input queue length.
	DefaultInputQueueSize = 32
	// DefaultMaxCatchUp is the default number of late ticks run in a row.
	DefaultMaxCatchUp = 4
	// MaxTickHz is the highest allowed simulation rate.
	MaxTickHz = 128
)

// RoomConfig describes a room. Zero InputQueueSize, MaxCatchUp, Clock and
// Logger take defaults; the rest must be set.
type RoomConfig struct {
	// ID names the room; it must not be empty.
	ID string
	// Mode is the game mode name, reported to players in Joined.
	Mode string
	// TickHz is the simulation rate, 1..MaxTickHz.
	TickHz int
	// SnapshotHz is the snapshot rate, 1..TickHz. A snapshot is taken every
	// round(TickHz/SnapshotHz) ticks, so when SnapshotHz does not divide
	// TickHz the real rate is TickHz divided by that interval.
	SnapshotHz int
	// MaxPlayers is the number of seats, at least 1.
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
}

// withDefaults returns cfg with zero optional fields filled in, or an error
// naming the first invalid field.
func (cfg RoomConfig) withDefaults() (RoomConfig, error) {
	switch {
	case cfg.ID == "":
		return cfg, errors.New("room config: empty id")
	case cfg.TickHz < 1 || cfg.TickHz > MaxTickHz:
		return cfg, fmt.Errorf("room config: tick rate %d Hz outside 1..%d", cfg.TickHz, MaxTickHz)
	case cfg.SnapshotHz < 1 || cfg.SnapshotHz > cfg.TickHz:
		return cfg, fmt.Errorf("room config: snapshot rate %d Hz outside 1..%d (the tick rate)", cfg.SnapshotHz, cfg.TickHz)
	case cfg.MaxPlayers < 1:
		return cfg, fmt.Errorf("room config: max players %d < 1", cfg.MaxPlayers)
	case cfg.InputQueueSize < 0:
		return cfg, fmt.Errorf("room config: input queue size %d < 0", cfg.InputQueueSize)
	case cfg.MaxCatchUp < 0:
		return cfg, fmt.Errorf("room config: max catch-up %d < 0", cfg.MaxCatchUp)
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
	return cfg, nil
}

// snapshotInterval returns the ticks between snapshots:
// round(TickHz/SnapshotHz), at least 1.
func snapshotInterval(tickHz, snapshotHz int) uint32 {
	return uint32(max(1, (tickHz+snapshotHz/2)/snapshotHz))
}

// historySize returns how many snapshots a room keeps: one and a half
// seconds' worth, at least 8, so that a client with a typical round trip
// (and a few lost acks) still finds its acknowledged tick.
func historySize(tickHz int, interval uint32) int {
	perSecond := (tickHz + int(interval) - 1) / int(interval)
	return max(8, perSecond+perSecond/2)
}
