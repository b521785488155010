package wire

import pb "github.com/tickwire/tickwire/proto/tickwire/v1"

// Event is a one-off game event as it travels in snapshots.
type Event struct {
	Tick   uint32
	Kind   uint32
	Actor  uint32
	Target uint32
	Value  int32
}

// EventFromProto converts a received GameEvent; a nil event gives the zero
// Event.
func EventFromProto(e *pb.GameEvent) Event {
	return Event{
		Tick:   e.GetTick(),
		Kind:   e.GetKind(),
		Actor:  e.GetActor(),
		Target: e.GetTarget(),
		Value:  e.GetValue(),
	}
}
