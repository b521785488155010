package game

import (
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// The lifecycle of a room, run on its goroutine: WAITING until it has
// MinPlayers seats (held seats count: their players are coming back),
// COUNTDOWN for the configured ticks (back to WAITING if seats drop below
// MinPlayers meanwhile), RUNNING from the match start until Game.Results
// says the match ended, then ENDED. The room ticks and offers snapshots in
// every phase, so players can warm up; only RUNNING consults Results.

// updatePhase moves between WAITING, COUNTDOWN and RUNNING after the seat
// count changed between ticks; it reports whether the phase changed.
func (r *Room) updatePhase() bool {
	enough := len(r.seats) >= r.cfg.MinPlayers
	switch {
	case r.phase == pb.RoomPhase_ROOM_PHASE_WAITING && enough && r.countdown == 0:
		// No countdown: the next tick is the first of the match.
		r.beginMatch(r.tick + 1)
	case r.phase == pb.RoomPhase_ROOM_PHASE_WAITING && enough:
		r.startTick = r.tick + r.countdown
		r.setPhase(pb.RoomPhase_ROOM_PHASE_COUNTDOWN, r.tick)
	case r.phase == pb.RoomPhase_ROOM_PHASE_COUNTDOWN && !enough:
		r.setPhase(pb.RoomPhase_ROOM_PHASE_WAITING, r.tick)
	default:
		return false
	}
	return true
}

// countdownOver starts the match when tick, about to be stepped, is the
// first tick after the countdown; it reports whether it did.
func (r *Room) countdownOver(tick uint32) bool {
	if r.phase != pb.RoomPhase_ROOM_PHASE_COUNTDOWN || tick < r.startTick {
		return false
	}
	r.beginMatch(tick)
	return true
}

// beginMatch moves the room to RUNNING with tick as the first tick of the
// match, and lets the game reset itself for it before that tick's inputs.
func (r *Room) beginMatch(tick uint32) {
	if ms, ok := r.game.(MatchStarter); ok {
		ms.StartMatch(tick)
		r.rec.StartMatch(tick)
	}
	r.setPhase(pb.RoomPhase_ROOM_PHASE_RUNNING, tick)
}

// setPhase enters phase, begun at tick, and sends every connected seat the
// new RoomState.
func (r *Room) setPhase(phase pb.RoomPhase, tick uint32) {
	r.phase, r.phaseTick = phase, tick
	phaseChanges.WithLabelValues(phaseLabel(phase)).Inc()
	msg := r.roomState()
	n := proto.Size(msg)
	for _, s := range r.seats {
		if s.sendable() {
			s.send(msg, n)
		}
	}
	// Published last: whoever reads the phase through Phase or Stats
	// knows the seats have been sent its RoomState.
	r.stats.phase.Store(int32(phase))
	r.cfg.Logger.Debug("room phase", "room", r.cfg.ID, "phase", phase, "tick", tick, "players", len(r.seats))
}

// sendCountdown sends seat, which joined or resumed without changing the
// phase, the current RoomState while a countdown runs: Joined names the
// phase but not when the match starts.
func (r *Room) sendCountdown(seat *Seat) {
	if r.phase == pb.RoomPhase_ROOM_PHASE_COUNTDOWN && seat.sendable() {
		msg := r.roomState()
		seat.send(msg, proto.Size(msg))
	}
}

// roomState is the RoomState message of the current phase.
func (r *Room) roomState() *pb.ServerMessage {
	st := &pb.RoomState{RoomId: r.cfg.ID, Phase: r.phase, Tick: r.phaseTick}
	switch r.phase {
	case pb.RoomPhase_ROOM_PHASE_COUNTDOWN:
		st.CountdownTicks = r.startTick - r.phaseTick
	case pb.RoomPhase_ROOM_PHASE_WAITING:
		st.PlayersNeeded = uint32(max(0, r.cfg.MinPlayers-len(r.seats)))
	}
	return &pb.ServerMessage{Body: &pb.ServerMessage_RoomState{RoomState: st}}
}

// changed publishes the seat counts and reports the room to OnChange.
func (r *Room) changed(ended bool) {
	r.stats.connected.Store(int32(r.connected))
	if r.cfg.OnChange == nil {
		return
	}
	r.cfg.OnChange(RoomChange{Phase: r.phase, Players: len(r.seats), Connected: r.connected, Tick: r.tick, Ended: ended})
}

// phaseLabel is the metric label of a phase.
func phaseLabel(p pb.RoomPhase) string {
	switch p {
	case pb.RoomPhase_ROOM_PHASE_WAITING:
		return "waiting"
	case pb.RoomPhase_ROOM_PHASE_COUNTDOWN:
		return "countdown"
	case pb.RoomPhase_ROOM_PHASE_RUNNING:
		return "running"
	case pb.RoomPhase_ROOM_PHASE_ENDED:
		return "ended"
	}
	return "unspecified"
}
