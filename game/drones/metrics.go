package drones

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Refusal and drop reasons, as metric label values.
const (
	reasonFull          = "full"
	reasonDuplicate     = "duplicate"
	reasonUnknownPlayer = "unknown_player"
	reasonMatchEnded    = "match_ended"
)

var (
	joinsRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_drones_joins_refused_total",
		Help: "Drones seats refused, by reason.",
	}, []string{"reason"})
	inputsDropped = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_drones_inputs_dropped_total",
		Help: "Drones inputs ignored, by reason.",
	}, []string{"reason"})
)
