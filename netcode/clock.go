package netcode

import "time"

// clockStart anchors monoNanos; time.Now carries a monotonic reading, so
// differences from it never jump with wall-clock changes.
var clockStart = time.Now()

// monoNanos returns monotonic nanoseconds since the package was loaded, for
// cheap atomic timestamps; only differences between two readings matter.
func monoNanos() int64 {
	return int64(time.Since(clockStart))
}
