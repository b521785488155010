package game

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// RecordFileExt is the extension of the files RoomConfig.RecordDir holds.
const RecordFileExt = ".twrec"

// A room records its calls into its Game (see docs/recording.md): from tick
// 0 into a bounded in-memory log, and to every running recording (a sink).
// A recording holds the header, the log so far, then every new entry, so it
// replays from tick 0 whenever it was started.

// StartRecording starts recording the room to w: the header and the log
// from tick 0 are written first, then every new entry as the room runs,
// from a goroutine the room owns, so a slow w never holds up the tick (one
// that falls RoomConfig.RecordQueueBytes behind is stopped, and
// StopRecording then returns ErrRecordingOverflow). The recording lasts
// until StopRecording or the end of the room, after which w is no longer
// used. It returns ErrRecordingUnavailable when the log from tick 0 is gone,
// ErrRecordingBusy when a recording it started still runs, ErrRoomClosed or
// ctx's error.
func (r *Room) StartRecording(ctx context.Context, w io.Writer) error {
	if w == nil {
		return errors.New("start recording: nil writer")
	}
	_, err := do(ctx, r, "start recording", func() (struct{}, error) { return struct{}{}, r.startAPIRecording(w) })
	return err
}

// StopRecording stops the recording StartRecording started and waits until
// its writer has written (and flushed, through the room's buffer) every
// entry, or ctx ends. It returns the recording's outcome: nil, a write
// error, or ErrRecordingOverflow. A recording the end of the room already
// stopped is waited for the same way. It returns ErrNotRecording when there
// is none.
func (r *Room) StopRecording(ctx context.Context) error {
	s := r.apiSink.Swap(nil)
	if s == nil {
		return ErrNotRecording
	}
	_, err := do(ctx, r, "stop recording", func() (struct{}, error) {
		r.rec.flush()
		r.rec.stopSink(s)
		return struct{}{}, nil
	})
	if err != nil && !errors.Is(err, ErrRoomClosed) {
		// The room has not stopped it yet: keep it findable.
		r.apiSink.CompareAndSwap(nil, s)
		return err
	}
	// ErrRoomClosed: the room's end stopped every sink.
	select {
	case <-s.done:
		return s.err
	case <-ctx.Done():
		return fmt.Errorf("stop recording: %w", ctx.Err())
	}
}

// startAPIRecording starts StartRecording's sink. Room goroutine only.
func (r *Room) startAPIRecording(w io.Writer) error {
	if s := r.apiSink.Load(); s != nil && !s.closed {
		adminRefused.WithLabelValues(refuseRecordingBusy).Inc()
		return ErrRecordingBusy
	}
	if !r.rec.available() {
		adminRefused.WithLabelValues(refuseUnavailable).Inc()
		return ErrRecordingUnavailable
	}
	s := newSink("api", w, nil, r.cfg.RecordQueueBytes)
	r.rec.startSink(s)
	r.apiSink.Store(s)
	r.cfg.Logger.Info("recording started", "room", r.cfg.ID, "tick", r.tick, "log_bytes", r.rec.size)
	return nil
}

// startFileRecording starts recording to <RecordDir>/<ID>.twrec when
// RecordDir is set; it runs before the room's first call into its Game. A
// file that cannot be created is logged and counted, and the room runs on.
func (r *Room) startFileRecording() {
	if r.cfg.RecordDir == "" {
		return
	}
	if r.cfg.ID != filepath.Base(r.cfg.ID) || r.cfg.ID == "." || r.cfg.ID == ".." {
		recordingDropped.WithLabelValues(recDropOpenError).Inc()
		r.cfg.Logger.Error("room id is not a file name; not recording", "room", r.cfg.ID)
		return
	}
	path := filepath.Join(r.cfg.RecordDir, r.cfg.ID+RecordFileExt)
	f, err := os.Create(path)
	if err != nil {
		recordingDropped.WithLabelValues(recDropOpenError).Inc()
		r.cfg.Logger.Error("cannot create the recording file; not recording", "room", r.cfg.ID, "err", err)
		return
	}
	r.rec.startSink(newSink("file", f, f, r.cfg.RecordQueueBytes))
	r.cfg.Logger.Debug("recording to file", "room", r.cfg.ID, "path", path)
}

// finishRecording hands the last entries to every sink, closes them and
// waits up to RecordFlushTimeout for their writers. It runs as Run returns.
func (r *Room) finishRecording() {
	r.rec.flush()
	sinks := append([]*sink(nil), r.rec.sinks...)
	for _, s := range sinks {
		r.rec.stopSink(s)
	}
	for _, s := range sinks {
		if !s.wait(r.cfg.RecordFlushTimeout) {
			// The goroutine exits once the stuck Write returns.
			recordingDropped.WithLabelValues(recDropFlushTimeout).Inc()
			r.cfg.Logger.Warn("recording writer did not flush in time", "room", r.cfg.ID, "kind", s.kind, "timeout", r.cfg.RecordFlushTimeout)
			continue
		}
		if s.err != nil && !errors.Is(s.err, ErrRecordingOverflow) {
			r.cfg.Logger.Warn("recording ended with an error", "room", r.cfg.ID, "kind", s.kind, "err", s.err)
		}
	}
}
