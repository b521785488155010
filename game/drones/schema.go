package drones

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
	"github.com/tickwire/tickwire/netcode/wire"
)

// Units of the drones' wire values.
const (
	// PositionScale is the grid units per world unit: positions travel as
	// multiples of 1/16 unit.
	PositionScale = 16
	// VelocityScale is the steps per world unit per second of a velocity
	// on the wire: quarter units per second are plenty for dead reckoning
	// between snapshots and keep the deltas small.
	VelocityScale = 4
	// AngleSteps is the angle steps per full turn (12 bits).
	AngleSteps = fixed.AngleSteps
	// PitchLimit is the largest pitch, up or down, in angle steps: 910 of
	// 4096 is 79.98°, so a drone never flies straight up or down and its
	// yaw always means something.
	PitchLimit = 910
	// AxisMax is the largest magnitude of a thrust, strafe or lift input.
	AxisMax = 127
	// EnergyMax is a full boost tank on the wire.
	EnergyMax = 100
)

// Entity kinds of the drones.
const (
	// KindDrone is a player's drone.
	KindDrone uint32 = 1
	// KindCore is a core, free to collect or just taken.
	KindCore uint32 = 2
)

// Fields of a drone row (after the kind), in schema order: position and
// facing change on every tick a drone flies, so they come first and a
// drone cruising in a straight line changes fields of the first mask byte
// only.
const (
	DroneX = iota
	DroneY
	DroneZ
	DroneYaw
	DronePitch
	DroneVX
	DroneVY
	DroneVZ
	DroneEnergy
	DroneFlags
	DroneCores
	DroneOwner
)

// Fields of a core row (after the kind), in schema order.
const (
	CoreX = iota
	CoreY
	CoreZ
	CoreValue
	// CoreTakenBy is the entity id of the drone that took the core, 0
	// while it is free. A taken core stays in the world for a moment so
	// that the pickup event, which names it, reaches the players who saw
	// it.
	CoreTakenBy
)

// Bits of a drone's DroneFlags.
const (
	// FlagBoosting is set while the drone boosts.
	FlagBoosting int32 = 1 << 0
	// FlagStunned is set while the drone is stunned by a tag.
	FlagStunned int32 = 1 << 1
)

// Values of the drones' input, in schema order.
const (
	InputThrust = iota
	InputStrafe
	InputLift
	InputYaw
	InputPitch
	InputButtons
)

// ButtonBoost is the InputButtons bit that boosts.
const ButtonBoost uint32 = 1 << 0

// Event kinds of the drones; each event's values are listed beside it.
const (
	// EventPickup: Actor = collecting drone, Target = core,
	// Values[0] = cores the drone holds after, Values[1] = the core's value.
	EventPickup uint32 = 1
	// EventTag: Actor = tagging drone, Target = tagged drone,
	// Values[0] = cores stolen (0 or 1).
	EventTag uint32 = 2
	// EventCoreSpawn: Target = new core, Values[0] = its value.
	EventCoreSpawn uint32 = 3
	// EventDroneSpawn: Target = drone placed at a spawn point (on join and
	// at the start of the match).
	EventDroneSpawn uint32 = 4
)

// Values of a drones player's result, in schema order. The result's Score
// is the cores held.
const (
	ResultCores = iota
	ResultTags
	ResultTagged
	ResultPickups
)

// position is a world coordinate on the wire: fixed point, interpolated.
func position(name string, role wire.Role) wire.Field {
	return wire.Field{Name: name, Type: wire.TypeFixed, Scale: PositionScale, Interp: wire.InterpLinear, Role: role}
}

// velocity is a velocity component on the wire; clients extrapolate with
// it rather than blend it.
func velocity(name string, role wire.Role) wire.Field {
	return wire.Field{Name: name, Type: wire.TypeFixed, Scale: VelocityScale, Role: role}
}

// angle is a facing on the wire.
func angle(name string, role wire.Role) wire.Field {
	return wire.Field{Name: name, Type: wire.TypeAngle, Scale: AngleSteps, Interp: wire.InterpAngle, Role: role}
}

// axis is a signed control axis of the input.
func axis(name string) wire.Field {
	return wire.Field{Name: name, Type: wire.TypeInt, Min: -AxisMax, Max: AxisMax}
}

// Schema is the drones' state schema: drones and cores in a 3-D box, the
// flight input, the events and the results.
var Schema = &wire.Schema{
	Entities: []wire.EntityKind{
		{Kind: KindDrone, Name: "drone", Fields: []wire.Field{
			DroneX:      position("x", wire.RolePositionX),
			DroneY:      position("y", wire.RolePositionY),
			DroneZ:      position("z", wire.RolePositionZ),
			DroneYaw:    angle("yaw", wire.RoleYaw),
			DronePitch:  angle("pitch", wire.RolePitch),
			DroneVX:     velocity("vx", wire.RoleVelocityX),
			DroneVY:     velocity("vy", wire.RoleVelocityY),
			DroneVZ:     velocity("vz", wire.RoleVelocityZ),
			DroneEnergy: {Name: "energy", Type: wire.TypeUint, Max: EnergyMax},
			DroneFlags:  {Name: "flags", Type: wire.TypeFlags, Names: []string{"boosting", "stunned"}},
			DroneCores:  {Name: "cores", Type: wire.TypeUint},
			DroneOwner:  {Name: "owner", Type: wire.TypeUint, Role: wire.RoleOwner},
		}},
		{Kind: KindCore, Name: "core", Fields: []wire.Field{
			CoreX:       position("x", wire.RolePositionX),
			CoreY:       position("y", wire.RolePositionY),
			CoreZ:       position("z", wire.RolePositionZ),
			CoreValue:   {Name: "value", Type: wire.TypeUint},
			CoreTakenBy: {Name: "taken_by", Type: wire.TypeUint},
		}},
	},
	Input: []wire.Field{
		InputThrust:  axis("thrust"),
		InputStrafe:  axis("strafe"),
		InputLift:    axis("lift"),
		InputYaw:     {Name: "yaw", Type: wire.TypeAngle, Scale: AngleSteps},
		InputPitch:   {Name: "pitch", Type: wire.TypeAngle, Scale: AngleSteps},
		InputButtons: {Name: "buttons", Type: wire.TypeFlags, Names: []string{"boost"}},
	},
	Events: []wire.EventKind{
		{Kind: EventPickup, Name: "pickup", Actor: "drone", Target: "core",
			Values: []wire.Field{{Name: "cores", Type: wire.TypeUint}, {Name: "value", Type: wire.TypeUint}}},
		{Kind: EventTag, Name: "tag", Actor: "tagger", Target: "victim",
			Values: []wire.Field{{Name: "stolen", Type: wire.TypeUint}}},
		{Kind: EventCoreSpawn, Name: "core_spawn", Target: "core",
			Values: []wire.Field{{Name: "value", Type: wire.TypeUint}}},
		{Kind: EventDroneSpawn, Name: "drone_spawn", Target: "drone"},
	},
	Results: []wire.Field{
		ResultCores:   {Name: "cores", Type: wire.TypeUint},
		ResultTags:    {Name: "tags", Type: wire.TypeUint},
		ResultTagged:  {Name: "tagged", Type: wire.TypeUint},
		ResultPickups: {Name: "pickups", Type: wire.TypeUint},
	},
	Messages: messages,
}

// layout is the row layout of Schema, shared by every game and the tests.
var layout = wire.NewLayout(Schema)

// Layout returns the row layout of Schema, for code that builds views of
// a drones game (wire.NewRows).
func Layout() *wire.Layout { return layout }

// Input is a drones input, the values of its schema's input.
type Input struct {
	// Thrust pushes along the facing (pitch included), Strafe to the
	// drone's right in the horizontal plane and Lift straight up; each is
	// -AxisMax..AxisMax, and the three together never push harder than
	// one axis at full.
	Thrust, Strafe, Lift int32
	// Yaw is the heading the drone should face, in 1/AngleSteps turns
	// counter-clockwise from +x.
	Yaw int32
	// Pitch is how far above the horizon the drone should face, in
	// 1/AngleSteps turns (AngleSteps-k is k below); the game limits it to
	// ±PitchLimit.
	Pitch int32
	// Buttons is a bit set of ButtonBoost.
	Buttons uint32
}

// InputOf reads a drones input from the room's validated input.
func InputOf(in game.Input) Input {
	return InputFromValues(in.Values[:])
}

// InputFromValues reads a drones input from its values in schema order
// (missing ones are 0), clamped as the server clamps them.
func InputFromValues(values []int32) Input {
	var v [InputButtons + 1]int32
	copy(v[:], values)
	in := Schema.Input
	return Input{
		Thrust:  in[InputThrust].Clamp(v[InputThrust]),
		Strafe:  in[InputStrafe].Clamp(v[InputStrafe]),
		Lift:    in[InputLift].Clamp(v[InputLift]),
		Yaw:     in[InputYaw].Clamp(v[InputYaw]),
		Pitch:   in[InputPitch].Clamp(v[InputPitch]),
		Buttons: uint32(in[InputButtons].Clamp(v[InputButtons])),
	}
}

// Values returns the input's values in schema order, as a client sends
// them.
func (in Input) Values() []int32 {
	return []int32{
		InputThrust:  in.Thrust,
		InputStrafe:  in.Strafe,
		InputLift:    in.Lift,
		InputYaw:     in.Yaw,
		InputPitch:   in.Pitch,
		InputButtons: int32(in.Buttons),
	}
}

// GameInput returns the input as the room hands it to ApplyInput, with
// seq, for tests and in-process drivers.
func (in Input) GameInput(seq uint32) game.Input {
	gi := game.Input{Seq: seq}
	copy(gi.Values[:], in.Values())
	return gi
}
