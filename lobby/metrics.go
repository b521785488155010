package lobby

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	joinsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_joins_total",
		Help: "Room join requests by result (ok, room_full, unknown_room, unknown_mode, closed, refused).",
	}, []string{"result"})
	handshakeFailures = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_handshake_failures_total",
		Help: "Connections refused during the hello handshake, by reason.",
	}, []string{"reason"})
	connectionsRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_connections_refused_total",
		Help: "WebSocket connections refused before the handshake, by reason.",
	}, []string{"reason"})
	messagesIgnored = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_messages_ignored_total",
		Help: "Client messages that arrived when they had no effect, by reason.",
	}, []string{"reason"})
)
