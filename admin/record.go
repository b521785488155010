package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/record"
)

// RecordErrorTrailer is the HTTP trailer of a streamed recording: empty when
// the recording is complete, else why it ended early.
const RecordErrorTrailer = "Tickwire-Record-Error"

// recordBufferLimit bounds the recording bytes waiting for a slow HTTP
// client; past it the recording fails instead of holding up the room.
const recordBufferLimit = 32 << 20

// errRecordOverflow is what the room's writes get once the buffer is full.
var errRecordOverflow = errors.New("recording buffer full: the client reads too slowly")

// recordBuffer is the writer a room records into: writes append to memory
// and never block the room goroutine; the HTTP handler drains it.
type recordBuffer struct {
	mu       sync.Mutex
	buf      []byte
	overflow bool
	ready    chan struct{} // capacity 1: there are bytes to take
}

func newRecordBuffer() *recordBuffer {
	return &recordBuffer{ready: make(chan struct{}, 1)}
}

// Write implements io.Writer.
func (b *recordBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	if b.overflow || len(b.buf)+len(p) > recordBufferLimit {
		b.overflow = true
		b.mu.Unlock()
		return 0, errRecordOverflow
	}
	b.buf = append(b.buf, p...)
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
	return len(p), nil
}

// take returns the bytes written since the last take, and whether the
// buffer overflowed.
func (b *recordBuffer) take() ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.buf
	b.buf = nil
	return out, b.overflow
}

// serveRecord: GET /v1/admin/rooms/{id}/record?for=10s records the room's
// input log and checksums (game/record's format) for the duration and
// streams the bytes as they come. The RecordErrorTrailer trailer is empty
// when the recording is complete.
func (a *API) serveRecord(w http.ResponseWriter, r *http.Request) {
	room, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	dur, err := time.ParseDuration(r.URL.Query().Get("for"))
	if err != nil || dur <= 0 || dur > a.cfg.MaxRecordFor {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("for=%q: want a duration such as 10s, at most %v", r.URL.Query().Get("for"), a.cfg.MaxRecordFor))
		return
	}
	if !a.beginStream() {
		writeError(w, http.StatusServiceUnavailable, "the admin API is shutting down")
		return
	}
	defer a.streams.Done()
	buf := newRecordBuffer()
	sctx, scancel := context.WithTimeout(r.Context(), inspectTimeout)
	err = room.Recorder.Start(sctx, buf)
	scancel()
	switch {
	case errors.Is(err, record.ErrUnavailable), errors.Is(err, record.ErrBusy):
		recordFailures.WithLabelValues("start").Inc()
		writeError(w, http.StatusConflict, fmt.Sprintf("room %q cannot record now: %v", room.Room.ID(), err))
		return
	case err != nil:
		recordFailures.WithLabelValues("start").Inc()
		roomError(w, room.Room.ID(), err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", room.Room.ID()+".twrec"))
	w.Header().Set("Trailer", RecordErrorTrailer)
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()

	failure := a.pumpRecording(w, rc, r, room.Room, buf, dur)
	// Stop even after a failure, so the room lets go of the buffer; a
	// room that ended has stopped on its own.
	stopCtx, stopCancel := context.WithTimeout(context.Background(), inspectTimeout)
	stopErr := room.Recorder.Stop(stopCtx)
	stopCancel()
	switch {
	case stopErr == nil, errors.Is(stopErr, game.ErrRoomClosed), failure != "":
	case errors.Is(stopErr, record.ErrOverflow):
		failure = stopErr.Error()
		recordFailures.WithLabelValues("overflow").Inc()
	default:
		failure = "stop: " + stopErr.Error()
		recordFailures.WithLabelValues("stop").Inc()
	}
	rest, overflow := buf.take()
	if failure == "" && len(rest) > 0 {
		if _, err := w.Write(rest); err != nil {
			failure = "write: " + err.Error()
			recordFailures.WithLabelValues("write").Inc()
		}
	}
	if overflow && failure == "" {
		failure = errRecordOverflow.Error()
		recordFailures.WithLabelValues("overflow").Inc()
	}
	w.Header().Set(RecordErrorTrailer, failure)
}

// pumpRecording copies recorded bytes to the client until dur passed, the
// room ended, the client left or the admin API closes; it returns a
// failure text or "".
func (a *API) pumpRecording(w http.ResponseWriter, rc *http.ResponseController, r *http.Request, room *game.Room, buf *recordBuffer, dur time.Duration) string {
	timer := time.NewTimer(dur)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			return ""
		case <-room.Done():
			return ""
		case <-a.ctx.Done():
			return "server closing"
		case <-r.Context().Done():
			return "client left"
		case <-buf.ready:
			b, overflow := buf.take()
			if overflow {
				recordFailures.WithLabelValues("overflow").Inc()
				return errRecordOverflow.Error()
			}
			if _, err := w.Write(b); err != nil {
				recordFailures.WithLabelValues("write").Inc()
				return "write: " + err.Error()
			}
			_ = rc.Flush()
		}
	}
}
