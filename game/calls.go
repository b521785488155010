package game

import (
	"context"
	"fmt"
	"sync/atomic"
)

// callQueueSize bounds a room's call channel; a burst larger than this waits
// briefly for the room goroutine.
const callQueueSize = 64

// Every change to a room from another goroutine is a function queued on
// r.calls and run by Run, between ticks (nakama's callCh). Leave and
// Disconnect queue theirs and return; everything that needs an answer goes
// through do, the one place where waiting, giving up and the room's end
// meet.

// States of a request made through do: the room and an impatient caller
// race to move it out of requestQueued, so exactly one of them decides
// whether fn runs.
const (
	requestQueued    int32 = iota // in the channel, neither taken nor given up
	requestTaken                  // the room runs fn; the caller gets its answer
	requestAbandoned              // the caller gave up first; fn never runs
)

// answer is what fn returned, handed from the room to the caller.
type answer[T any] struct {
	v   T
	err error
}

// do runs fn on r's goroutine and returns its result. fn must not block.
//
// It never runs fn for a caller that gave up (ctx ended) before the room
// took the request: the caller then gets op: ctx's error. Once the room has
// taken it, the caller gets fn's answer even if ctx ends meanwhile, so that
// nothing fn created (a seat, an input port) is lost. When the room ends
// (or Close was called) before it took the request, the caller gets op:
// ErrRoomClosed, and fn never runs.
func do[T any](ctx context.Context, r *Room, op string, fn func() (T, error)) (T, error) {
	var state atomic.Int32
	reply := make(chan answer[T], 1) // buffered, so the room never blocks on it
	run := func() {
		if !state.CompareAndSwap(requestQueued, requestTaken) {
			return // the caller gave up
		}
		v, err := fn()
		reply <- answer[T]{v, err}
	}
	var zero T
	closed := func() (T, error) { return zero, fmt.Errorf("%s: %w", op, ErrRoomClosed) }
	// ended answers once Run has returned: Run may have answered just
	// before (the reply is sent before Run can return), or not at all (the
	// request was still queued, or fn panicked and ended the room).
	ended := func() (T, error) {
		select {
		case a := <-reply:
			return a.v, a.err
		default:
			return closed()
		}
	}
	select {
	case <-r.closing: // checked first: a closed room takes nothing new
		return closed()
	default:
	}
	select {
	case r.calls <- run:
	case <-r.closing:
		return closed()
	case <-r.done:
		return closed()
	case <-ctx.Done():
		return zero, fmt.Errorf("%s: %w", op, ctx.Err())
	}
	select {
	case a := <-reply:
		return a.v, a.err
	case <-r.done:
		return ended()
	case <-ctx.Done():
		if state.CompareAndSwap(requestQueued, requestAbandoned) {
			return zero, fmt.Errorf("%s: %w", op, ctx.Err())
		}
		// The room took it and fn does not block: wait for the answer.
		select {
		case a := <-reply:
			return a.v, a.err
		case <-r.done:
			return ended()
		}
	}
}

// enqueue queues fn for the room goroutine without waiting for it to run.
// It returns at once when the room has ended, in which case fn never runs.
func (r *Room) enqueue(fn func()) {
	select {
	case r.calls <- fn:
	case <-r.done:
	}
}
