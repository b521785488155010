package wire

import (
	"errors"
	"fmt"
	"math"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Limits of a Schema. Each keeps a decoder's work per entity, input or
// event bounded whatever a peer sends.
const (
	// MaxFields is the most fields an entity kind may declare; a row is
	// its kind and up to MaxFields values.
	MaxFields = 32
	// MaxKind is the highest entity kind number.
	MaxKind = 255
	// MaxInputFields is the most values an input may hold.
	MaxInputFields = 16
	// MaxEventValues is the most values an event may hold.
	MaxEventValues = 4
	// MaxResultValues is the most game-defined values of a player's result.
	MaxResultValues = 16
	// maxNameBytes bounds every name in a schema.
	maxNameBytes = 64
	// maxEnumNames bounds an ENUM's value names; FLAGS have at most 32.
	maxEnumNames = 256
)

// FieldType says how to read a field's 32-bit integer.
type FieldType = pb.FieldType

// The field types.
const (
	// TypeInt is a signed integer.
	TypeInt = pb.FieldType_FIELD_TYPE_INT
	// TypeUint is a non-negative integer.
	TypeUint = pb.FieldType_FIELD_TYPE_UINT
	// TypeBool is 0 or 1.
	TypeBool = pb.FieldType_FIELD_TYPE_BOOL
	// TypeEnum is one of Field.Names, by index.
	TypeEnum = pb.FieldType_FIELD_TYPE_ENUM
	// TypeFlags is a bit set whose bit i is Field.Names[i].
	TypeFlags = pb.FieldType_FIELD_TYPE_FLAGS
	// TypeFixed is a fixed-point number: raw / Field.Scale.
	TypeFixed = pb.FieldType_FIELD_TYPE_FIXED
	// TypeAngle is an angle in 1/Field.Scale turns, 0..Scale-1.
	TypeAngle = pb.FieldType_FIELD_TYPE_ANGLE
)

// Interp says how a client blends a field between two snapshots.
type Interp = pb.Interpolation

// The interpolation hints.
const (
	// InterpNone takes the newer value as it is.
	InterpNone = pb.Interpolation_INTERPOLATION_NONE
	// InterpLinear blends linearly.
	InterpLinear = pb.Interpolation_INTERPOLATION_LINEAR
	// InterpAngle blends an angle of Field.Scale steps the short way round.
	InterpAngle = pb.Interpolation_INTERPOLATION_ANGLE
)

// Role names what a field means to code that knows no game.
type Role = pb.FieldRole

// The field roles.
const (
	RoleNone      = pb.FieldRole_FIELD_ROLE_NONE
	RolePositionX = pb.FieldRole_FIELD_ROLE_POSITION_X
	RolePositionY = pb.FieldRole_FIELD_ROLE_POSITION_Y
	RolePositionZ = pb.FieldRole_FIELD_ROLE_POSITION_Z
	RoleVelocityX = pb.FieldRole_FIELD_ROLE_VELOCITY_X
	RoleVelocityY = pb.FieldRole_FIELD_ROLE_VELOCITY_Y
	RoleVelocityZ = pb.FieldRole_FIELD_ROLE_VELOCITY_Z
	RoleYaw       = pb.FieldRole_FIELD_ROLE_YAW
	RolePitch     = pb.FieldRole_FIELD_ROLE_PITCH
	RoleRoll      = pb.FieldRole_FIELD_ROLE_ROLL
	// RoleOwner holds the player id that controls or owns the entity.
	RoleOwner = pb.FieldRole_FIELD_ROLE_OWNER
)

// Field is one named integer of a schema: an entity field, an input value,
// an event value or a result value.
type Field struct {
	// Name is unique among its siblings, 1 to 64 bytes.
	Name string
	// Type says how to read the integer.
	Type FieldType
	// Scale is, for TypeFixed, the units per whole and, for TypeAngle, the
	// steps per turn; at least 1 for those two, 0 for the others.
	Scale int32
	// Min and Max bound the raw value, inclusive; both 0 means the type's
	// own range (see Range). Inputs are clamped into it.
	Min, Max int32
	// Names names, for TypeEnum, each value from 0 and, for TypeFlags,
	// each bit from bit 0.
	Names []string
	// Interp is how clients blend the field between snapshots.
	Interp Interp
	// Role is what the field means to generic clients.
	Role Role
}

// EntityKind is one kind of entity: its kind number and its fields.
type EntityKind struct {
	// Kind is the first value of each of its rows, 1..MaxKind.
	Kind uint32
	// Name is unique among the schema's kinds, such as "player".
	Name string
	// Fields follow the kind in every row, in order; at most MaxFields.
	Fields []Field
}

// EventKind is one kind of game event.
type EventKind struct {
	// Kind is the Event.Kind number, nonzero.
	Kind uint32
	// Name is unique among the schema's events, such as "hit".
	Name string
	// Values names Event.Values in order; at most MaxEventValues.
	Values []Field
	// Actor and Target say what the event's entities are, such as
	// "shooter"; empty when the event does not use them.
	Actor, Target string
}

// Schema is a game mode's description of its state, input, events and
// results. Clients learn it from Joined, so they can decode and name every
// value without the game's code. A Schema is immutable once validated and
// shared by every room of its mode.
type Schema struct {
	// Entities are the entity kinds.
	Entities []EntityKind
	// Input names the values of an input, in order; at most MaxInputFields.
	Input []Field
	// Events are the event kinds.
	Events []EventKind
	// Results names a player result's game-defined values, in order; at
	// most MaxResultValues.
	Results []Field
	// Messages are the game message kinds (message.go).
	Messages []MessageKind
}

// Width returns the number of values in each of the schema's rows: the
// kind, then as many fields as its widest kind declares. Narrower kinds
// leave their trailing values 0, which costs nothing on the wire.
func (s *Schema) Width() int {
	w := 0
	for k := range s.Entities {
		w = max(w, len(s.Entities[k].Fields))
	}
	return 1 + w
}

// Kind returns the entity kind numbered kind, or nil.
func (s *Schema) Kind(kind uint32) *EntityKind {
	for k := range s.Entities {
		if s.Entities[k].Kind == kind {
			return &s.Entities[k]
		}
	}
	return nil
}

// KindNamed returns the entity kind called name, or nil.
func (s *Schema) KindNamed(name string) *EntityKind {
	for k := range s.Entities {
		if s.Entities[k].Name == name {
			return &s.Entities[k]
		}
	}
	return nil
}

// Event returns the event kind numbered kind, or nil.
func (s *Schema) Event(kind uint32) *EventKind {
	for k := range s.Events {
		if s.Events[k].Kind == kind {
			return &s.Events[k]
		}
	}
	return nil
}

// FieldIndex returns the index of the field called name among fields, or
// -1. Games use it once at start-up to name their columns.
func FieldIndex(fields []Field, name string) int {
	for i := range fields {
		if fields[i].Name == name {
			return i
		}
	}
	return -1
}

// ErrInvalidSchema wraps every error Validate returns.
var ErrInvalidSchema = errors.New("invalid schema")

// Validate checks the schema against the rules of docs/protocol.md: kind
// numbers in range and distinct, names present and distinct, at most
// MaxFields fields per kind (MaxInputFields, MaxEventValues,
// MaxResultValues for the others), known types with a scale where the type
// needs one, ranges that are not inverted. Servers validate a mode's schema
// at registration; clients validate the one they receive.
func (s *Schema) Validate() error {
	if len(s.Entities) == 0 {
		return invalid("no entity kinds")
	}
	if len(s.Entities) > MaxKind {
		return invalid("%d entity kinds, at most %d", len(s.Entities), MaxKind)
	}
	kinds := make(map[uint32]bool, len(s.Entities))
	names := make(map[string]bool, len(s.Entities))
	for k := range s.Entities {
		e := &s.Entities[k]
		switch {
		case e.Kind == 0 || e.Kind > MaxKind:
			return invalid("entity kind %q: number %d outside 1..%d", e.Name, e.Kind, MaxKind)
		case kinds[e.Kind]:
			return invalid("entity kind number %d declared twice", e.Kind)
		case names[e.Name]:
			return invalid("entity kind name %q declared twice", e.Name)
		}
		if err := checkName(e.Name); err != nil {
			return invalid("entity kind %d: %v", e.Kind, err)
		}
		kinds[e.Kind], names[e.Name] = true, true
		if err := checkFields(e.Fields, MaxFields); err != nil {
			return invalid("entity kind %q: %v", e.Name, err)
		}
	}
	if err := checkFields(s.Input, MaxInputFields); err != nil {
		return invalid("input: %v", err)
	}
	clear(kinds)
	clear(names)
	for k := range s.Events {
		e := &s.Events[k]
		switch {
		case e.Kind == 0:
			return invalid("event %q: kind number 0", e.Name)
		case kinds[e.Kind]:
			return invalid("event kind number %d declared twice", e.Kind)
		case names[e.Name]:
			return invalid("event name %q declared twice", e.Name)
		}
		if err := checkName(e.Name); err != nil {
			return invalid("event %d: %v", e.Kind, err)
		}
		kinds[e.Kind], names[e.Name] = true, true
		if err := checkFields(e.Values, MaxEventValues); err != nil {
			return invalid("event %q: %v", e.Name, err)
		}
	}
	if err := checkFields(s.Results, MaxResultValues); err != nil {
		return invalid("results: %v", err)
	}
	return s.validateMessages()
}

// invalid wraps a rule's message in ErrInvalidSchema.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidSchema, fmt.Sprintf(format, args...))
}

// checkName checks one name of a schema.
func checkName(name string) error {
	if name == "" || len(name) > maxNameBytes {
		return fmt.Errorf("name %q is not 1 to %d bytes", name, maxNameBytes)
	}
	return nil
}

// checkFields checks a list of sibling fields.
func checkFields(fields []Field, most int) error {
	if len(fields) > most {
		return fmt.Errorf("%d fields, at most %d", len(fields), most)
	}
	seen := make(map[string]bool, len(fields))
	for i := range fields {
		f := &fields[i]
		if err := checkName(f.Name); err != nil {
			return fmt.Errorf("field %d: %w", i, err)
		}
		if seen[f.Name] {
			return fmt.Errorf("field %q declared twice", f.Name)
		}
		seen[f.Name] = true
		if err := f.check(); err != nil {
			return fmt.Errorf("field %q: %w", f.Name, err)
		}
	}
	return nil
}

// check checks one field's type, scale, names, range and hints.
func (f *Field) check() error {
	if _, ok := pb.FieldType_name[int32(f.Type)]; !ok || f.Type == pb.FieldType_FIELD_TYPE_UNSPECIFIED {
		return fmt.Errorf("unknown type %d", f.Type)
	}
	if _, ok := pb.Interpolation_name[int32(f.Interp)]; !ok {
		return fmt.Errorf("unknown interpolation %d", f.Interp)
	}
	if _, ok := pb.FieldRole_name[int32(f.Role)]; !ok {
		return fmt.Errorf("unknown role %d", f.Role)
	}
	scaled := f.Type == TypeFixed || f.Type == TypeAngle
	switch {
	case scaled && f.Scale < 1:
		return fmt.Errorf("%v needs a scale of at least 1, has %d", f.Type, f.Scale)
	case !scaled && f.Scale != 0:
		return fmt.Errorf("%v takes no scale, has %d", f.Type, f.Scale)
	case f.Interp == InterpAngle && f.Type != TypeAngle:
		return fmt.Errorf("angle interpolation on a %v field", f.Type)
	case f.Min > f.Max:
		return fmt.Errorf("min %d above max %d", f.Min, f.Max)
	}
	switch f.Type {
	case TypeEnum:
		if len(f.Names) == 0 || len(f.Names) > maxEnumNames {
			return fmt.Errorf("an enum needs 1 to %d names, has %d", maxEnumNames, len(f.Names))
		}
	case TypeFlags:
		if len(f.Names) == 0 || len(f.Names) > 32 {
			return fmt.Errorf("flags need 1 to 32 bit names, have %d", len(f.Names))
		}
	default:
		if len(f.Names) != 0 {
			return fmt.Errorf("%v takes no names", f.Type)
		}
	}
	for _, n := range f.Names {
		if len(n) > maxNameBytes {
			return fmt.Errorf("value name %.16q… longer than %d bytes", n, maxNameBytes)
		}
	}
	return nil
}

// Range returns the inclusive range of the field's raw value: Min..Max
// when either is set, else the type's own range.
func (f *Field) Range() (lo, hi int32) {
	if f.Min != 0 || f.Max != 0 {
		return f.Min, f.Max
	}
	switch f.Type {
	case TypeUint:
		return 0, math.MaxInt32
	case TypeBool:
		return 0, 1
	case TypeEnum:
		return 0, int32(len(f.Names) - 1)
	case TypeFlags:
		return math.MinInt32, math.MaxInt32 // masked by Clamp instead
	case TypeAngle:
		return 0, f.Scale - 1
	}
	return math.MinInt32, math.MaxInt32
}

// Clamp returns v made valid for the field: an angle is taken modulo its
// scale, flags lose the bits that have no name, a bool becomes 0 or 1, and
// every other value is clamped into Range.
func (f *Field) Clamp(v int32) int32 {
	switch f.Type {
	case TypeAngle:
		v %= f.Scale
		if v < 0 {
			v += f.Scale
		}
	case TypeFlags:
		v &= int32(uint32(1)<<len(f.Names) - 1)
	case TypeBool:
		if v != 0 {
			v = 1
		}
	}
	lo, hi := f.Range()
	return max(lo, min(hi, v))
}
