package directory

import (
	"context"
	"errors"
	"time"
)

// ErrUnavailable wraps every failure to reach the directory's store: the
// lobby turns it into a clear matchmaking refusal while rooms keep running.
var ErrUnavailable = errors.New("room directory unavailable")

// Errors of placements.
var (
	// ErrNoRoom is returned for a room id or join code no live room has.
	ErrNoRoom = errors.New("no such room in the directory")
	// ErrFull is returned when the room asked for has no free seat.
	ErrFull = errors.New("room is full")
	// ErrNoNode is returned when no live node takes new rooms.
	ErrNoNode = errors.New("no live node takes new rooms")
	// ErrReservation is returned for a seat reservation that is unknown,
	// expired or already honoured.
	ErrReservation = errors.New("seat reservation unknown, expired or already used")
	// ErrCodeTaken is returned when a new room's join code is in use.
	ErrCodeTaken = errors.New("join code in use")
	// ErrNodeTaken is returned by Start when a live node of the cluster
	// holds the node's id: two nodes under one id would share its rooms,
	// seats and redirects.
	ErrNodeTaken = errors.New("node id taken by a live node")
)

// Node is one tickwire node as the directory knows it.
type Node struct {
	// ID names the node in the cluster.
	ID string `json:"id"`
	// URL is the public WebSocket URL clients reach the node's /ws at.
	URL string `json:"url"`
	// Draining marks a node that takes no new rooms.
	Draining bool `json:"draining,omitempty"`
	// MaxRooms caps the rooms placed on the node (0 = no cap).
	MaxRooms int `json:"max_rooms,omitempty"`
	// Players counts the seats of the node's rooms (its load).
	Players int `json:"players"`
	// Rooms counts the node's rooms.
	Rooms int `json:"rooms"`
}

// Room is a room as the directory lists it.
type Room struct {
	ID   string `json:"id"`
	Node string `json:"node"`
	Mode string `json:"mode"`
	// Code is the room's join code.
	Code string `json:"code"`
	// Phase is the room's phase by its lower-case name (waiting,
	// countdown, running, ended).
	Phase string `json:"phase"`
	// Players counts seats taken or reserved; MaxPlayers is the capacity.
	Players    int  `json:"players"`
	MaxPlayers int  `json:"max_players"`
	Private    bool `json:"private,omitempty"`
	// Custom marks a room CreateRoom opened: quick play never fills it.
	Custom bool `json:"custom,omitempty"`
	// Created is when the room was placed (Unix milliseconds), Seq its
	// place in the cluster-wide order of rooms.
	Created int64  `json:"created"`
	Seq     uint64 `json:"seq"`
}

// Placement is a seat the directory reserved for a player.
type Placement struct {
	// Room is the room, with the Node that runs it.
	Room Room
	// NodeURL is that node's public WebSocket URL.
	NodeURL string
	// Reservation names the reserved seat; empty when the seat was taken
	// on the asking node itself (no client hop, nothing to honour).
	Reservation string
	// Opened says the room is new: its node opens it on the first arrival.
	Opened bool
}

// Update is a room change relayed to every node.
type Update struct {
	// Kind is created, changed or closed.
	Kind string `json:"kind"`
	Room Room   `json:"room"`
}

// Update kinds.
const (
	UpdateCreated = "created"
	UpdateChanged = "changed"
	UpdateClosed  = "closed"
)

// SessionSeat is where a session's seat was last taken.
type SessionSeat struct {
	// Room is the room id, empty when the session has no seat on record.
	Room string
	// Node is the node that ran it; NodeURL its URL while it is alive.
	Node    string
	NodeURL string
	// Alive says the node is alive and the room still in the directory.
	Alive bool
}

// Hooks are the node's side of the directory: what it calls back.
type Hooks struct {
	// LocalRooms returns the rooms this node runs, with their seat counts,
	// for re-registration after the store came back and for sweeping
	// placements that never opened.
	LocalRooms func() []Room
	// Update receives every room change of another node.
	Update func(Update)
	// SessionClaimed is called when another node took a session's live
	// connection: this node closes its own connection of that session.
	SessionClaimed func(sessionID string)
	// Reconnected is called after the store came back and this node's
	// node record and rooms were registered again.
	Reconnected func()
	// Pause holds the node's placements (QuickPlay, Reserve, Honour and
	// the local seat that follows each) until the returned resume is
	// called, so that the counts of LocalRooms and the directory agree
	// while the rooms are registered again.
	Pause func() (resume func())
}

// Directory is the shared lobby directory. Methods that a player waits for
// take a context and return an error wrapping ErrUnavailable when the
// store cannot be reached; the others (marked async) queue their write
// and never block.
type Directory interface {
	// Start registers the node and keeps it registered (heartbeats), and
	// delivers other nodes' updates and session claims to hooks, until
	// Close.
	Start(ctx context.Context, self Node, hooks Hooks) error
	// Close stops the heartbeats and takes the node and its rooms out of
	// the directory.
	Close(ctx context.Context) error
	// Self returns this node.
	Self() Node
	// SetDraining marks this node as taking no new rooms.
	SetDraining(draining bool)

	// QuickPlay reserves a seat in the oldest quick-play room of mode with
	// a free seat on any live node, or places newRoom (ID, Code, Mode,
	// MaxPlayers set) on the least-loaded live node. The seat is for
	// holder (a session id), which holds at most one reserved seat in the
	// cluster: asking again gives up its earlier reservation, wherever it
	// was, before the seats are counted (even when the new placement then
	// fails). An empty holder gives up none.
	QuickPlay(ctx context.Context, mode, holder string, newRoom Room) (Placement, error)
	// Reserve reserves a seat for holder, as QuickPlay does, in the room
	// with id or, when id is empty, join code.
	Reserve(ctx context.Context, id, code, holder string) (Placement, error)
	// Honour takes the seat that reservation holds in room id, on this
	// node, exactly once.
	Honour(ctx context.Context, id, reservation string) error
	// Register records a room of this node as it is now (a room made by
	// CreateRoom, or all of them again after an outage).
	Register(ctx context.Context, r Room) error
	// Room returns the room id, if the directory has it.
	Room(ctx context.Context, id string) (Room, bool, error)

	// SetPhase records a room's new phase (async); a room that ended
	// keeps "ended".
	SetPhase(id, phase string)
	// SeatFreed gives back one seat of a room of this node (async).
	SeatFreed(id string)
	// Closed takes a room of this node out of the directory (async).
	Closed(id string)

	// Rooms returns the rooms of live nodes in cluster order.
	Rooms(ctx context.Context) ([]Room, error)
	// Nodes returns the live nodes.
	Nodes(ctx context.Context) ([]Node, error)

	// ClaimSession makes this node the holder of the session's live
	// connection; the node that held it before is told (Hooks).
	ClaimSession(ctx context.Context, sessionID string) error
	// Seat returns where the session's seat was last taken.
	Seat(ctx context.Context, sessionID string) (SessionSeat, error)
	// SetSeat records that the session took a seat in room id of this
	// node (async); an empty id clears it.
	SetSeat(sessionID, id string)
	// EndSession says the session's connection to this node ended
	// (async). Unless another node has claimed the session since, its
	// record goes, or with keep above 0 (a seat held for a reconnection)
	// lasts keep more instead of the session's whole life: records of
	// sessions that come and go must not pile up in the store.
	EndSession(sessionID string, keep time.Duration)
}

// opTimeout bounds one call to the store.
const opTimeout = 2 * time.Second

// Both implementations keep the whole contract.
var (
	_ Directory = (*Redis)(nil)
	_ Directory = (*Memory)(nil)
)
