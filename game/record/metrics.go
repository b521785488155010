package record

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Reasons a recording, or the log behind it, is dropped
// (tickwire_recording_dropped_total).
const (
	// dropBufferFull: the log outgrew Options.LogBytes.
	dropBufferFull = "buffer_full"
	// dropBudget: the log needed a chunk the server-wide Budget
	// could not give.
	dropBudget = "budget"
	// dropSlowWriter: a writer fell Options.QueueBytes behind.
	dropSlowWriter = "slow_writer"
	// dropWriteError: a writer returned an error.
	dropWriteError = "write_error"
	// dropOpenError: the Options.Dir file could not be created.
	dropOpenError = "open_error"
	// dropFlushTimeout: an ending room gave up waiting for a writer.
	dropFlushTimeout = "flush_timeout"
	// dropLogCorrupt: a compressed chunk of the log did not
	// inflate to the bytes it was sealed from (a bug, never expected): the
	// recording writing it stops and the log is dropped.
	dropLogCorrupt = "log_corrupt"
	// dropLogIO: the log's file (Options.LogDir) could not be made,
	// written or read back: the log is dropped, and a recording reading
	// it stops.
	dropLogIO = "log_io_error"
)

// Reasons Start refuses a recording (tickwire_recording_refused_total).
const (
	// refuseUnavailable: the log from tick 0 is gone.
	refuseUnavailable = "recording_unavailable"
	// refuseBusy: a recording Start started still runs.
	refuseBusy = "recording_busy"
)

var (
	recordingsActive = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_recordings_active",
		Help: "Recordings of rooms being written (record-dir files and streamed recordings).",
	})
	recordingDropped = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_recording_dropped_total",
		Help: "Recordings stopped, or rooms' logs dropped, by reason (buffer_full, budget, slow_writer, write_error, open_error, flush_timeout, log_corrupt, log_io_error).",
	}, []string{"reason"})
	recordingRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_recording_refused_total",
		Help: "Recordings refused at their start, by reason (recording_unavailable, recording_busy).",
	}, []string{"reason"})
	recordLogBytes = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tickwire_recording_log_bytes",
		Help: "Bytes the rooms' logs (in memory or in their files) take from their recording log budgets.",
	})
)
