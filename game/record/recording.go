package record

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tickwire/tickwire/game"
)

// FileExt is the extension of the files Options.Dir holds.
const FileExt = ".twrec"

// A Recorder keeps its room's calls into the Game (see docs/recording.md):
// from tick 0 in a bounded log, and in every running recording
// (a sink). A recording holds the header, the log so far, then every new
// entry, so it replays from tick 0 whenever it was started.

// Start starts recording the room to w: the header and the log from tick 0
// are written first, then every new entry as the room runs, from a
// goroutine the Recorder owns, so a slow w never holds up the tick (one
// that falls Options.QueueBytes behind is stopped, and Stop then returns
// ErrOverflow). The recording lasts until Stop or the end of the room,
// after which w is no longer used. It returns ErrUnavailable when the log
// from tick 0 is gone, ErrBusy when a recording it started still runs,
// game.ErrRoomClosed or ctx's error.
func (rc *Recorder) Start(ctx context.Context, w io.Writer) error {
	if w == nil {
		return errors.New("start recording: nil writer")
	}
	if rc.room == nil {
		return errors.New("start recording: the recorder belongs to no room")
	}
	return rc.room.Exec(ctx, "start recording", func() error { return rc.startAPI(w) })
}

// Stop stops the recording Start started and waits until its writer has
// written (and flushed, through the Recorder's buffer) every entry, or ctx
// ends. It returns the recording's outcome: nil, a write error, or
// ErrOverflow. A recording the end of the room already stopped is waited
// for the same way. It returns ErrNotRecording when there is none.
func (rc *Recorder) Stop(ctx context.Context) error {
	s := rc.apiSink.Swap(nil)
	if s == nil {
		return ErrNotRecording
	}
	err := rc.room.Exec(ctx, "stop recording", func() error {
		rc.flush()
		rc.stopSink(s)
		return nil
	})
	if err != nil && !errors.Is(err, game.ErrRoomClosed) {
		// The room has not stopped it yet: keep it findable.
		rc.apiSink.CompareAndSwap(nil, s)
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

// startAPI starts Start's sink. Room goroutine only.
func (rc *Recorder) startAPI(w io.Writer) error {
	if s := rc.apiSink.Load(); s != nil && !s.closed {
		recordingRefused.WithLabelValues(refuseBusy).Inc()
		return ErrBusy
	}
	if !rc.available() {
		recordingRefused.WithLabelValues(refuseUnavailable).Inc()
		return ErrUnavailable
	}
	s := newSink("api", w, nil, rc.opts.QueueBytes)
	rc.startSink(s)
	rc.apiSink.Store(s)
	rc.logger.Info("recording started", "entries", rc.entries, "log_bytes", rc.log.size, "log_held_bytes", rc.log.held)
	return nil
}

// startFile starts recording to <Dir>/<room id>.twrec when Dir is set; it
// runs before the room's first call into its Game is recorded. A file that
// cannot be created is logged and counted, and the room runs on.
func (rc *Recorder) startFile() {
	if rc.opts.Dir == "" {
		return
	}
	if rc.id != filepath.Base(rc.id) || rc.id == "." || rc.id == ".." {
		recordingDropped.WithLabelValues(dropOpenError).Inc()
		rc.logger.Error("room id is not a file name; not recording")
		return
	}
	path := filepath.Join(rc.opts.Dir, rc.id+FileExt)
	f, err := os.Create(path)
	if err != nil {
		recordingDropped.WithLabelValues(dropOpenError).Inc()
		rc.logger.Error("cannot create the recording file; not recording", "err", err)
		return
	}
	rc.startSink(newSink("file", f, f, rc.opts.QueueBytes))
	rc.logger.Debug("recording to file", "path", path)
}

// Close implements game.Recorder: it hands the last entries to every sink,
// closes them, waits up to Options.FlushTimeout for their writers, and
// gives the log's memory back to the budget. The room calls it as Run
// returns.
func (rc *Recorder) Close() {
	rc.flush()
	sinks := append([]*sink(nil), rc.sinks...)
	for _, s := range sinks {
		rc.stopSink(s)
	}
	rc.keep = false
	rc.log.release()
	for _, s := range sinks {
		if !s.wait(rc.opts.FlushTimeout) {
			// The goroutine exits once the stuck Write returns.
			recordingDropped.WithLabelValues(dropFlushTimeout).Inc()
			rc.logger.Warn("recording writer did not flush in time", "kind", s.kind, "timeout", rc.opts.FlushTimeout)
			continue
		}
		if s.err != nil && !errors.Is(s.err, ErrOverflow) {
			rc.logger.Warn("recording ended with an error", "kind", s.kind, "err", s.err)
		}
	}
}
