package lobby

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	joinsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_joins_total",
		Help: "Room join requests by result (ok, room_full, unknown_room, unknown_code, unknown_mode, too_many_rooms, bad_request, game_refused, closed, refused).",
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

var (
	sessionsReplaced = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_sessions_replaced_total",
		Help: "Connections closed because a newer connection took over their session.",
	})
	seatsHeldTotal = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_seats_held_total",
		Help: "Seats held for reconnection after a player's socket dropped.",
	})
	seatsExpired = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_seats_expired_total",
		Help: "Held seats released because the reconnection grace ran out.",
	})
	resumesTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_resumes_total",
		Help: "Reconnections that found a held seat, by result (ok, gone).",
	}, []string{"result"})
	roomsOpened = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_rooms_opened_total",
		Help: "Rooms opened, by game mode.",
	}, []string{"mode"})
	roomUpdatesDropped = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_room_updates_dropped_total",
		Help: "Room changes not delivered to listing subscribers because the update queue was full.",
	})
	requestsRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_requests_refused_total",
		Help: "Client requests refused by a session, by reason.",
	}, []string{"reason"})
	roomUpdatesSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_room_updates_sent_total",
		Help: "RoomUpdate messages sent to room-list subscribers.",
	})
	httpRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_lobby_http_requests_total",
		Help: "Lobby HTTP API requests by endpoint and status code.",
	}, []string{"endpoint", "code"})
)
