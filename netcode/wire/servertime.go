package wire

import "time"

// processStart anchors ServerTimeUS; time.Now carries a monotonic reading, so
// differences from it never jump with wall-clock changes.
var processStart = time.Now()

// ServerTimeUS returns the server clock: monotonic microseconds since the
// process started. Pong, Welcome and Snapshot all use it, so clients can
// estimate one offset for all of them.
func ServerTimeUS() int64 {
	return time.Since(processStart).Microseconds()
}

// DeriveServerTimeUS is the server time of a snapshot tick that carries
// none (docs/protocol.md, "Server time"): the time anchorUS of the last
// snapshot tick anchorTick that carried one, plus the ticks since at the
// room's tickHz, in whole microseconds rounded down. Server and clients
// compute it alike.
func DeriveServerTimeUS(anchorTick uint32, anchorUS int64, tick uint32, tickHz int) int64 {
	return anchorUS + int64(tick-anchorTick)*1_000_000/int64(max(tickHz, 1))
}
