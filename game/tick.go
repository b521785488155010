package game

import (
	"fmt"
	"slices"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// step runs one simulation tick: inputs, Step, events, and on snapshot ticks
// the snapshot. It reports whether the match ended, in which case every
// player has been sent the results and Left.
func (r *Room) step() (ended bool) {
	r.tick++
	tick := r.tick
	if r.countdownOver(tick) {
		r.changed(false)
	}
	for _, s := range r.seats {
		r.applyInputs(s)
	}
	r.takeTalk()
	r.calling = CallStep
	r.game.Step(tick)
	r.calling = ""
	r.rec.Step(tick)
	n := len(r.pending)
	r.calling = CallDrainEvents
	r.pending = r.game.DrainEvents(r.pending)
	r.calling = ""
	for k := n; k < len(r.pending); k++ {
		r.pending[k].Tick = tick
	}
	r.sendGameMessages()
	if tick%r.interval == 0 {
		r.snapshot(tick)
	}
	r.stats.tick.Store(tick)
	if r.phase != pb.RoomPhase_ROOM_PHASE_RUNNING {
		return false // warm-up: nothing counts yet
	}
	r.calling = CallResults
	results, over := r.game.Results()
	r.calling = ""
	if over {
		r.endMatch(tick, results)
		return true
	}
	return false
}

// applyInputs drains the queue of s's port and applies its inputs in seq
// order, each seq at most once.
func (r *Room) applyInputs(s *Seat) {
	p := s.port.Load()
	if !p.Attached() {
		// Held, or retired by a Disconnect the room has yet to run: what
		// slipped in is dropped, and resent after a resume.
		p.flush()
		return
	}
	r.inputs = p.queue.drain(r.inputs[:0])
	if len(r.inputs) == 0 {
		return
	}
	// The single producer queues ascending seqs, so this is normally a
	// no-op; it keeps ApplyInput ordered whatever the queue holds.
	if !slices.IsSortedFunc(r.inputs, cmpSeq) {
		slices.SortFunc(r.inputs, cmpSeq)
	}
	last := s.lastApplied.Load()
	for _, in := range r.inputs {
		if in.Seq <= last {
			droppedStale.Inc()
			s.dropped.Add(1)
			continue
		}
		r.calling = CallApplyInput
		r.game.ApplyInput(s.player, in)
		r.calling = ""
		r.rec.Input(s.player, in)
		last = in.Seq
	}
	s.lastApplied.Store(last)
}

// cmpSeq orders inputs by seq.
func cmpSeq(a, b Input) int {
	switch {
	case a.Seq < b.Seq:
		return -1
	case a.Seq > b.Seq:
		return 1
	}
	return 0
}

// snapshot takes the views of tick, records them in the history and offers
// every seat a frame of its own view: a delta against its acknowledged tick
// when that is usable, else a full snapshot. Each distinct (baseline,
// events, view) is encoded once and its bytes shared.
func (r *Room) snapshot(tick uint32) {
	events := r.pending
	r.pending = r.pending[:0]
	r.views.begin(r, events)
	for _, s := range r.seats {
		if s.sendable() {
			s.view = r.views.of(s.player)
		}
	}
	var observer *view
	wantSum := r.rec.WantsChecksum()
	if wantSum || len(r.spectators) > 0 {
		observer = r.views.of(Observer)
	}
	if wantSum {
		r.rec.Checksum(tick, observer.checksum)
	}
	// The room clock: RealClock shares the epoch of wire.ServerTimeUS
	// (process start), so it agrees with Welcome and Pong and clients need
	// one clock offset.
	r.entities = 0
	for _, v := range r.views.distinct {
		r.entities = max(r.entities, v.rows.Len())
	}
	serverUS, anchor := r.clock.at(tick, r.cfg.Clock.Now().Microseconds())
	r.history.push(tick, serverUS, anchor, r.views.distinct)
	for _, s := range r.seats {
		if !s.sendable() {
			continue
		}
		if r.lagging(s, tick) {
			s.view = nil
			continue
		}
		r.history.recordOffer(s, s.view)
		shared := r.encodeFor(s, tick)
		s.view = nil
		lastSeq := s.lastApplied.Load()
		// The link copies the frame (Link.OfferSnapshot), so one buffer
		// serves every seat of every tick.
		r.frame = wire.AppendSnapshotFrame(r.frame[:0], shared, lastSeq)
		frame := r.frame
		// Before the offer, so that an ack of this tick, which may come
		// back before the offer returns, is not taken for one from ahead.
		s.lastSent.Store(tick)
		s.link.OfferSnapshot(frame)
		s.bytesSent.Add(uint64(len(frame)))
		r.stats.snapshotBytes.Add(uint64(len(frame)))
		r.stats.snapshotsSent.Add(1)
		snapshotsSent.Inc()
		snapshotBytes.Add(float64(len(frame)))
	}
	r.offerSpectators(observer)
}

// lagging reports whether s's link is a slow consumer at tick: its newest
// ack (or, before one, the first snapshot offered to it) trails tick by
// more than SlowConsumerAfter. It then closes the link, once, with
// SLOW_CONSUMER; the lobby sees the connection end and holds the seat as
// for any drop. Acks are the only sure sign that snapshots arrive: socket
// buffers can absorb seconds of a stream nobody reads.
func (r *Room) lagging(s *Seat, tick uint32) bool {
	if s.slow {
		return true
	}
	if r.slowTicks == 0 || s.linkStart == 0 {
		return false
	}
	since := max(s.ack.Load(), s.linkStart)
	if tick-since <= r.slowTicks {
		return false
	}
	s.slow = true
	slowPlayers.Inc()
	lag := time.Duration(tick-since) * time.Second / time.Duration(r.cfg.TickHz)
	r.cfg.Logger.Info("closing slow consumer", "room", r.cfg.ID, "player", s.player, "ack_lag", lag)
	s.link.Close(pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER,
		fmt.Sprintf("no snapshot acknowledged for %v", lag.Round(time.Millisecond)))
	return true
}

// encodeFor returns the shared snapshot bytes for s at tick.
func (r *Room) encodeFor(s *Seat, tick uint32) []byte {
	if s.lastSent.Load() == 0 {
		s.linkStart = tick
	}
	if s.lastSent.Load() == 0 || s.resync.Swap(false) {
		// Nothing acked before the first frame sent, or before a full
		// snapshot the client asked for, is state the client holds.
		s.floor = tick
	}
	base := s.ack.Load()
	if base < s.floor || base > s.lastSent.Load() {
		base = 0
	}
	shared, used, fresh := r.history.encode(s, s.view, base)
	switch {
	case !fresh:
	case used == 0:
		encodedFull.Inc()
	default:
		encodedDelta.Inc()
	}
	return shared
}

// endMatch moves the room to ENDED and sends every connected player the
// results and Left.
func (r *Room) endMatch(tick uint32, results []PlayerResult) {
	r.setPhase(pb.RoomPhase_ROOM_PHASE_ENDED, tick)
	r.sendResults(tick, results)
	r.reportEnd(EndMatchOver, results)
	r.end(pb.CloseReason_CLOSE_REASON_MATCH_ENDED, "", disposeMatchEnded)
}

// sendResults sends every connected player and spectator the MatchResults
// of tick.
func (r *Room) sendResults(tick uint32, results []PlayerResult) {
	msg := &pb.MatchResults{RoomId: r.cfg.ID, Tick: tick, Players: make([]*pb.PlayerResult, 0, len(results))}
	for _, p := range results {
		msg.Players = append(msg.Players, &pb.PlayerResult{
			PlayerId: uint32(p.Player),
			Name:     p.Name,
			EntityId: p.EntityID,
			Score:    p.Score,
			Values:   p.Values,
		})
	}
	out := &pb.ServerMessage{Body: &pb.ServerMessage_MatchResults{MatchResults: msg}}
	n := proto.Size(out)
	for _, s := range r.seats {
		if s.sendable() {
			s.send(out, n)
		}
	}
	for _, sp := range r.spectators {
		sp.link.Send(out)
	}
}
