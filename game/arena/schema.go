package arena

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
	"github.com/tickwire/tickwire/netcode/wire"
)

// Units of the arena's wire values.
const (
	// PositionScale is the grid units per world unit: positions travel as
	// multiples of 1/8 unit, which keeps a player moving 100 units/s at 20
	// snapshots/s inside one varint byte per axis.
	PositionScale = 8
	// AngleSteps is the angle steps per full turn (12 bits).
	AngleSteps = fixed.AngleSteps
	// MoveAxisMax is the largest magnitude of a move axis in an input.
	MoveAxisMax = 127
)

// Entity kinds of the arena.
const (
	// KindPlayer is a player's avatar.
	KindPlayer uint32 = 1
	// KindProjectile is a flying shot.
	KindProjectile uint32 = 2
)

// Fields of a player row (after the kind), in schema order: the ones that
// change most come first, so a moving player's field mask fits one byte.
const (
	PlayerX = iota
	PlayerY
	PlayerAngle
	PlayerHealth
	PlayerScore
	PlayerFlags
	PlayerOwner
)

// Fields of a projectile row (after the kind), in schema order.
const (
	ProjectileX = iota
	ProjectileY
	ProjectileAngle
	ProjectileOwner
)

// Bits of a player's PlayerFlags.
const (
	// FlagAlive is set while the player is alive (clear while waiting to respawn).
	FlagAlive int32 = 1 << 0
	// FlagFiring is set on the ticks the player fired a shot.
	FlagFiring int32 = 1 << 1
)

// Values of the arena's input, in schema order.
const (
	InputButtons = iota
	InputMoveX
	InputMoveY
	InputAim
)

// ButtonFire is the InputButtons bit that fires.
const ButtonFire uint32 = 1 << 0

// Event kinds of the arena; each event's values are listed beside it.
const (
	// EventHit: Actor = shooter entity, Target = victim entity, Values[0] = damage.
	EventHit uint32 = 1
	// EventDeath: Actor = killer entity, Target = victim entity.
	EventDeath uint32 = 2
	// EventScore: Actor = scorer entity, Values[0] = new score.
	EventScore uint32 = 3
	// EventRespawn: Target = respawned entity.
	EventRespawn uint32 = 4
)

// Values of an arena player's result, in schema order.
const (
	ResultKills = iota
	ResultDeaths
)

// position is a world coordinate on the wire: fixed point, interpolated.
func position(name string, role wire.Role) wire.Field {
	return wire.Field{Name: name, Type: wire.TypeFixed, Scale: PositionScale, Interp: wire.InterpLinear, Role: role}
}

// angle is a facing on the wire.
func angle(name string) wire.Field {
	return wire.Field{Name: name, Type: wire.TypeAngle, Scale: AngleSteps, Interp: wire.InterpAngle, Role: wire.RoleYaw}
}

// owner is the player id behind an entity.
func owner() wire.Field {
	return wire.Field{Name: "owner", Type: wire.TypeUint, Role: wire.RoleOwner}
}

// Schema is the arena's state schema: players and projectiles on a 2-D
// plane, the shooter's input, its events and results.
var Schema = &wire.Schema{
	Entities: []wire.EntityKind{
		{Kind: KindPlayer, Name: "player", Fields: []wire.Field{
			PlayerX:      position("x", wire.RolePositionX),
			PlayerY:      position("y", wire.RolePositionY),
			PlayerAngle:  angle("angle"),
			PlayerHealth: {Name: "health", Type: wire.TypeInt},
			PlayerScore:  {Name: "score", Type: wire.TypeInt},
			PlayerFlags:  {Name: "flags", Type: wire.TypeFlags, Names: []string{"alive", "firing"}},
			PlayerOwner:  owner(),
		}},
		{Kind: KindProjectile, Name: "projectile", Fields: []wire.Field{
			ProjectileX:     position("x", wire.RolePositionX),
			ProjectileY:     position("y", wire.RolePositionY),
			ProjectileAngle: angle("angle"),
			ProjectileOwner: owner(),
		}},
	},
	Input: []wire.Field{
		InputButtons: {Name: "buttons", Type: wire.TypeFlags, Names: []string{"fire"}},
		InputMoveX:   {Name: "move_x", Type: wire.TypeInt, Min: -MoveAxisMax, Max: MoveAxisMax},
		InputMoveY:   {Name: "move_y", Type: wire.TypeInt, Min: -MoveAxisMax, Max: MoveAxisMax},
		InputAim:     {Name: "aim", Type: wire.TypeAngle, Scale: AngleSteps},
	},
	Events: []wire.EventKind{
		{Kind: EventHit, Name: "hit", Actor: "shooter", Target: "victim",
			Values: []wire.Field{{Name: "damage", Type: wire.TypeInt}}},
		{Kind: EventDeath, Name: "death", Actor: "killer", Target: "victim"},
		{Kind: EventScore, Name: "score", Actor: "scorer",
			Values: []wire.Field{{Name: "score", Type: wire.TypeInt}}},
		{Kind: EventRespawn, Name: "respawn", Target: "player"},
	},
	Results: []wire.Field{
		ResultKills:  {Name: "kills", Type: wire.TypeUint},
		ResultDeaths: {Name: "deaths", Type: wire.TypeUint},
	},
}

// Input is an arena input, the values of its schema's input.
type Input struct {
	// Buttons is a bit set of ButtonFire.
	Buttons uint32
	// MoveX and MoveY are the move vector, each -MoveAxisMax..MoveAxisMax.
	MoveX, MoveY int32
	// Aim is the aim angle in 1/AngleSteps turns, counter-clockwise from +x.
	Aim int32
}

// InputOf reads an arena input from the room's validated input.
func InputOf(in game.Input) Input {
	return InputFromValues(in.Values[:])
}

// InputFromValues reads an arena input from its values in schema order
// (missing ones are 0), clamped as the server clamps them.
func InputFromValues(values []int32) Input {
	var v [4]int32
	copy(v[:], values)
	return Input{
		Buttons: uint32(Schema.Input[InputButtons].Clamp(v[InputButtons])),
		MoveX:   Schema.Input[InputMoveX].Clamp(v[InputMoveX]),
		MoveY:   Schema.Input[InputMoveY].Clamp(v[InputMoveY]),
		Aim:     Schema.Input[InputAim].Clamp(v[InputAim]),
	}
}

// Values returns the input's values in schema order, as a client sends
// them.
func (in Input) Values() []int32 {
	return []int32{InputButtons: int32(in.Buttons), InputMoveX: in.MoveX, InputMoveY: in.MoveY, InputAim: in.Aim}
}
