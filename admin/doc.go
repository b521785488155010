// Package admin serves tickwire's admin API (docs/admin.md), which tickctl
// speaks, on a listener of its own: the server's figures, the live rooms
// with their tick timings and players, a room's world, live watch streams,
// kick, close, debug commands, streamed recordings, and /debug/pprof.
//
// admin owns the HTTP and WebSocket side of inspection and control: the
// routes, the JSON bodies, the watch and recording streams and their
// metrics. It reaches the lobby only through lobby.Operator (the live
// rooms, the server's counts, the release of a kicked seat) and the rooms
// through their own methods (game.Room, record.Recorder), which run on the
// rooms' goroutines: it must not take the lobby's locks nor reach into its
// registry, sessions or held seats, and the lobby must not import it.
package admin
