// Package loadstats is the line format of a load generator's counter
// stream, the keys of tickbot's -stats lines (docs/tickbot.md), for the
// tools that write or read it outside tickbot: the harness of tools/bench
// reads the lines, the floor of tools/bench/floor writes them. The Colyseus
// peer's loadgen.mjs writes the same keys in JavaScript.
//
// It owns the format and its input→ack buckets only, and imports nothing
// of tickwire's, so that the floor measures the transport alone.
package loadstats
