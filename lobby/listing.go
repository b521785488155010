package lobby

import (
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// infoLocked describes a room for listings; r.mu must be held.
func (r *Registry) infoLocked(e *roomEntry) *pb.RoomInfo {
	return &pb.RoomInfo{
		RoomId:     e.room.ID(),
		Mode:       e.mode,
		Phase:      e.phase,
		Players:    uint32(e.reserved),
		MaxPlayers: uint32(e.maxPlayers),
		AgeS:       uint32(time.Since(e.created) / time.Second),
		Private:    e.private,
	}
}

// Info describes one room.
func (r *Registry) Info(e *roomEntry) *pb.RoomInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.infoLocked(e)
}

// List returns the public rooms of mode (all modes when empty), oldest
// first.
func (r *Registry) List(mode string) []*pb.RoomInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.listLocked(mode)
}

func (r *Registry) listLocked(mode string) []*pb.RoomInfo {
	out := make([]*pb.RoomInfo, 0, len(r.order))
	for _, e := range r.order {
		if !e.private && !e.ended && (mode == "" || e.mode == mode) {
			out = append(out, r.infoLocked(e))
		}
	}
	return out
}

// Subscribe returns the public rooms of mode and sends the session a
// RoomUpdate for every later change to them, until Unsubscribe.
func (r *Registry) Subscribe(s *session, mode string) []*pb.RoomInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs[s] = mode
	return r.listLocked(mode)
}

// Unsubscribe ends a session's RoomUpdate stream.
func (r *Registry) Unsubscribe(s *session) {
	r.mu.Lock()
	delete(r.subs, s)
	r.mu.Unlock()
}

// publish queues a room change for the notifier; it never blocks, so rooms
// may call it from their goroutine.
func (r *Registry) publish(u roomUpdate) {
	select {
	case r.updates <- u:
	default:
		roomUpdatesDropped.Inc()
	}
}

// notify is the notifier goroutine: it records phases and tells
// subscribers about changes until the registry's context ends.
func (r *Registry) notify() {
	defer r.notifier.Done()
	for {
		select {
		case <-r.ctx.Done():
			return
		case u := <-r.updates:
			r.deliver(u)
		}
	}
}

// deliver applies one change and sends it to the subscribers of its mode.
// Sends never block: a subscriber that cannot keep up is closed by its
// connection as a slow consumer.
func (r *Registry) deliver(u roomUpdate) {
	e, kind := u.entry, u.kind
	r.mu.Lock()
	if u.hasPhase {
		if e.phase == u.phase {
			r.mu.Unlock()
			return
		}
		e.phase = u.phase
	}
	if e.private || e.room == nil || len(r.subs) == 0 {
		r.mu.Unlock()
		return
	}
	info := r.infoLocked(e)
	targets := make([]*session, 0, len(r.subs))
	for s, mode := range r.subs {
		if mode == "" || mode == e.mode {
			targets = append(targets, s)
		}
	}
	r.mu.Unlock()
	msg := &pb.ServerMessage{Body: &pb.ServerMessage_RoomUpdate{RoomUpdate: &pb.RoomUpdate{Kind: kind, Room: info}}}
	for _, s := range targets {
		s.conn.Send(msg)
	}
	roomUpdatesSent.Add(float64(len(targets)))
}
