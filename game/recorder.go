package game

import (
	"log/slog"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"
)

// logChunkSize is the size of one chunk of a room's in-memory log: the log
// grows by chunks, so it never copies itself and wastes at most one chunk.
const logChunkSize = 64 << 10

// recorder keeps a room's record of its calls into the Game: the in-memory
// log from tick 0 (for recordings started later) and the batch of entries
// not yet handed to the running sinks. Room goroutine only. When there is
// neither a log nor a sink, the room encodes nothing.
type recorder struct {
	log     *slog.Logger
	enc     entryEncoder
	header  []byte // the length-delimited RecordHeader
	chunks  [][]byte
	size    int  // bytes in chunks
	budget  int  // RecordBufferBytes
	keep    bool // the log is kept: not disabled, not yet outgrown
	sealed  bool // the last chunk is shared with a sink: start a new one
	entries int  // calls into the Game since the room began, recorded or not
	sinks   []*sink
	pending []byte // entries since the last flush, for the sinks
	scratch []byte // one entry
}

// newRecorder returns a recorder whose log keeps up to budget bytes (none
// when budget < 0).
func newRecorder(log *slog.Logger, header []byte, budget int) recorder {
	return recorder{log: log, header: header, budget: budget, keep: budget >= 0}
}

// on reports whether entries are recorded at all.
func (rc *recorder) on() bool { return rc.keep || len(rc.sinks) > 0 }

// want counts one call into the Game and reports whether to encode it.
func (rc *recorder) want() bool {
	rc.entries++
	return rc.on()
}

// add records one encoded entry (in rc.scratch).
func (rc *recorder) add() {
	e := rc.scratch
	if rc.keep {
		rc.keepEntry(e)
	}
	if len(rc.sinks) > 0 {
		rc.pending = append(rc.pending, e...)
	}
}

// keepEntry appends e to the in-memory log, or drops the log when e would
// take it over budget.
func (rc *recorder) keepEntry(e []byte) {
	if rc.size+len(e) > rc.budget {
		rc.keep, rc.chunks, rc.size = false, nil, 0
		recordingDropped.WithLabelValues(recDropBufferFull).Inc()
		rc.log.Warn("recording log outgrew its buffer; recordings can no longer start", "budget_bytes", rc.budget)
		return
	}
	rc.size += len(e)
	if n := len(rc.chunks); n > 0 && !rc.sealed {
		if last := rc.chunks[n-1]; cap(last)-len(last) >= len(e) {
			rc.chunks[n-1] = append(last, e...)
			return
		}
	}
	rc.sealed = false
	chunk := make([]byte, 0, max(logChunkSize, len(e)))
	rc.chunks = append(rc.chunks, append(chunk, e...))
}

// available reports whether a recording started now would hold every call
// into the Game since the room began.
func (rc *recorder) available() bool { return rc.keep || rc.entries == 0 }

// startSink flushes the pending batch to the running sinks, then starts s
// with the header and the whole log so far, and adds it to the sinks. The
// chunks handed over are sealed: the log never writes to them again.
func (rc *recorder) startSink(s *sink) {
	rc.flush()
	initial := make([][]byte, 0, len(rc.chunks)+1)
	initial = append(initial, rc.header)
	initial = append(initial, rc.chunks...)
	rc.sealed = true
	s.start(initial)
	rc.sinks = append(rc.sinks, s)
	recordingsActive.Inc()
}

// flush hands the pending entries to every sink, stopping the sinks that
// fell behind or failed.
func (rc *recorder) flush() {
	if len(rc.pending) == 0 {
		return
	}
	batch := rc.pending
	rc.pending = make([]byte, 0, len(batch))
	for _, s := range slices.Clone(rc.sinks) {
		if !s.offer(batch) {
			reason := recDropSlowWriter
			if s.failed.Load() {
				reason = recDropWriteError
			}
			recordingDropped.WithLabelValues(reason).Inc()
			rc.log.Warn("recording stopped", "kind", s.kind, "reason", reason)
			rc.stopSink(s)
		}
	}
}

// stopSink closes s and forgets it; a sink already stopped is left alone.
func (rc *recorder) stopSink(s *sink) {
	i := slices.Index(rc.sinks, s)
	if i < 0 {
		return
	}
	rc.sinks = slices.Delete(rc.sinks, i, i+1)
	if len(rc.sinks) == 0 {
		rc.pending = rc.pending[:0]
	}
	s.close()
	recordingsActive.Dec()
}

// The entries, one per call of the room into its Game; each is a no-op
// when nothing records.

func (rc *recorder) join(p PlayerID, name string, entity uint32, refused bool) {
	if rc.want() {
		rc.scratch = rc.enc.join(rc.scratch[:0], p, name, entity, refused)
		rc.add()
	}
}

func (rc *recorder) player(f protowire.Number, p PlayerID) {
	if rc.want() {
		rc.scratch = rc.enc.player(rc.scratch[:0], f, p)
		rc.add()
	}
}

func (rc *recorder) input(p PlayerID, in Input) {
	if rc.want() {
		rc.scratch = rc.enc.input(rc.scratch[:0], p, in)
		rc.add()
	}
}

func (rc *recorder) tick(f protowire.Number, tick uint32) {
	if rc.want() {
		rc.scratch = rc.enc.tick(rc.scratch[:0], f, tick)
		rc.add()
	}
}

func (rc *recorder) debug(command string) {
	if rc.want() {
		rc.scratch = rc.enc.debug(rc.scratch[:0], command)
		rc.add()
	}
}

func (rc *recorder) checksum(tick, sum uint32) {
	if rc.want() {
		rc.scratch = rc.enc.checksum(rc.scratch[:0], tick, sum)
		rc.add()
	}
}
