package wire

import (
	"fmt"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Proto returns the schema as its wire message.
func (s *Schema) Proto() *pb.Schema {
	m := &pb.Schema{
		Input:    fieldsProto(s.Input),
		Results:  fieldsProto(s.Results),
		Messages: messagesProto(s.Messages),
	}
	for k := range s.Entities {
		e := &s.Entities[k]
		m.Entities = append(m.Entities, &pb.EntityKindSchema{Kind: e.Kind, Name: e.Name, Fields: fieldsProto(e.Fields)})
	}
	for k := range s.Events {
		e := &s.Events[k]
		m.Events = append(m.Events, &pb.EventKindSchema{Kind: e.Kind, Name: e.Name, Values: fieldsProto(e.Values),
			Actor: e.Actor, Target: e.Target})
	}
	return m
}

// fieldsProto converts a list of fields.
func fieldsProto(fields []Field) []*pb.FieldSchema {
	if len(fields) == 0 {
		return nil
	}
	out := make([]*pb.FieldSchema, len(fields))
	for i := range fields {
		f := &fields[i]
		out[i] = &pb.FieldSchema{
			Name: f.Name, Type: f.Type, Scale: f.Scale, Min: f.Min, Max: f.Max,
			Names: append([]string(nil), f.Names...), Interpolation: f.Interp, Role: f.Role,
		}
	}
	return out
}

// SchemaFromProto converts a received schema and validates it; a client
// refuses a room whose schema does not validate.
func SchemaFromProto(m *pb.Schema) (*Schema, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: missing", ErrInvalidSchema)
	}
	s := &Schema{
		Input:    fieldsFromProto(m.GetInput()),
		Results:  fieldsFromProto(m.GetResults()),
		Messages: messagesFromProto(m.GetMessages()),
	}
	for _, e := range m.GetEntities() {
		s.Entities = append(s.Entities, EntityKind{Kind: e.GetKind(), Name: e.GetName(), Fields: fieldsFromProto(e.GetFields())})
	}
	for _, e := range m.GetEvents() {
		s.Events = append(s.Events, EventKind{Kind: e.GetKind(), Name: e.GetName(), Values: fieldsFromProto(e.GetValues()),
			Actor: e.GetActor(), Target: e.GetTarget()})
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// fieldsFromProto converts a list of received fields.
func fieldsFromProto(fields []*pb.FieldSchema) []Field {
	if len(fields) == 0 {
		return nil
	}
	out := make([]Field, len(fields))
	for i, f := range fields {
		out[i] = Field{
			Name: f.GetName(), Type: f.GetType(), Scale: f.GetScale(), Min: f.GetMin(), Max: f.GetMax(),
			Names: append([]string(nil), f.GetNames()...), Interp: f.GetInterpolation(), Role: f.GetRole(),
		}
	}
	return out
}
