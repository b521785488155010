package wire

// FieldCount is the number of integer fields every entity carries on the wire.
const FieldCount = 8

// Field indexes an entity's wire fields. The codec treats every field the same
// (a zigzag varint delta); the names say what tickwire's clients assume, and a
// game may use the game-defined ones as it likes.
type Field uint8

// The wire fields of an entity, in encoding order.
const (
	// FieldKind is the game-defined entity type (arena: 1 player, 2 projectile).
	FieldKind Field = iota
	// FieldX is the x position in grid units (PositionScale per world unit).
	FieldX
	// FieldY is the y position in grid units.
	FieldY
	// FieldAngle is the facing in 1/AngleSteps turns, 0..AngleSteps-1.
	FieldAngle
	// FieldHealth is game-defined (arena: hit points).
	FieldHealth
	// FieldScore is game-defined (arena: points).
	FieldScore
	// FieldFlags is a game-defined bitmask (arena: alive, respawning, ...).
	FieldFlags
	// FieldOwner is game-defined (arena: the player id that controls or fired it).
	FieldOwner
)

// Entity is one entity of a snapshot, already quantized.
type Entity struct {
	// ID identifies the entity within its room; 0 is never used.
	ID uint32
	// Fields holds the wire fields, indexed by Field.
	Fields [FieldCount]int32
}

// Get returns field f.
func (e *Entity) Get(f Field) int32 { return e.Fields[f] }

// Set sets field f to v.
func (e *Entity) Set(f Field, v int32) { e.Fields[f] = v }
