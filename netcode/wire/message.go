package wire

import pb "github.com/tickwire/tickwire/proto/tickwire/v1"

// MaxMessageValues is the most values a game message may hold.
const MaxMessageValues = 16

// MessageKind is one kind of game message (pb.GameMessage): a reliable,
// ordered message a client sends its room's game, or the game sends its
// players. One list of kinds serves both directions.
type MessageKind struct {
	// Kind is the GameMessage.Kind number, nonzero.
	Kind uint32
	// Name is unique among the schema's messages, such as "ready".
	Name string
	// Values names the message's values in order; at most
	// MaxMessageValues. Received values are clamped into their field's
	// range, like input values.
	Values []Field
}

// Message returns the message kind numbered kind, or nil.
func (s *Schema) Message(kind uint32) *MessageKind {
	for k := range s.Messages {
		if s.Messages[k].Kind == kind {
			return &s.Messages[k]
		}
	}
	return nil
}

// validateMessages checks the message kinds: nonzero, distinct numbers and
// names, at most MaxMessageValues values each.
func (s *Schema) validateMessages() error {
	kinds := make(map[uint32]bool, len(s.Messages))
	names := make(map[string]bool, len(s.Messages))
	for k := range s.Messages {
		m := &s.Messages[k]
		switch {
		case m.Kind == 0:
			return invalid("message %q: kind number 0", m.Name)
		case kinds[m.Kind]:
			return invalid("message kind number %d declared twice", m.Kind)
		case names[m.Name]:
			return invalid("message name %q declared twice", m.Name)
		}
		if err := checkName(m.Name); err != nil {
			return invalid("message %d: %v", m.Kind, err)
		}
		kinds[m.Kind], names[m.Name] = true, true
		if err := checkFields(m.Values, MaxMessageValues); err != nil {
			return invalid("message %q: %v", m.Name, err)
		}
	}
	return nil
}

// messagesProto converts the message kinds to their wire form.
func messagesProto(kinds []MessageKind) []*pb.MessageKindSchema {
	var out []*pb.MessageKindSchema
	for k := range kinds {
		m := &kinds[k]
		out = append(out, &pb.MessageKindSchema{Kind: m.Kind, Name: m.Name, Values: fieldsProto(m.Values)})
	}
	return out
}

// messagesFromProto converts received message kinds.
func messagesFromProto(kinds []*pb.MessageKindSchema) []MessageKind {
	var out []MessageKind
	for _, m := range kinds {
		out = append(out, MessageKind{Kind: m.GetKind(), Name: m.GetName(), Values: fieldsFromProto(m.GetValues())})
	}
	return out
}
