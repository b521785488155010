package netcode

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Reasons a frame from a client is refused (tickwire_frames_rejected_total).
const (
	rejectTooLarge    = "too_large"
	rejectText        = "text"
	rejectMalformed   = "malformed"
	rejectEmpty       = "empty"
	rejectRateLimited = "rate_limited"
	// rejectControlRateLimited: a ping or pong over the message rate,
	// ignored.
	rejectControlRateLimited = "control_rate_limited"
	// rejectControlFlood: pings or pongs far over the message rate; the
	// connection is closed.
	rejectControlFlood = "control_flood"
)

// Reasons a connection is closed as a slow consumer
// (tickwire_slow_consumers_total).
const (
	slowSnapshotStalled = "snapshot_stalled"
	slowReliableFull    = "reliable_queue_full"
)

// Reasons in tickwire_connections_closed_total besides the lowercase close
// reason names.
const (
	closedPeer         = "peer_closed"
	closedReadError    = "read_error"
	closedWriteTimeout = "write_timeout"
	closedWriteError   = "write_error"
)

var (
	connectionsOpen = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_connections",
		Help: "WebSocket connections being served.",
	})
	connectionsClosed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_connections_closed_total",
		Help: "WebSocket connections ended, by reason (a close reason name, peer_closed, read_error, write_timeout or write_error).",
	}, []string{"reason"})
	wsBytesReceived = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_ws_bytes_received_total",
		Help: "WebSocket message payload bytes read from clients.",
	})
	wsBytesSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_ws_bytes_sent_total",
		Help: "WebSocket message payload bytes written to clients.",
	})
	wsFramesReceived = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_ws_frames_received_total",
		Help: "WebSocket data messages read from clients.",
	})
	wsFramesSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_ws_frames_sent_total",
		Help: "WebSocket data messages written to clients.",
	})
	snapshotsSuperseded = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_snapshots_superseded_total",
		Help: "wire.Snapshot frames replaced in a connection's slot by a newer one before being written.",
	})
	framesRejected = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_frames_rejected_total",
		Help: "Client frames refused, by reason (too_large, text, malformed, empty, rate_limited, control_rate_limited, control_flood).",
	}, []string{"reason"})
	readsPaced = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_reads_paced_total",
		Help: "Times a connection's reader waited before reading on because its client sent more than ReadBytesPerSecond.",
	})
	slowConsumers = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_slow_consumers_total",
		Help: "Connections closed for not keeping up, by reason (snapshot_stalled, reliable_queue_full).",
	}, []string{"reason"})
)
