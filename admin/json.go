package admin

import "encoding/json"

// The JSON bodies of the admin API (docs/admin.md). Durations are
// milliseconds as numbers, rates per second, sizes in bytes.

// Overview answers GET /v1/admin/overview.
type Overview struct {
	Version       string  `json:"version"`
	GoVersion     string  `json:"go_version"`
	UptimeSeconds float64 `json:"uptime_s"`
	// Connections counts open game WebSocket connections; Sessions those
	// of them past the hello.
	Connections int `json:"connections"`
	Sessions    int `json:"sessions"`
	Rooms       int `json:"rooms"`
	// Players counts seats taken, connected or held; HeldSeats those held
	// for a reconnection.
	Players    int     `json:"players"`
	HeldSeats  int     `json:"held_seats"`
	CPUSeconds float64 `json:"cpu_s"`
	RSSBytes   uint64  `json:"rss_bytes"`
	HeapBytes  uint64  `json:"heap_bytes"`
	Goroutines int     `json:"goroutines"`
}

// Room is one room of GET /v1/admin/rooms; private rooms included.
type Room struct {
	ID         string  `json:"id"`
	Mode       string  `json:"mode"`
	State      string  `json:"state"`
	Private    bool    `json:"private"`
	JoinCode   string  `json:"join_code"`
	Players    int     `json:"players"`
	Connected  int     `json:"connected"`
	MaxPlayers int     `json:"max_players"`
	AgeSeconds int     `json:"age_s"`
	Tick       uint32  `json:"tick"`
	TickP50Ms  float64 `json:"tick_p50_ms"`
	TickP99Ms  float64 `json:"tick_p99_ms"`
	TickMaxMs  float64 `json:"tick_max_ms"`
	Overruns   uint64  `json:"overruns"`
	Entities   int     `json:"entities"`
	// SnapshotBytesPerSec is the snapshot bytes offered to all players.
	SnapshotBytesPerSec float64 `json:"snapshot_bytes_per_s"`
	Recording           bool    `json:"recording"`
	Spectators          int     `json:"spectators"`
}

// RoomList answers GET /v1/admin/rooms.
type RoomList struct {
	Rooms []Room `json:"rooms"`
}

// RoomDetail answers GET /v1/admin/rooms/{id}.
type RoomDetail struct {
	Room
	TickHz       int      `json:"tick_hz"`
	SnapshotHz   int      `json:"snapshot_hz"`
	SkippedTicks uint64   `json:"skipped_ticks"`
	PlayerList   []Player `json:"player_list"`
}

// Player is one seat of a room.
type Player struct {
	ID       uint32 `json:"id"`
	Name     string `json:"name"`
	EntityID uint32 `json:"entity_id"`
	// Connected is false while the seat is held for a reconnection.
	Connected       bool    `json:"connected"`
	RTTMs           float64 `json:"rtt_ms"`
	InputQueueDepth int     `json:"input_queue_depth"`
	DroppedInputs   uint64  `json:"dropped_inputs"`
	LastAckedTick   uint32  `json:"last_acked_tick"`
	LastAppliedSeq  uint32  `json:"last_applied_seq"`
	BytesPerSec     float64 `json:"bytes_per_s"`
}

// KickRequest is the body of POST /v1/admin/rooms/{id}/kick.
type KickRequest struct {
	Player uint32 `json:"player"`
	Reason string `json:"reason"`
}

// CloseRequest is the body of POST /v1/admin/rooms/{id}/close.
type CloseRequest struct {
	Reason string `json:"reason"`
}

// DebugRequest is the body of POST /v1/admin/rooms/{id}/debug.
type DebugRequest struct {
	Command string `json:"command"`
}

// DebugReply answers a debug command with the game's reply.
type DebugReply struct {
	Reply string `json:"reply"`
}

// ActionResult answers kick and close.
type ActionResult struct {
	Room   string `json:"room"`
	Player uint32 `json:"player,omitempty"`
	// ConnectionClosed says a kicked player's connection was found and
	// closed (false when the seat was held for a reconnection).
	ConnectionClosed bool   `json:"connection_closed,omitempty"`
	Result           string `json:"result"`
}

// WatchMessage is a text frame of the watch stream: Type "room" with
// Room set every interval (the first one also with Schema, the room's state
// schema as protojson, which the snapshot frames need to be decoded), and
// Type "end" with Reason as the last frame.
type WatchMessage struct {
	Type   string          `json:"type"`
	Room   *RoomDetail     `json:"room,omitempty"`
	Schema json.RawMessage `json:"schema,omitempty"`
	Reason string          `json:"reason,omitempty"`
}
