package game

import (
	"context"
	"sync/atomic"
)

// callCmd runs fn on the room goroutine, for the inspection and control
// methods (Inspect, State, Kick, Debug, Spectate, recordings). fn must not
// block. Its state races like a joinCmd's, so that fn never runs for a
// caller that gave up.
type callCmd struct {
	fn    func()
	done  chan struct{} // closed after fn ran
	state atomic.Int32
}

// call runs fn on the room goroutine and waits for it. It returns
// ErrRoomClosed when Run has returned (or returns before running fn), or
// ctx's error when the caller gave up first, in which case fn never runs.
func (r *Room) call(ctx context.Context, fn func()) error {
	c := &callCmd{fn: fn, done: make(chan struct{})}
	select {
	case r.cmds <- command{call: c}:
	case <-r.done:
		return ErrRoomClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-c.done:
		return nil
	case <-r.done:
		// Run may have run it just before returning.
		select {
		case <-c.done:
			return nil
		default:
			return ErrRoomClosed
		}
	case <-ctx.Done():
		if c.state.CompareAndSwap(joinPending, joinAbandoned) {
			return ctx.Err()
		}
		// The room took it; fn does not block, so wait for it.
		select {
		case <-c.done:
			return nil
		case <-r.done:
			return ErrRoomClosed
		}
	}
}

// runCall runs a callCmd on the room goroutine, unless its caller gave up.
func (r *Room) runCall(c *callCmd) {
	if !c.state.CompareAndSwap(joinPending, joinTaken) {
		return
	}
	c.fn()
	close(c.done)
}
