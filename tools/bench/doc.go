// Command bench is the benchmark harness of the arena-move scenario
// (docs/benchmarks.md): it builds and starts the tickwire server and
// tickbot, and the Colyseus peer of tools/bench/peer with its load
// generator, waits for steady state, measures a window and reports every
// figure of both servers side by side, with their ratio. -servers also
// takes floor: tools/bench/floor, the scenario's messages alone on
// gorilla/websocket, what that transport costs a Go server of tickwire's
// design before it runs a game.
//
//	go run ./tools/bench -clients 800 -runs 2 -json bench.json
//	go run ./tools/bench -sweep 250,500,1000,2000,4000 -repeat 3 -sweep-svg docs/bench-sweep.svg
//
// It owns the measurement only: process CPU and memory from /proc, the
// load generators' counter streams (tickbot -stats, and the same lines
// from the peer's loadgen.mjs and the floor's), the server's Prometheus
// /metrics, and the report, table and plot made of them. It imports
// nothing of tickwire's but the stats line format of
// tools/bench/loadstats: it runs the commands as a user would. Linux only
// (it reads /proc).
package main
