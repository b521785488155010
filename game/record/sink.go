package record

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// sinkQueueBatches bounds the batches (one per tick) waiting for a sink's
// writer, besides the byte bound Options.QueueBytes.
const sinkQueueBatches = 1024

// sinkFlushEvery is how often a writer that keeps up is flushed, so that a
// recording streams instead of waiting for a full buffer.
const sinkFlushEvery = 200 * time.Millisecond

// sink is one recording being written: the room goroutine hands it batches
// of encoded entries without ever blocking, and the sink's own goroutine
// (started and waited for by the Recorder) writes them. A sink that falls
// Options.QueueBytes behind is stopped by the Recorder.
type sink struct {
	kind   string    // "file" (Options.Dir) or "api" (Start), for logs
	w      io.Writer // written only by the sink goroutine
	closer io.Closer // closed after the last write, if set (Dir files)
	limit  int64
	ch     chan []byte
	done   chan struct{} // closed when the goroutine is done with w

	queued     atomic.Int64 // bytes handed over and not yet written
	failed     atomic.Bool  // the writer returned an error, or the log could not be read
	corrupt    atomic.Bool  // the log did not inflate (errLogCorrupt)
	unreadable atomic.Bool  // the log's file could not be read (errLogIO)
	overflowed atomic.Bool  // the room stopped the sink for falling behind

	// err is why the sink ended (nil: every entry written); read it after
	// done is closed.
	err error

	// closed is set when the room closed ch. Room goroutine only.
	closed bool
}

// newSink returns a sink writing to w; start runs it.
func newSink(kind string, w io.Writer, closer io.Closer, limit int) *sink {
	return &sink{kind: kind, w: w, closer: closer, limit: int64(limit),
		ch: make(chan []byte, sinkQueueBatches), done: make(chan struct{})}
}

// start runs the sink's goroutine, which writes the header and the log so
// far (both immutable) and then every batch offered.
func (s *sink) start(header []byte, log logSnapshot) {
	go s.run(header, log)
}

// offer hands batch (immutable from now on) to the writer. It reports false
// when the writer fell too far behind or failed; the caller then stops the
// sink. Room goroutine only.
func (s *sink) offer(batch []byte) bool {
	if s.failed.Load() {
		return false
	}
	n := int64(len(batch))
	if s.queued.Load()+n > s.limit {
		s.overflowed.Store(true)
		return false
	}
	s.queued.Add(n)
	select {
	case s.ch <- batch:
		return true
	default:
		s.queued.Add(-n)
		s.overflowed.Store(true)
		return false
	}
}

// close tells the goroutine that no more batches come; it flushes and
// exits. Room goroutine only; a second call is a no-op.
func (s *sink) close() {
	if s.closed {
		return
	}
	s.closed = true
	close(s.ch)
}

// wait waits for the goroutine to finish, up to timeout; it reports whether
// it did.
func (s *sink) wait(timeout time.Duration) bool {
	select {
	case <-s.done:
		return true
	default:
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-s.done:
		return true
	case <-t.C:
		return false
	}
}

// run is the sink's goroutine. After a write error it keeps draining the
// channel, without writing, until the room notices and closes it.
func (s *sink) run(header []byte, log logSnapshot) {
	defer close(s.done)
	bw := bufio.NewWriterSize(s.w, 64<<10)
	var err error
	write := func(b []byte) {
		if err == nil {
			if _, err = bw.Write(b); err != nil {
				s.failed.Store(true)
			}
		}
	}
	write(header)
	if err == nil {
		if err = log.writeTo(bw); err != nil {
			s.corrupt.Store(errors.Is(err, errLogCorrupt))
			s.unreadable.Store(errors.Is(err, errLogIO))
			s.failed.Store(true)
		}
	}
	log.release()
	// The header and the log so far go out at once, not with the next
	// buffer-full.
	if err == nil {
		if err = bw.Flush(); err != nil {
			s.failed.Store(true)
		}
	}
	lastFlush := time.Now()
	for b := range s.ch {
		write(b)
		s.queued.Add(-int64(len(b)))
		if err == nil && len(s.ch) == 0 && time.Since(lastFlush) >= sinkFlushEvery {
			if err = bw.Flush(); err != nil {
				s.failed.Store(true)
			}
			lastFlush = time.Now()
		}
	}
	if err == nil {
		err = bw.Flush()
	}
	if s.closer != nil {
		if cerr := s.closer.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close: %w", cerr)
		}
	}
	switch {
	case errors.Is(err, errLogCorrupt), errors.Is(err, errLogIO):
		s.err = fmt.Errorf("recording: %w", err)
	case err != nil:
		s.err = fmt.Errorf("recording write: %w", err)
	case s.overflowed.Load():
		s.err = ErrOverflow
	}
}
