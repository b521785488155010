package wire

import pb "github.com/tickwire/tickwire/proto/tickwire/v1"

// Event is a one-off game event as it travels in snapshots. Its meaning is
// the game's, named by the schema's EventKind of Kind.
type Event struct {
	// Tick is the tick the event happened at; the room sets it.
	Tick uint32
	// Kind is one of the schema's event kinds.
	Kind uint32
	// Actor and Target are the entities that caused the event and that it
	// happened to, 0 for none. A player receives an event only when every
	// entity it names is in that player's view.
	Actor, Target uint32
	// Values are the game-defined values the EventKind names; unused ones
	// are 0 and cost nothing on the wire.
	Values [MaxEventValues]int32
}

// EventFromProto converts a received GameEvent; a nil event gives the zero
// Event, and values past MaxEventValues are dropped.
func EventFromProto(e *pb.GameEvent) Event {
	ev := Event{
		Tick:   e.GetTick(),
		Kind:   e.GetKind(),
		Actor:  e.GetActor(),
		Target: e.GetTarget(),
	}
	copy(ev.Values[:], e.GetValues())
	return ev
}
