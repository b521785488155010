package record

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Hooks for the package's external tests (package record_test).

// DroppedForTest reads tickwire_recording_dropped_total{reason}.
func DroppedForTest(reason string) float64 {
	return testutil.ToFloat64(recordingDropped.WithLabelValues(reason))
}

// RefusedForTest reads tickwire_recording_refused_total{reason}.
func RefusedForTest(reason string) float64 {
	return testutil.ToFloat64(recordingRefused.WithLabelValues(reason))
}

// LogSizeForTest is the raw bytes the recorder's in-memory log holds and
// the bytes it took from its budget; call it on the room goroutine
// (Room.Exec) or once the room has ended.
func (rc *Recorder) LogSizeForTest() (size, held int64) { return rc.log.size, rc.log.held }

// LogInFileForTest reports whether the recorder's log has sealed chunks
// in a file; call it on the room goroutine (Room.Exec).
func (rc *Recorder) LogInFileForTest() bool { return rc.log.file != nil && len(rc.log.sealed) > 0 }

// SetLogChunkForTest makes the in-memory logs' chunks n bytes until the
// test ends, so that a short test seals many.
func SetLogChunkForTest(t testing.TB, n int) {
	old := logChunkSize
	logChunkSize = n
	t.Cleanup(func() { logChunkSize = old })
}
