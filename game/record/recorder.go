package record

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/tickwire/tickwire/game"
)

// Defaults of Options.
const (
	// DefaultLogBytes bounds the bytes of a room's log of its calls into
	// the Game, kept so that a recording started mid-match still
	// replays from tick 0. Compressed, a 16-player arena room logs about
	// 125 KiB a minute, so 2 MiB holds a 5-minute match three times over.
	DefaultLogBytes = 2 << 20
	// DefaultQueueBytes bounds the recorded bytes waiting for a slow
	// recording writer; beyond it the recording stops.
	DefaultQueueBytes = 4 << 20
	// DefaultFlushTimeout is how long an ending room waits for its
	// recording writers to flush.
	DefaultFlushTimeout = 5 * time.Second
)

// Options configure the Recorder of one room.
type Options struct {
	// LogBytes bounds the bytes of the room's log of its calls, from tick
	// 0, that Start writes before streaming: the compressed
	// full chunks and the chunk being filled (log.go). 0 means
	// DefaultLogBytes, negative keeps no log. When the log outgrows it,
	// the Recorder drops it (recordings already running go on) and Start
	// returns ErrUnavailable from then on.
	LogBytes int
	// Budget, when set, is the server-wide bound the log's bytes are taken
	// from: a chunk when one is opened, its compressed size when it is
	// full; a log that cannot get more is dropped as one that outgrew
	// LogBytes. What the log took returns to the budget when it is dropped
	// or the room ends.
	Budget *Budget
	// LogDir, when set, is where the log keeps its full (compressed)
	// chunks: in a temporary file of its own, removed from LogDir as soon
	// as it is made, so only the chunk being filled stays in memory.
	// Empty keeps every chunk in memory. A log whose file cannot be made
	// or written is dropped.
	LogDir string
	// Dir, if set, records the whole room to the file <Dir>/<room
	// id>.twrec (FileExt), from the room's first call into its Game to its
	// end.
	Dir string
	// QueueBytes bounds the bytes a recording writer may fall behind by
	// before the recording is stopped (0 means DefaultQueueBytes); the
	// tick never waits for a writer.
	QueueBytes int
	// FlushTimeout is how long an ending room waits for its recording
	// writers to flush (0 means DefaultFlushTimeout).
	FlushTimeout time.Duration
}

// Recorder is the game.Recorder that writes recordings of one room: it
// keeps the bounded log of the room's calls from tick 0, writes
// every room to Options.Dir when set, and streams recordings started with
// Start. Give it to the room as RoomConfig.Recorder (one Recorder per
// room); the room calls it on its own goroutine, and Start and Stop reach
// it there through Room.Exec.
//
// Every entry is encoded by hand straight into the log (entry.go), so that
// recording an input costs no allocation. When there is neither a log nor
// a recording, the Recorder encodes nothing.
type Recorder struct {
	opts Options
	// room and header are set by Open, before the room runs.
	room   *game.Room
	id     string
	header []byte // the length-delimited RecordHeader
	logger *slog.Logger

	// apiSink is the recording Start started, until Stop takes it.
	apiSink atomic.Pointer[sink]
	// running counts the sinks, for Recording.
	running atomic.Int32

	// Owned by the room goroutine.
	enc     entryEncoder
	log     chunkLog
	keep    bool // the log is kept: not disabled, not yet dropped
	entries int  // calls into the Game since the room began, recorded or not
	sinks   []*sink
	pending []byte // entries since the last EndTick, for the sinks
	scratch []byte // one entry
}

// NewRecorder returns a Recorder with opts (zero fields take defaults).
func NewRecorder(opts Options) (*Recorder, error) {
	switch {
	case opts.QueueBytes < 0:
		return nil, fmt.Errorf("recorder: queue bytes %d < 0", opts.QueueBytes)
	case opts.FlushTimeout < 0:
		return nil, fmt.Errorf("recorder: flush timeout %v < 0", opts.FlushTimeout)
	}
	if opts.LogBytes == 0 {
		opts.LogBytes = DefaultLogBytes
	}
	if opts.QueueBytes == 0 {
		opts.QueueBytes = DefaultQueueBytes
	}
	if opts.FlushTimeout == 0 {
		opts.FlushTimeout = DefaultFlushTimeout
	}
	return &Recorder{opts: opts, keep: opts.LogBytes > 0, logger: slog.Default(),
		log: chunkLog{limit: int64(opts.LogBytes), budget: opts.Budget, dir: opts.LogDir}}, nil
}

// Recording reports whether a recording is being written (a Dir file or
// Start's writer). It is safe to call from any goroutine.
func (rc *Recorder) Recording() bool { return rc.running.Load() > 0 }

// Open implements game.Recorder: it learns the room it records and
// encodes the recording's header.
func (rc *Recorder) Open(room *game.Room, cfg game.RoomConfig) {
	rc.room, rc.id = room, cfg.ID
	rc.logger = cfg.Logger.With("room", cfg.ID)
	header, err := appendHeader(nil, cfg, time.Now().Unix())
	if err != nil {
		// No recording of this room could be read: keep nothing.
		rc.logger.Error("cannot encode the recording header; not recording", "err", err)
		rc.keep, rc.opts.Dir = false, ""
		return
	}
	rc.header = header
}

// on reports whether entries are recorded at all.
func (rc *Recorder) on() bool { return rc.keep || len(rc.sinks) > 0 }

// want counts one call into the Game and reports whether to encode it. The
// first call starts the Dir file, so that it holds every call.
func (rc *Recorder) want() bool {
	if rc.entries == 0 {
		rc.startFile()
	}
	rc.entries++
	return rc.on()
}

// add records one encoded entry (in rc.scratch).
func (rc *Recorder) add() {
	e := rc.scratch
	if rc.keep {
		rc.keepEntry(e)
	}
	if len(rc.sinks) > 0 {
		rc.pending = append(rc.pending, e...)
	}
}

// keepEntry appends e to the log, or drops the log when it
// would outgrow LogBytes or finds the budget spent.
func (rc *Recorder) keepEntry(e []byte) {
	switch err := rc.log.append(e); {
	case err == nil:
	case errors.Is(err, errLogBudget):
		rc.dropLog(dropBudget, "the server's recording log budget is spent; this room's log is dropped, recordings of it can no longer start",
			"budget_bytes", rc.opts.Budget.Limit())
	case errors.Is(err, errLogIO):
		rc.dropLog(dropLogIO, "cannot write the recording log's file; this room's log is dropped, recordings of it can no longer start",
			"dir", rc.opts.LogDir, "err", err)
	default:
		rc.dropLog(dropBufferFull, "recording log outgrew its buffer; recordings can no longer start", "log_bytes", rc.opts.LogBytes)
	}
}

// dropLog forgets the log for good, gives its bytes back to the
// budget and counts why.
func (rc *Recorder) dropLog(reason, msg string, args ...any) {
	rc.log.release()
	rc.keep = false
	recordingDropped.WithLabelValues(reason).Inc()
	rc.logger.Warn(msg, args...)
}

// available reports whether a recording started now would hold every call
// into the Game since the room began.
func (rc *Recorder) available() bool { return rc.header != nil && (rc.keep || rc.entries == 0) }

// startSink flushes the pending batch to the running sinks, then starts s
// with the header and the whole log so far, and adds it to the sinks.
func (rc *Recorder) startSink(s *sink) {
	rc.flush()
	s.start(rc.header, rc.log.snapshot())
	rc.sinks = append(rc.sinks, s)
	rc.running.Add(1)
	recordingsActive.Inc()
}

// flush hands the pending entries to every sink, stopping the sinks that
// fell behind or failed.
func (rc *Recorder) flush() {
	if len(rc.pending) == 0 {
		return
	}
	batch := rc.pending
	rc.pending = make([]byte, 0, len(batch))
	for _, s := range slices.Clone(rc.sinks) {
		if !s.offer(batch) {
			reason := dropSlowWriter
			switch {
			case s.corrupt.Load():
				reason = dropLogCorrupt
			case s.unreadable.Load():
				reason = dropLogIO
			case s.failed.Load():
				reason = dropWriteError
			}
			recordingDropped.WithLabelValues(reason).Inc()
			rc.logger.Warn("recording stopped", "kind", s.kind, "reason", reason)
			rc.stopSink(s)
			if (reason == dropLogCorrupt || reason == dropLogIO) && rc.keep {
				// Every recording started from it would fail the same way.
				rc.dropLog(reason, "the recording log cannot be read back; it is dropped, recordings can no longer start")
			}
		}
	}
}

// stopSink closes s and forgets it; a sink already stopped is left alone.
func (rc *Recorder) stopSink(s *sink) {
	i := slices.Index(rc.sinks, s)
	if i < 0 {
		return
	}
	rc.sinks = slices.Delete(rc.sinks, i, i+1)
	if len(rc.sinks) == 0 {
		rc.pending = rc.pending[:0]
	}
	s.close()
	rc.running.Add(-1)
	recordingsActive.Dec()
}

// The game.Recorder entries, one per call of the room into its Game; each
// is a no-op when nothing records.

// Join implements game.Recorder.
func (rc *Recorder) Join(p game.PlayerID, name string, entity uint32, refused bool) {
	if rc.want() {
		rc.scratch = rc.enc.join(rc.scratch[:0], p, name, entity, refused)
		rc.add()
	}
}

// Leave implements game.Recorder.
func (rc *Recorder) Leave(p game.PlayerID) { rc.player(entryLeave, p) }

// Disconnected implements game.Recorder.
func (rc *Recorder) Disconnected(p game.PlayerID) { rc.player(entryDisconnected, p) }

// Reconnected implements game.Recorder.
func (rc *Recorder) Reconnected(p game.PlayerID) { rc.player(entryReconnected, p) }

func (rc *Recorder) player(f protowire.Number, p game.PlayerID) {
	if rc.want() {
		rc.scratch = rc.enc.player(rc.scratch[:0], f, p)
		rc.add()
	}
}

// Input implements game.Recorder.
func (rc *Recorder) Input(p game.PlayerID, in game.Input) {
	if rc.want() {
		rc.scratch = rc.enc.input(rc.scratch[:0], p, in)
		rc.add()
	}
}

// Message implements game.Recorder.
func (rc *Recorder) Message(p game.PlayerID, m game.Message) {
	if rc.want() {
		rc.scratch = rc.enc.message(rc.scratch[:0], p, m)
		rc.add()
	}
}

// StartMatch implements game.Recorder.
func (rc *Recorder) StartMatch(tick uint32) { rc.tick(entryStartMatch, tick) }

// Step implements game.Recorder.
func (rc *Recorder) Step(tick uint32) { rc.tick(entryStep, tick) }

func (rc *Recorder) tick(f protowire.Number, tick uint32) {
	if rc.want() {
		rc.scratch = rc.enc.tick(rc.scratch[:0], f, tick)
		rc.add()
	}
}

// Debug implements game.Recorder.
func (rc *Recorder) Debug(command string) {
	if rc.want() {
		rc.scratch = rc.enc.debug(rc.scratch[:0], command)
		rc.add()
	}
}

// WantsChecksum implements game.Recorder: checksums are wanted while
// anything records.
func (rc *Recorder) WantsChecksum() bool { return rc.on() }

// Checksum implements game.Recorder.
func (rc *Recorder) Checksum(tick, sum uint32) {
	if rc.want() {
		rc.scratch = rc.enc.checksum(rc.scratch[:0], tick, sum)
		rc.add()
	}
}

// EndTick implements game.Recorder: the tick's entries go to the sinks.
func (rc *Recorder) EndTick() { rc.flush() }

// Errors of recordings.
var (
	// ErrUnavailable means the room no longer holds its log from tick 0
	// (it outgrew Options.LogBytes, the budget was spent, its file could
	// not be made, written or read, or it is disabled), so a recording
	// started now could not be replayed.
	ErrUnavailable = errors.New("recording unavailable: the room's log from tick 0 is gone")
	// ErrBusy means Start found a recording it started still running.
	ErrBusy = errors.New("room is already recording")
	// ErrNotRecording means Stop found no recording to stop.
	ErrNotRecording = errors.New("room is not recording")
	// ErrOverflow means the writer fell more than Options.QueueBytes
	// behind, so the recording was stopped; what was written is a valid
	// but truncated recording.
	ErrOverflow = errors.New("recording stopped: the writer fell too far behind")
)
