package wire

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// messageSchema is a valid schema with two message kinds.
func messageSchema() *Schema {
	s := validSchema()
	s.Messages = []MessageKind{
		{Kind: 1, Name: "ready", Values: []Field{{Name: "on", Type: TypeBool}}},
		{Kind: 7, Name: "ready_count", Values: []Field{{Name: "ready", Type: TypeUint}, {Name: "players", Type: TypeUint}}},
	}
	return s
}

func TestMessageKindsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *Schema)
		want   string
	}{
		{"valid", func(*Schema) {}, ""},
		{"none", func(s *Schema) { s.Messages = nil }, ""},
		{"kind 0", func(s *Schema) { s.Messages[0].Kind = 0 }, `message "ready": kind number 0`},
		{"kind twice", func(s *Schema) { s.Messages[1].Kind = 1 }, "message kind number 1 declared twice"},
		{"name twice", func(s *Schema) { s.Messages[1].Name = "ready" }, `message name "ready" declared twice`},
		{"name empty", func(s *Schema) { s.Messages[0].Name = "" }, "message 1: name"},
		{"17 values", func(s *Schema) { s.Messages[0].Values = fields(MaxMessageValues + 1) }, "17 fields, at most 16"},
		{"bad value", func(s *Schema) { s.Messages[0].Values[0].Type = 0 }, `message "ready": field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := messageSchema()
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

func TestMessageKindsProtoRoundTrip(t *testing.T) {
	s := messageSchema()
	got, err := SchemaFromProto(s.Proto())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Messages, s.Messages) {
		t.Fatalf("messages after a round trip = %+v, want %+v", got.Messages, s.Messages)
	}
	if m := got.Message(7); m == nil || m.Name != "ready_count" {
		t.Errorf("Message(7) = %v", m)
	}
	if m := got.Message(2); m != nil {
		t.Errorf("Message(2) = %v, want nil", m)
	}
}
