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
