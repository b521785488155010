package wire

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// validSchema is a small schema that passes Validate; each case of
// TestSchemaValidate breaks one rule of a copy.
func validSchema() *Schema {
	return &Schema{
		Entities: []EntityKind{
			{Kind: 1, Name: "player", Fields: []Field{
				{Name: "x", Type: TypeFixed, Scale: 8, Interp: InterpLinear, Role: RolePositionX},
				{Name: "y", Type: TypeFixed, Scale: 8, Interp: InterpLinear, Role: RolePositionY},
				{Name: "angle", Type: TypeAngle, Scale: 4096, Interp: InterpAngle, Role: RoleYaw},
				{Name: "health", Type: TypeUint, Max: 100},
				{Name: "weapon", Type: TypeEnum, Names: []string{"none", "blaster"}},
				{Name: "flags", Type: TypeFlags, Names: []string{"alive", "shielded"}},
				{Name: "owner", Type: TypeUint, Role: RoleOwner},
			}},
			{Kind: 2, Name: "shot", Fields: []Field{{Name: "x", Type: TypeInt}}},
		},
		Input:   []Field{{Name: "move_x", Type: TypeInt, Min: -127, Max: 127}, {Name: "fire", Type: TypeBool}},
		Events:  []EventKind{{Kind: 1, Name: "hit", Values: []Field{{Name: "damage", Type: TypeInt}}, Actor: "shooter", Target: "victim"}},
		Results: []Field{{Name: "kills", Type: TypeUint}},
	}
}

// cloneSchema deep-copies s.
func cloneSchema(s *Schema) *Schema {
	c := &Schema{}
	for _, e := range s.Entities {
		e.Fields = cloneFields(e.Fields)
		c.Entities = append(c.Entities, e)
	}
	c.Input = cloneFields(s.Input)
	for _, e := range s.Events {
		e.Values = cloneFields(e.Values)
		c.Events = append(c.Events, e)
	}
	c.Results = cloneFields(s.Results)
	return c
}

func cloneFields(fs []Field) []Field {
	if fs == nil {
		return nil
	}
	out := make([]Field, len(fs))
	for i, f := range fs {
		f.Names = append([]string(nil), f.Names...)
		out[i] = f
	}
	return out
}

// names returns n distinct names.
func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("n%d", i)
	}
	return out
}

// fields returns n distinct INT fields.
func fields(n int) []Field {
	out := make([]Field, n)
	for i, name := range names(n) {
		out[i] = Field{Name: name, Type: TypeInt}
	}
	return out
}

func TestSchemaValidate(t *testing.T) {
	long := strings.Repeat("a", maxNameBytes+1)
	tests := []struct {
		name   string
		mutate func(s *Schema)
		want   string // in the error; "" means valid
	}{
		{"valid", func(*Schema) {}, ""},
		{"name of 64 bytes", func(s *Schema) { s.Entities[0].Name = long[1:] }, ""},
		{"32 fields", func(s *Schema) { s.Entities[1].Fields = fields(MaxFields) }, ""},
		{"no input, events or results", func(s *Schema) { s.Input, s.Events, s.Results = nil, nil, nil }, ""},
		{"no entity kinds", func(s *Schema) { s.Entities = nil }, "no entity kinds"},
		{"too many kinds", func(s *Schema) {
			s.Entities = nil
			for k, n := range names(MaxKind + 1) {
				s.Entities = append(s.Entities, EntityKind{Kind: uint32(k + 1), Name: n})
			}
		}, "at most 255"},
		{"kind 0", func(s *Schema) { s.Entities[0].Kind = 0 }, "outside 1..255"},
		{"kind 256", func(s *Schema) { s.Entities[0].Kind = 256 }, "outside 1..255"},
		{"kind number twice", func(s *Schema) { s.Entities[1].Kind = 1 }, "number 1 declared twice"},
		{"kind name twice", func(s *Schema) { s.Entities[1].Name = "player" }, `"player" declared twice`},
		{"kind name empty", func(s *Schema) { s.Entities[0].Name = "" }, "is not 1 to 64 bytes"},
		{"kind name too long", func(s *Schema) { s.Entities[0].Name = long }, "is not 1 to 64 bytes"},
		{"33 fields", func(s *Schema) { s.Entities[1].Fields = fields(MaxFields + 1) }, "33 fields, at most 32"},
		{"field name empty", func(s *Schema) { s.Entities[0].Fields[2].Name = "" }, "field 2: name"},
		{"field name too long", func(s *Schema) { s.Entities[0].Fields[2].Name = long }, "field 2: name"},
		{"field name twice", func(s *Schema) { s.Entities[0].Fields[1].Name = "x" }, `field "x" declared twice`},
		{"type unspecified", func(s *Schema) { s.Entities[1].Fields[0].Type = 0 }, "unknown type 0"},
		{"type unknown", func(s *Schema) { s.Entities[1].Fields[0].Type = 99 }, "unknown type 99"},
		{"interpolation unknown", func(s *Schema) { s.Entities[1].Fields[0].Interp = 9 }, "unknown interpolation 9"},
		{"role unknown", func(s *Schema) { s.Entities[1].Fields[0].Role = 99 }, "unknown role 99"},
		{"fixed without scale", func(s *Schema) { s.Entities[0].Fields[0].Scale = 0 }, "needs a scale of at least 1"},
		{"angle with negative scale", func(s *Schema) { s.Entities[0].Fields[2].Scale = -1 }, "needs a scale of at least 1"},
		{"int with scale", func(s *Schema) { s.Entities[1].Fields[0].Scale = 8 }, "takes no scale"},
		{"angle interpolation on fixed", func(s *Schema) { s.Entities[0].Fields[0].Interp = InterpAngle }, "angle interpolation on a"},
		{"min above max", func(s *Schema) { s.Entities[1].Fields[0].Min, s.Entities[1].Fields[0].Max = 1, -1 }, "min 1 above max -1"},
		{"enum without names", func(s *Schema) { s.Entities[0].Fields[4].Names = nil }, "an enum needs 1 to 256 names"},
		{"enum of 257 names", func(s *Schema) { s.Entities[0].Fields[4].Names = names(maxEnumNames + 1) }, "an enum needs 1 to 256 names"},
		{"flags without names", func(s *Schema) { s.Entities[0].Fields[5].Names = nil }, "flags need 1 to 32 bit names"},
		{"flags of 33 names", func(s *Schema) { s.Entities[0].Fields[5].Names = names(33) }, "flags need 1 to 32 bit names"},
		{"int with names", func(s *Schema) { s.Entities[1].Fields[0].Names = []string{"a"} }, "takes no names"},
		{"value name too long", func(s *Schema) { s.Entities[0].Fields[4].Names[1] = long }, "longer than 64 bytes"},
		{"17 input fields", func(s *Schema) { s.Input = fields(MaxInputFields + 1) }, "input: 17 fields, at most 16"},
		{"bad input field", func(s *Schema) { s.Input[1].Type = 0 }, "input: field"},
		{"event kind 0", func(s *Schema) { s.Events[0].Kind = 0 }, "kind number 0"},
		{"event kind twice", func(s *Schema) {
			s.Events = append(s.Events, EventKind{Kind: 1, Name: "death"})
		}, "event kind number 1 declared twice"},
		{"event name twice", func(s *Schema) {
			s.Events = append(s.Events, EventKind{Kind: 2, Name: "hit"})
		}, `event name "hit" declared twice`},
		{"event name empty", func(s *Schema) { s.Events[0].Name = "" }, "event 1: name"},
		{"5 event values", func(s *Schema) { s.Events[0].Values = fields(MaxEventValues + 1) }, "5 fields, at most 4"},
		{"17 results", func(s *Schema) { s.Results = fields(MaxResultValues + 1) }, "results: 17 fields, at most 16"},
		{"bad result", func(s *Schema) { s.Results[0].Name = "" }, "results: field 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := cloneSchema(validSchema())
			tt.mutate(s)
			err := s.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate = %v, want nil", err)
			case tt.want == "":
			case err == nil:
				t.Fatalf("Validate = nil, want an error containing %q", tt.want)
			case !errors.Is(err, ErrInvalidSchema) || !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Validate = %v, want ErrInvalidSchema containing %q", err, tt.want)
			}
		})
	}
}

func TestSchemaLookups(t *testing.T) {
	s := validSchema()
	if got := s.Width(); got != 8 {
		t.Errorf("Width = %d, want 8", got)
	}
	if got := (&Schema{Entities: []EntityKind{{Kind: 1, Name: "a"}}}).Width(); got != 1 {
		t.Errorf("Width of a kind without fields = %d, want 1", got)
	}
	if k := s.Kind(2); k == nil || k.Name != "shot" {
		t.Errorf("Kind(2) = %v", k)
	}
	if k := s.Kind(3); k != nil {
		t.Errorf("Kind(3) = %v, want nil", k)
	}
	if k := s.KindNamed("player"); k == nil || k.Kind != 1 {
		t.Errorf("KindNamed(player) = %v", k)
	}
	if k := s.KindNamed("ghost"); k != nil {
		t.Errorf("KindNamed(ghost) = %v, want nil", k)
	}
	if e := s.Event(1); e == nil || e.Name != "hit" {
		t.Errorf("Event(1) = %v", e)
	}
	if e := s.Event(2); e != nil {
		t.Errorf("Event(2) = %v, want nil", e)
	}
	if i := FieldIndex(s.Entities[0].Fields, "angle"); i != 2 {
		t.Errorf("FieldIndex(angle) = %d, want 2", i)
	}
	if i := FieldIndex(s.Entities[0].Fields, "z"); i != -1 {
		t.Errorf("FieldIndex(z) = %d, want -1", i)
	}
}

func TestFieldRangeAndClamp(t *testing.T) {
	tests := []struct {
		name   string
		f      Field
		lo, hi int32
		clamps [][2]int32 // in, out
	}{
		{"int", Field{Type: TypeInt}, math.MinInt32, math.MaxInt32,
			[][2]int32{{math.MinInt32, math.MinInt32}, {5, 5}}},
		{"int with range", Field{Type: TypeInt, Min: -127, Max: 127}, -127, 127,
			[][2]int32{{-128, -127}, {200, 127}, {3, 3}}},
		{"int with only max", Field{Type: TypeInt, Max: 10}, 0, 10,
			[][2]int32{{-1, 0}, {11, 10}}},
		{"uint", Field{Type: TypeUint}, 0, math.MaxInt32,
			[][2]int32{{-1, 0}, {math.MaxInt32, math.MaxInt32}}},
		{"bool", Field{Type: TypeBool}, 0, 1,
			[][2]int32{{0, 0}, {1, 1}, {7, 1}, {-7, 1}}},
		{"enum", Field{Type: TypeEnum, Names: []string{"a", "b", "c"}}, 0, 2,
			[][2]int32{{-1, 0}, {2, 2}, {3, 2}}},
		{"flags", Field{Type: TypeFlags, Names: []string{"a", "b", "c"}}, math.MinInt32, math.MaxInt32,
			[][2]int32{{0xFF, 7}, {-1, 7}, {5, 5}}},
		{"32 flags", Field{Type: TypeFlags, Names: names(32)}, math.MinInt32, math.MaxInt32,
			[][2]int32{{-1, -1}, {math.MinInt32, math.MinInt32}}},
		{"fixed", Field{Type: TypeFixed, Scale: 8}, math.MinInt32, math.MaxInt32,
			[][2]int32{{-9, -9}}},
		{"angle", Field{Type: TypeAngle, Scale: 360}, 0, 359,
			[][2]int32{{360, 0}, {-1, 359}, {725, 5}, {math.MinInt32, (math.MinInt32%360 + 360) % 360}}},
		{"angle with range", Field{Type: TypeAngle, Scale: 360, Min: 0, Max: 90}, 0, 90,
			[][2]int32{{100, 90}, {-300, 60}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if lo, hi := tt.f.Range(); lo != tt.lo || hi != tt.hi {
				t.Errorf("Range = %d..%d, want %d..%d", lo, hi, tt.lo, tt.hi)
			}
			for _, c := range tt.clamps {
				if got := tt.f.Clamp(c[0]); got != c[1] {
					t.Errorf("Clamp(%d) = %d, want %d", c[0], got, c[1])
				}
			}
		})
	}
}

func TestSchemaProtoRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	schemas := []*Schema{validSchema()}
	for range 200 {
		schemas = append(schemas, randSchema(r, 1+r.IntN(1+MaxFields)))
	}
	for i, s := range schemas {
		if err := s.Validate(); err != nil {
			t.Fatalf("schema %d: %v", i, err)
		}
		// Through the bytes, as a client receives it in Joined.
		b, err := proto.Marshal(s.Proto())
		if err != nil {
			t.Fatal(err)
		}
		var m pb.Schema
		if err := proto.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		got, err := SchemaFromProto(&m)
		if err != nil {
			t.Fatalf("schema %d: SchemaFromProto: %v", i, err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("schema %d round-trips to\n%+v\nwant\n%+v", i, got, s)
		}
	}
}

func TestSchemaFromProtoRefuses(t *testing.T) {
	if _, err := SchemaFromProto(nil); !errors.Is(err, ErrInvalidSchema) {
		t.Errorf("SchemaFromProto(nil) = %v, want ErrInvalidSchema", err)
	}
	m := validSchema().Proto()
	m.Entities[1].Kind = 1
	if _, err := SchemaFromProto(m); !errors.Is(err, ErrInvalidSchema) {
		t.Errorf("SchemaFromProto of a kind declared twice = %v, want ErrInvalidSchema", err)
	}
}
