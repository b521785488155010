package game

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Reasons an input is dropped (tickwire_inputs_dropped_total).
const (
	// dropQueueFull: the seat's queue was full; the oldest input went.
	dropQueueFull = "queue_full"
	// dropDuplicate: the seq was not above the highest one already queued
	// (clients resend recent inputs on purpose, so this is normal).
	dropDuplicate = "duplicate"
	// dropStale: the seq was not above the highest one already applied.
	dropStale = "stale"
	// dropInvalid: the input could not be used (seq 0, nil).
	dropInvalid = "invalid"
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
		Help: "Player inputs dropped, by reason (queue_full, duplicate, stale, invalid).",
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
		Help: "Players seated in running rooms.",
	})

	// Children resolved once so the tick path does no label lookups.
	droppedQueueFull = inputsDropped.WithLabelValues(dropQueueFull)
	droppedDuplicate = inputsDropped.WithLabelValues(dropDuplicate)
	droppedStale     = inputsDropped.WithLabelValues(dropStale)
	droppedInvalid   = inputsDropped.WithLabelValues(dropInvalid)
	encodedFull      = snapshotsEncoded.WithLabelValues("full")
	encodedDelta     = snapshotsEncoded.WithLabelValues("delta")
)
