package client

import (
	"errors"
	"fmt"

	"github.com/tickwire/tickwire/netcode/wire"
)

// DefaultReplicaStates is how many applied states a Client keeps as possible
// baselines: 64 covers over three seconds at 20 snapshots per second, more
// than the server's 1.5 s of history, so any base the server picks is held.
const DefaultReplicaStates = 64

// Errors Replica.Apply returns, each wrapped with the tick; a codec error
// from a malformed delta is returned wrapped as it is.
var (
	// ErrSnapshotStale means the snapshot is not newer than the newest state
	// held (possible right after a resync); it is dropped.
	ErrSnapshotStale = errors.New("snapshot not newer than the replica")
	// ErrSnapshotBaseMissing means the snapshot's base tick is no longer (or
	// never was) held; the client must ask for a resync.
	ErrSnapshotBaseMissing = errors.New("snapshot base tick not held")
	// ErrSnapshotChecksum means the applied result did not match the
	// server's checksum: a desync. The result is not kept.
	ErrSnapshotChecksum = errors.New("snapshot checksum mismatch")
)

// replicaState is one applied, verified state.
type replicaState struct {
	tick uint32
	rows *wire.Rows
}

// Replica is the client's copy of the authoritative world: a ring of the
// newest verified states keyed by tick, so a delta against any recently
// acknowledged tick applies. Only states whose checksum matched are kept, so
// a desync never becomes a baseline. In steady state it allocates nothing:
// the memory of the state a new one evicts becomes the next decode buffer.
// Not safe for concurrent use.
//
// There is deliberately no hook to fake a mismatch here: exercising desync
// detection end to end (tickbot) needs a corruption hook on the encoding
// side, so the client's check stays the real one.
type Replica struct {
	layout  *wire.Layout
	states  []replicaState // ring, oldest at (next-n) mod len
	n, next int
	scratch *wire.Rows // decode target, never visible to callers
	empty   *wire.Rows // the empty world full snapshots apply to
}

// NewReplica returns a Replica of rows of layout l keeping the newest size
// states (at least 2).
func NewReplica(l *wire.Layout, size int) *Replica {
	r := &Replica{states: make([]replicaState, max(size, 2))}
	r.Reset(l)
	return r
}

// Reset forgets every state and takes layout l, for a new room. The
// states' memory is dropped with them: rows carry their layout, and the
// Interpolator may still hold the old ones until it is reset too.
func (r *Replica) Reset(l *wire.Layout) {
	r.n = 0
	r.layout = l
	r.scratch = wire.NewRows(l, 0)
	r.empty = wire.NewRows(l, 0)
	for k := range r.states {
		r.states[k] = replicaState{}
	}
}

// Layout returns the layout of the rows the replica holds.
func (r *Replica) Layout() *wire.Layout { return r.layout }

// Len returns how many states are held.
func (r *Replica) Len() int { return r.n }

// state returns the i-th held state, oldest first.
func (r *Replica) state(i int) *replicaState {
	size := len(r.states)
	return &r.states[(r.next-r.n+i+size)%size]
}

// Latest returns the newest state; ok is false when none is held, and rows
// then the empty world. The rows are the Replica's own: read them, don't
// keep or modify them.
func (r *Replica) Latest() (tick uint32, rows *wire.Rows, ok bool) {
	if r.n == 0 {
		return 0, r.empty, false
	}
	s := r.state(r.n - 1)
	return s.tick, s.rows, true
}

// Get returns the state of tick, newest first search; tick 0 is the empty
// world every full snapshot applies to. The rows are the Replica's own.
func (r *Replica) Get(tick uint32) (*wire.Rows, bool) {
	if tick == 0 {
		return r.empty, true
	}
	for i := r.n - 1; i >= 0; i-- {
		if s := r.state(i); s.tick == tick {
			return s.rows, true
		}
	}
	return nil, false
}

// Apply applies a snapshot's delta to the state of baseTick, verifies the
// result against checksum and, if it matches, stores it as the newest state
// under tick and returns it. The returned rows are the Replica's own and
// stay valid until size-1 further states are stored. On any error nothing
// changes.
func (r *Replica) Apply(tick, baseTick uint32, delta []byte, checksum uint32) (*wire.Rows, error) {
	if latest, _, ok := r.Latest(); (ok && tick <= latest) || tick == 0 {
		return nil, fmt.Errorf("tick %d: %w", tick, ErrSnapshotStale)
	}
	base, ok := r.Get(baseTick)
	if !ok {
		return nil, fmt.Errorf("tick %d base %d: %w", tick, baseTick, ErrSnapshotBaseMissing)
	}
	out := r.scratch
	if err := wire.ApplyDelta(out, base, delta); err != nil {
		return nil, fmt.Errorf("apply delta of tick %d on %d: %w", tick, baseTick, err)
	}
	if got := wire.Checksum(out); got != checksum {
		return nil, fmt.Errorf("tick %d base %d: got %08x want %08x: %w", tick, baseTick, got, checksum, ErrSnapshotChecksum)
	}
	// Store: the evicted state's memory (if any) becomes the next scratch.
	slot := &r.states[r.next]
	evicted := slot.rows
	if r.n < len(r.states) {
		r.n++
	}
	*slot = replicaState{tick: tick, rows: out}
	r.next = (r.next + 1) % len(r.states)
	if evicted == nil {
		evicted = wire.NewRows(r.layout, out.Len())
	}
	r.scratch = evicted
	return out, nil
}

// emptyLayout is the layout of a client outside any room: rows of the kind
// alone. Joined replaces it with the room's.
var emptyLayout = wire.NewWidthLayout(1)
