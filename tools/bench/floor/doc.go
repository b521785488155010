// Command floor is the CPU floor of the arena-move scenario for a Go
// server built on gorilla/websocket: a server that does nothing but the
// scenario's messages, and a load generator for it. tools/bench runs it
// as its third server (-servers floor) beside tickwire and the Colyseus
// peer, so that docs/benchmarks.md can say what any server of this
// design costs before it runs a game.
//
//	floor -serve -addr 127.0.0.1:7790 -debug-addr 127.0.0.1:7791
//	floor -load -server 127.0.0.1:7790 -bots 800 -source-addrs 127.1.0.0/16
//
// The server seats connections in rooms of -room-size. Each room's
// goroutine sends every member a binary message of -frame-bytes at
// -snapshot-hz, one after the other, with no deadline and no goroutine per
// write; each connection's goroutine blocks in gorilla's read, as
// tickwire's readers do, and keeps the sequence number in the first four
// bytes of each input, which the next frame carries back as its ack. It
// decodes nothing else, keeps no game state and has no budgets: what it
// costs is WebSocket framing, the system calls and the goroutines that
// wait for them. -debug-addr serves Go's profiles of it, so that the
// harness's -cpuprofile can take one.
//
// -procs sets how many processors run its Go code; the harness gives it
// one, where it costs least.
//
// The load generator dials -bots connections at -ramp a second, sends
// each -input-hz inputs of -input-bytes, and writes tickbot's -stats lines
// (docs/tickbot.md) to stdout. As tickbot does, it samples input→ack for
// every input a frame acknowledges, in the same 1 % buckets; it never
// reports a desync, as the frames carry no state.
//
// It imports nothing of tickwire's but the stats line format of
// tools/bench/loadstats, and must not: it measures the transport alone.
package main
