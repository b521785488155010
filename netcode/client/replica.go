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
	tick     uint32
	entities []wire.Entity
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
	states  []replicaState // ring, oldest at (next-n) mod len
	n, next int
	scratch []wire.Entity // decode target, never visible to callers
}

// NewReplica returns a Replica keeping the newest size states (at least 2).
func NewReplica(size int) *Replica {
	return &Replica{states: make([]replicaState, max(size, 2))}
}

// Reset forgets every state, for a new room; memory is kept for reuse.
func (r *Replica) Reset() {
	r.n = 0
}

// Len returns how many states are held.
func (r *Replica) Len() int { return r.n }

// state returns the i-th held state, oldest first.
func (r *Replica) state(i int) *replicaState {
	size := len(r.states)
	return &r.states[(r.next-r.n+i+size)%size]
}

// Latest returns the newest state; ok is false when none is held. The slice
// is the Replica's own: read it, don't keep or modify it.
func (r *Replica) Latest() (tick uint32, entities []wire.Entity, ok bool) {
	if r.n == 0 {
		return 0, nil, false
	}
	s := r.state(r.n - 1)
	return s.tick, s.entities, true
}

// Get returns the state of tick, newest first search; tick 0 is the empty
// world every full snapshot applies to. The slice is the Replica's own.
func (r *Replica) Get(tick uint32) ([]wire.Entity, bool) {
	if tick == 0 {
		return nil, true
	}
	for i := r.n - 1; i >= 0; i-- {
		if s := r.state(i); s.tick == tick {
			return s.entities, true
		}
	}
	return nil, false
}

// Apply applies a snapshot's delta to the state of baseTick, verifies the
// result against checksum and, if it matches, stores it as the newest state
// under tick and returns it. The returned slice is the Replica's own and
// stays valid until size-1 further states are stored. On any error nothing
// changes.
func (r *Replica) Apply(tick, baseTick uint32, delta []byte, checksum uint32) ([]wire.Entity, error) {
	if latest, _, ok := r.Latest(); (ok && tick <= latest) || tick == 0 {
		return nil, fmt.Errorf("tick %d: %w", tick, ErrSnapshotStale)
	}
	base, ok := r.Get(baseTick)
	if !ok {
		return nil, fmt.Errorf("tick %d base %d: %w", tick, baseTick, ErrSnapshotBaseMissing)
	}
	out, err := wire.ApplyDelta(r.scratch[:0], base, delta)
	if err != nil {
		return nil, fmt.Errorf("apply delta of tick %d on %d: %w", tick, baseTick, err)
	}
	r.scratch = out[:0] // keep any growth for next time
	if got := wire.Checksum(out); got != checksum {
		return nil, fmt.Errorf("tick %d base %d: got %08x want %08x: %w", tick, baseTick, got, checksum, ErrSnapshotChecksum)
	}
	// Store: the evicted state's memory (if any) becomes the next scratch.
	slot := &r.states[r.next]
	evicted := slot.entities
	if r.n < len(r.states) {
		r.n++
	}
	*slot = replicaState{tick: tick, entities: out}
	r.next = (r.next + 1) % len(r.states)
	r.scratch = evicted[:0]
	return out, nil
}
