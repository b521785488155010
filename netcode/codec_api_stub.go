package netcode

// This file is a placeholder with the codec's agreed API; the codec work
// replaces it with codec.go, history.go and frame.go.

// Event is a one-off game event as it travels in snapshots.
type Event struct {
	Tick   uint32
	Kind   uint32
	Actor  uint32
	Target uint32
	Value  int32
}

// EncodeDelta appends to dst the packed delta that turns base into target.
// Both slices are sorted by ID ascending with unique IDs; an empty base
// gives a full snapshot.
func EncodeDelta(dst []byte, base, target []Entity) []byte { panic("todo") }

// ApplyDelta applies a packed delta to base and appends the resulting
// entities, sorted by ID, to dst, which must not share memory with base.
func ApplyDelta(dst, base []Entity, delta []byte) ([]Entity, error) { panic("todo") }

// Checksum returns the CRC-32C of the canonical encoding of entities.
func Checksum(entities []Entity) uint32 { panic("todo") }

// Snapshot is one snapshot tick of a room's history.
type Snapshot struct {
	Tick         uint32
	ServerTimeUS int64
	Entities     []Entity
	Events       []Event
	Checksum     uint32
}

// History is a ring of a room's recent snapshots that encodes the newest one
// against any baseline it still holds, once per distinct baseline.
type History struct{}

// NewHistory returns a History holding the newest size snapshots.
func NewHistory(size int) *History { panic("todo") }

// Push adds the newest snapshot; History takes ownership of its slices.
func (h *History) Push(s Snapshot) { panic("todo") }

// Get returns the snapshot of tick if the ring still holds it.
func (h *History) Get(tick uint32) (*Snapshot, bool) { panic("todo") }

// Latest returns the newest snapshot, or nil before the first Push.
func (h *History) Latest() *Snapshot { panic("todo") }

// EncodeLatest returns the serialized Snapshot message fields shared by every
// player whose baseline is baseTick: the newest snapshot as a delta against
// baseTick, or a full one when the ring does not hold baseTick (or it is 0).
// Results are memoized until the next Push; callers must not modify them.
// The second result is the base tick actually used (0 for full).
func (h *History) EncodeLatest(baseTick uint32) (shared []byte, usedBase uint32) { panic("todo") }

// AppendSnapshotFrame appends to dst a complete ServerMessage frame holding
// the shared snapshot bytes plus this player's last applied input sequence.
func AppendSnapshotFrame(dst, shared []byte, lastInputSeq uint32) []byte { panic("todo") }
