package directory

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	up = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_directory_up",
		Help: "1 while the last call to the room directory's store worked, else 0.",
	})
	errorsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_directory_errors_total",
		Help: "Calls to the room directory's store that failed, by operation (node_taken: a heartbeat found this node's id claimed by another node).",
	}, []string{"op"})
	writesDropped = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_directory_writes_dropped_total",
		Help: "Queued directory writes dropped, by reason (unavailable: the store was down; queue_full).",
	}, []string{"reason"})
	recoveries = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_directory_recoveries_total",
		Help: "Times the store came back and the node registered its rooms again.",
	})
	lapses = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_directory_lapses_total",
		Help: "Heartbeats that found this node's record lapsed (silent past the TTL) and registered its rooms again.",
	})
	roomsReaped = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_directory_rooms_reaped_total",
		Help: "Rooms of dead nodes this node took out of the directory.",
	})
	placements = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_directory_placements_total",
		Help: "Seats placed through the directory, by kind (quick_play, reserve) and where (local, remote).",
	}, []string{"kind", "where"})
)
