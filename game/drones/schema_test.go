package drones

import (
	"math"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
)

func TestSchemaValid(t *testing.T) {
	if err := Schema.Validate(); err != nil {
		t.Fatalf("Schema.Validate: %v", err)
	}
	d := Schema.Kind(KindDrone)
	if d == nil || d.Name != "drone" || len(d.Fields) < 10 {
		t.Fatalf("drone kind = %+v, want kind %d named drone with at least 10 fields", d, KindDrone)
	}
	if c := Schema.Kind(KindCore); c == nil || c.Name != "core" {
		t.Fatalf("core kind = %+v, want kind %d named core", c, KindCore)
	}
	// The fields that change on every tick of flight fit the first byte
	// of a field mask (7 bits).
	roles := []wire.Role{wire.RolePositionX, wire.RolePositionY, wire.RolePositionZ,
		wire.RoleYaw, wire.RolePitch, wire.RoleVelocityX, wire.RoleVelocityY}
	for i, r := range roles {
		if d.Fields[i].Role != r {
			t.Errorf("drone field %d %q has role %v, want %v", i, d.Fields[i].Name, d.Fields[i].Role, r)
		}
	}
	tests := []struct {
		field  int
		name   string
		typ    wire.FieldType
		scale  int32
		interp wire.Interp
		role   wire.Role
	}{
		{DroneX, "x", wire.TypeFixed, PositionScale, wire.InterpLinear, wire.RolePositionX},
		{DroneY, "y", wire.TypeFixed, PositionScale, wire.InterpLinear, wire.RolePositionY},
		{DroneZ, "z", wire.TypeFixed, PositionScale, wire.InterpLinear, wire.RolePositionZ},
		{DroneYaw, "yaw", wire.TypeAngle, AngleSteps, wire.InterpAngle, wire.RoleYaw},
		{DronePitch, "pitch", wire.TypeAngle, AngleSteps, wire.InterpAngle, wire.RolePitch},
		{DroneVX, "vx", wire.TypeFixed, VelocityScale, wire.InterpNone, wire.RoleVelocityX},
		{DroneVY, "vy", wire.TypeFixed, VelocityScale, wire.InterpNone, wire.RoleVelocityY},
		{DroneVZ, "vz", wire.TypeFixed, VelocityScale, wire.InterpNone, wire.RoleVelocityZ},
		{DroneEnergy, "energy", wire.TypeUint, 0, wire.InterpNone, wire.RoleNone},
		{DroneFlags, "flags", wire.TypeFlags, 0, wire.InterpNone, wire.RoleNone},
		{DroneCores, "cores", wire.TypeUint, 0, wire.InterpNone, wire.RoleNone},
		{DroneOwner, "owner", wire.TypeUint, 0, wire.InterpNone, wire.RoleOwner},
	}
	for _, tt := range tests {
		f := d.Fields[tt.field]
		if f.Name != tt.name || f.Type != tt.typ || f.Scale != tt.scale || f.Interp != tt.interp || f.Role != tt.role {
			t.Errorf("drone field %d = %+v, want %s %v scale %d %v %v", tt.field, f, tt.name, tt.typ, tt.scale, tt.interp, tt.role)
		}
	}
	for _, name := range []string{"pickup", "tag", "core_spawn", "drone_spawn"} {
		found := false
		for _, e := range Schema.Events {
			found = found || e.Name == name
		}
		if !found {
			t.Errorf("no event %q", name)
		}
	}
	if len(Schema.Results) != ResultPickups+1 {
		t.Errorf("%d result values, want %d", len(Schema.Results), ResultPickups+1)
	}
}

func TestInputClamp(t *testing.T) {
	tests := []struct {
		name string
		raw  []int32
		want Input
	}{
		{"zero", nil, Input{}},
		{"limits", []int32{AxisMax, -AxisMax, AxisMax, AngleSteps - 1, AngleSteps - 1, 1},
			Input{Thrust: AxisMax, Strafe: -AxisMax, Lift: AxisMax, Yaw: AngleSteps - 1, Pitch: AngleSteps - 1, Buttons: ButtonBoost}},
		{"beyond", []int32{1000, -1000, math.MaxInt32, AngleSteps + 5, -1, -1},
			Input{Thrust: AxisMax, Strafe: -AxisMax, Lift: AxisMax, Yaw: 5, Pitch: AngleSteps - 1, Buttons: ButtonBoost}},
		{"extremes", []int32{math.MinInt32, math.MinInt32, math.MinInt32, math.MinInt32, math.MaxInt32, math.MaxInt32},
			Input{Thrust: -AxisMax, Strafe: -AxisMax, Lift: -AxisMax, Yaw: 0, Pitch: math.MaxInt32 % AngleSteps, Buttons: ButtonBoost}},
		{"extra values ignored", []int32{1, 2, 3, 4, 5, 0, 99, 99}, Input{Thrust: 1, Strafe: 2, Lift: 3, Yaw: 4, Pitch: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := InputFromValues(tt.raw)
			if got != tt.want {
				t.Fatalf("InputFromValues(%v) = %+v, want %+v", tt.raw, got, tt.want)
			}
			if back := InputOf(got.GameInput(7)); back != got {
				t.Errorf("round trip through game.Input = %+v, want %+v", back, got)
			}
			// The room clamps with the schema's fields; so does the game.
			for i, v := range got.Values() {
				if c := Schema.Input[i].Clamp(v); c != v {
					t.Errorf("value %d = %d, which the schema clamps to %d", i, v, c)
				}
			}
		})
	}
}
