package game

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Reasons an input is dropped (tickwire_inputs_dropped_total).
const (
	// dropQueueFull: the port's queue was full; the oldest input went.
	dropQueueFull = "queue_full"
	// dropDuplicate: the seq was not above the highest one already queued
	// (clients resend recent inputs on purpose, so this is normal).
	dropDuplicate = "duplicate"
	// dropStale: the seq was not above the highest one already applied.
	dropStale = "stale"
	// dropInvalid: the input could not be used (seq 0, nil).
	dropInvalid = "invalid"
	// dropDisconnected: the input came through a port whose connection
	// dropped (Disconnect); the client resends what the room has not
	// applied once it resumes.
	dropDisconnected = "disconnected"
	// dropReplaced: the input came through a port that a Resume replaced
	// (a lingering reader of the old connection); the new connection
	// resends what the room has not applied.
	dropReplaced = "replaced"
	// dropLeft: the input came through a port whose seat was given up
	// (Leave, Kick).
	dropLeft = "left"
	// dropBatchOverflow: the input was among the oldest of a batch larger
	// than MaxBatchInputs.
	dropBatchOverflow = "batch_overflow"
	// dropSeqJump: the seq was more than MaxSeqJump above the highest one
	// queued or applied (or above MaxFirstSeq for a seat's first input).
	dropSeqJump = "seq_jump"
)

// Reasons a room's Run ended (tickwire_rooms_disposed_total).
const (
	// disposeMatchEnded: the game reported the match over.
	disposeMatchEnded = "match_ended"
	// disposeEmpty: the room had no seats for its EmptyTimeout.
	disposeEmpty = "empty"
	// disposeClosed: Close with any reason but SERVER_SHUTDOWN.
	disposeClosed = "closed"
	// disposeShutdown: Close with SERVER_SHUTDOWN, or Run's context ended.
	disposeShutdown = "shutdown"
	// disposePanic: the game panicked.
	disposePanic = "panic"
)

// Reasons an inspection or control request (Spectate, Debug, Kick) is
// refused (tickwire_room_admin_refused_total). Recordings count their own
// refusals (game/record).
const (
	// refuseSpectatorLimit: the room has MaxSpectators watchers.
	refuseSpectatorLimit = "spectator_limit"
	// refuseNoDebug: the game has no debug commands.
	refuseNoDebug = "no_debug"
	// refuseDebugTooLong: the debug command exceeds MaxDebugCommandBytes.
	refuseDebugTooLong = "debug_too_long"
	// refuseUnknownPlayer: Kick named no seat of the room.
	refuseUnknownPlayer = "unknown_player"
)

var (
	adminRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_room_admin_refused_total",
		Help: "Room inspection and control requests refused, by reason (spectator_limit, no_debug, debug_too_long, unknown_player).",
	}, []string{"reason"})
	spectatorsActive = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_spectators",
		Help: "Spectators watching running rooms.",
	})
	playersKicked = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_players_kicked_total",
		Help: "Players removed from rooms by Kick.",
	})
	debugCommands = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_debug_commands_total",
		Help: "Debug commands handed to games.",
	})
)

var (
	tickDuration = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "tickwire_tick_duration_seconds",
		Help:    "Work time of one room tick, including snapshot encoding on snapshot ticks.",
		Buckets: prometheus.ExponentialBucketsRange(10e-6, 50e-3, 14),
	})
	tickOverruns = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_tick_overruns_total",
		Help: "Times a room fell more than its catch-up limit behind and skipped ticks.",
	})
	ticksSkipped = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_ticks_skipped_total",
		Help: "Scheduled ticks a room skipped after overruns.",
	})
	inputsDropped = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_inputs_dropped_total",
		Help: "Player inputs dropped, by reason (queue_full, duplicate, stale, invalid, disconnected, replaced, left, batch_overflow, seq_jump).",
	}, []string{"reason"})
	snapshotsEncoded = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_snapshots_encoded_total",
		Help: "Snapshot encodings (one per distinct baseline per snapshot tick), by kind (full, delta).",
	}, []string{"kind"})
	snapshotsSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_snapshots_sent_total",
		Help: "Snapshot frames offered to player links.",
	})
	snapshotBytes = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_snapshot_bytes_total",
		Help: "Bytes of snapshot frames offered to player links.",
	})
	roomsRunning = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_rooms",
		Help: "Rooms whose tick loop is running.",
	})
	roomPlayers = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_room_players",
		Help: "Players seated in running rooms, connected or held.",
	})
	seatsHeld = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_seats_held",
		Help: "Seats of running rooms held for a disconnected player.",
	})
	seatResumes = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_seat_resumes_total",
		Help: "Seats reattached to a new connection by Resume.",
	})
	phaseChanges = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_room_phase_changes_total",
		Help: "Room phase changes, by the phase entered (waiting, countdown, running, ended).",
	}, []string{"phase"})
	acksIgnored = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_acks_ignored_total",
		Help: "Snapshot acks ignored, by reason (ahead: a tick the player was never offered).",
	}, []string{"reason"})
	slowPlayers = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_slow_players_total",
		Help: "Player links a room closed with SLOW_CONSUMER because their newest acknowledged snapshot trailed the room by more than SlowConsumerAfter.",
	})
	roomsDisposed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_rooms_disposed_total",
		Help: "Rooms whose Run ended, by reason (match_ended, empty, closed, shutdown, panic).",
	}, []string{"reason"})

	// Children resolved once so the tick path does no label lookups.
	droppedQueueFull     = inputsDropped.WithLabelValues(dropQueueFull)
	droppedDuplicate     = inputsDropped.WithLabelValues(dropDuplicate)
	droppedStale         = inputsDropped.WithLabelValues(dropStale)
	droppedInvalid       = inputsDropped.WithLabelValues(dropInvalid)
	droppedDisconnected  = inputsDropped.WithLabelValues(dropDisconnected)
	droppedReplaced      = inputsDropped.WithLabelValues(dropReplaced)
	droppedLeft          = inputsDropped.WithLabelValues(dropLeft)
	droppedBatchOverflow = inputsDropped.WithLabelValues(dropBatchOverflow)
	droppedSeqJump       = inputsDropped.WithLabelValues(dropSeqJump)
	acksIgnoredAhead     = acksIgnored.WithLabelValues("ahead")
	encodedFull          = snapshotsEncoded.WithLabelValues("full")
	encodedDelta         = snapshotsEncoded.WithLabelValues("delta")
)
