package lobby

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	joinsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_joins_total",
		Help: "Room join requests by result (ok, room_full, unknown_room, unknown_code, unknown_mode, too_many_rooms, bad_request, game_refused, directory_unavailable, closed, refused).",
	}, []string{"result"})
	handshakeFailures = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_handshake_failures_total",
		Help: "Connections refused during the hello handshake, by reason.",
	}, []string{"reason"})
	connectionsRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_connections_refused_total",
		Help: "Connections and requests refused at the front door, by reason: tcp_limit, tcp_addr_limit and tcp_addr_rate (closed at accept), reserve_only " +
			"(a reserve connection asked for something but /healthz or /metrics), too_many_connections, too_many_per_addr, origin, " +
			"shutting_down and upgrade (WebSocket upgrades).",
	}, []string{"reason"})
	tcpConnections = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_tcp_connections",
		Help: "TCP connections open on the public port (HTTP, keep-alive and WebSocket; reserve connections included).",
	})
	messagesIgnored = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_messages_ignored_total",
		Help: "Client messages that arrived when they had no effect, by reason.",
	}, []string{"reason"})
)

var (
	drainsCut = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_drain_matches_cut_total",
		Help: "Running matches a drain ended at -drain-timeout with their standings, rather than letting them finish.",
	})
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
		Help: "Client requests refused, by reason: a budget (create_, join_, joinmiss_, list_, metrics_, signin_ followed by session, addr or server), " +
			"custom_rooms, bad_cursor, refusals_conn (a connection closed for asking on after its refusals), already_in_room, not_in_room, " +
			"chat_outside_room, message_outside_room, " +
			"second_hello, unexpected_message.",
	}, []string{"reason"})
	holdsReleasedEarly = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_held_seats_released_early_total",
		Help: "Held seats released before their grace ran out to make room for a newer hold, by budget (addr_budget, server_budget).",
	}, []string{"reason"})
	listingsServed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_listings_total",
		Help: "Room listing pages served (ListRooms, SubscribeRooms, GET /v1/rooms), by source (cache, encoded).",
	}, []string{"source"})
	lobbyIdleClosed = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_lobby_idle_closed_total",
		Help: "Signed-in connections closed with IDLE_TIMEOUT for holding no seat for the lobby idle timeout.",
	})
	roomUpdatesSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_room_updates_sent_total",
		Help: "RoomUpdate messages sent to room-list subscribers.",
	})
	httpRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_lobby_http_requests_total",
		Help: "Lobby HTTP API requests by endpoint and status code.",
	}, []string{"endpoint", "code"})
)
