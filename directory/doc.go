// Package directory is the lobby directory shared by the tickwire nodes of a
// cluster: which nodes are alive and where clients reach them, which rooms
// each node runs (mode, phase, seats, capacity, join code), the seat
// reservations handed to clients sent from one node to another (one per
// session at a time), which node holds each session's live connection and
// seat (for as long as the connection or a held seat lasts), and the
// stream of room changes every node relays to its listing subscribers.
//
// Directory is the interface the lobby consumes. Redis implements it on a
// Redis server (go-redis's universal client: one server, Sentinel or
// Cluster); Memory implements the same contract in one process's memory,
// for several lobbies in one program and for tests. A single node needs no
// directory at all: the lobby's own registry is the embedded default.
//
// Seat counts change only inside Lua scripts, so concurrent quick plays on
// many nodes never overfill a room. Rooms and their tick loops stay on the
// node that runs them: nothing here is on a room's tick path, and every
// write a room's life causes is queued and sent by one goroutine, so a
// Redis outage costs matchmaking, never a tick.
//
// directory must not import the lobby, game rules or sockets.
package directory
