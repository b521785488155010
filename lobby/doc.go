// Package lobby is tickwire's front door: it accepts WebSocket connections at
// /ws, runs each connection's session (handshake, join, leave, routing of
// inputs and acks to the player's seat), keeps the registry of rooms of every
// game mode (each opened with its mode's settings from the game.Modes
// catalogue), and puts quick-play players into rooms of their mode with free
// seats. It also holds seats for reconnection, signs session tokens and
// serves the lobby HTTP API (/v1/modes, /v1/rooms, /v1/session). The admin
// API (package admin) sees it through Operator, a narrow view of the live
// rooms and the server's counts.
//
// It keeps the front door's budgets (limits.go, budget.go): what one client
// address (clientaddr.go: the TCP peer, or behind a trusted proxy the
// address X-Forwarded-For names), one session and the whole server may
// take of connections (listener.go wraps the public listener and sets the
// HTTP server's timeouts; idle.go closes lobby-only connections), guest
// sign-ins, rooms, joins and joins that name no live room (joinroom.go),
// listings (pages encoded once per change, listing.go), metrics scrapes,
// held seats and origins (origin.go); names are checked in names.go.
//
// Sessions outlive connections: the session table (sessions.go, behind
// SessionStore) retires renewed tokens and keeps operators' revocations
// (revoke.go). A stop drains first (drain.go): no new players, running
// matches end or are ended with their results, which a ResultsWriter
// (results.go) appends to a file as JSON lines.
//
// lobby owns sessions and the room registry and starts and waits for every
// room goroutine, each with its recorder (game/record). It must not run
// game rules (that is the Game behind a game.Room), read or write socket
// bytes itself (that is netcode.Conn), nor import the admin API.
package lobby
