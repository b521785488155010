package game

import (
	"context"
	"errors"
	"fmt"
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// Run is the room's goroutine: it runs ticks on schedule and, between them,
// the functions queued by Join, Leave, Disconnect, Resume and the admin
// methods, until the match ends, the room is closed or has had no seats for
// EmptyTimeout (it returns nil), or ctx ends (it tells every player the
// room closed and returns ctx's error).
// Run may be called once.
//
// A panic of the Game ends only this room: Run tells every player the room
// closed (Left{ROOM_CLOSED, InternalErrorMessage}), counts the panic by the
// call it happened in and returns it as an error wrapping a *PanicError.
func (r *Room) Run(ctx context.Context) (err error) {
	if !r.started.CompareAndSwap(false, true) {
		return errors.New("room run: already started")
	}
	defer close(r.done)
	// Runs after the end below (and the panic's), so the last entries and
	// the end's own calls reach the recorder.
	defer r.rec.Close()
	roomsRunning.Inc()
	defer func() {
		roomsRunning.Dec()
		roomPlayers.Sub(float64(len(r.seats)))
		seatsHeld.Sub(float64(len(r.seats) - r.connected))
		spectatorsActive.Sub(float64(len(r.spectators)))
		if r.disposal == "" { // end itself failed
			r.disposal = disposePanic
		}
		roomsDisposed.WithLabelValues(r.disposal).Inc()
	}()
	defer func() {
		if p := recover(); p != nil {
			where := r.calling
			if where == "" {
				where = CallRoom
			}
			pe := recovered(where, p)
			err = fmt.Errorf("room %s: at tick %d: %w", r.cfg.ID, r.tick, pe)
			r.cfg.Logger.Error("room panicked", "room", r.cfg.ID, "where", where, "err", err, "stack", string(pe.Stack))
			r.calling = ""
			r.reportEnd(EndCrashed, nil)
			r.end(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED, InternalErrorMessage, disposePanic)
		}
	}()

	clock := r.cfg.Clock
	r.emptySince = clock.Now()
	r.sampleRates(r.emptySince)
	sched := newScheduler(clock.Now(), r.cfg.TickHz, r.cfg.MaxCatchUp)
	timer := clock.NewTimer(sched.nextDue() - clock.Now())
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			r.reportEnd(EndShutdown, nil)
			r.end(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED, "", disposeShutdown)
			return fmt.Errorf("room %s: %w", r.cfg.ID, ctx.Err())
		case <-r.closing:
			disposal, end := disposeClosed, EndClosed
			if r.reason == pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN {
				disposal, end = disposeShutdown, EndShutdown
			}
			if r.drained {
				end = EndDrained
			}
			var results []PlayerResult
			if r.withResults {
				results = r.closeResults()
				r.setPhase(pb.RoomPhase_ROOM_PHASE_ENDED, r.tick)
				r.sendResults(r.tick, results)
			}
			r.reportEnd(end, results)
			r.end(r.reason, r.closeMessage, disposal)
			return nil
		case fn := <-r.calls:
			fn()
		case <-timer.C():
			run, skip := sched.advance(clock.Now())
			if skip > 0 {
				r.stats.overruns.Add(1)
				r.stats.skipped.Add(uint64(skip))
				tickOverruns.Inc()
				ticksSkipped.Add(float64(skip))
			}
			for range run {
				if r.timedTick() {
					return nil
				}
			}
			now := clock.Now()
			if now-r.lastSample >= time.Second {
				r.sampleRates(now)
			}
			if r.emptyTooLong(now) {
				r.cfg.Logger.Info("room empty too long", "room", r.cfg.ID, "timeout", r.cfg.EmptyTimeout)
				r.reportEnd(EndAbandoned, nil)
				r.end(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED, "", disposeEmpty)
				return nil
			}
			timer.Reset(sched.nextDue() - clock.Now())
		}
	}
}

// timedTick runs one tick and records its duration; it reports whether the
// match ended.
func (r *Room) timedTick() (ended bool) {
	start := r.cfg.Clock.Now()
	ended = r.step()
	r.rec.EndTick()
	d := r.cfg.Clock.Now() - start
	r.tickTimes.add(d)
	tickDuration.Observe(d.Seconds())
	r.stats.lastTick.Store(int64(d))
	if int64(d) > r.stats.maxTick.Load() {
		r.stats.maxTick.Store(int64(d))
	}
	return ended
}

// join seats a player, sends its link Joined and moves the phase on; it
// returns the port of the player's connection.
func (r *Room) join(name string, link PlayerLink) (*InputPort, error) {
	if len(r.seats) >= r.cfg.MaxPlayers {
		return nil, ErrRoomFull
	}
	// Ids are never reused, not even after a refusal, so that nothing
	// about an earlier holder can be mistaken for a later one.
	p := r.nextPlayer
	r.nextPlayer++
	r.calling = CallJoin
	entity, err := r.game.Join(p, name)
	r.calling = ""
	r.rec.Join(p, name, entity, err != nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrJoinRefused, err)
	}
	seat := newSeat(r.cfg.ID, p, entity, name, &r.inputRules)
	seat.talk = &r.talk.rules
	seat.talkState.fillBudgets(seat.talk)
	port := seat.attach(link, r.cfg.InputQueueSize)
	seat.rate.add(r.cfg.Clock.Now(), 0)
	joined := r.joinedMessage(seat, false)
	seat.send(joined, proto.Size(joined))
	r.seats = append(r.seats, seat)
	r.sendChatHistory(seat)
	r.connected++
	r.stats.players.Store(int32(len(r.seats)))
	roomPlayers.Inc()
	r.cfg.Logger.Debug("player joined", "room", r.cfg.ID, "player", p, "entity", entity)
	if !r.updatePhase() {
		r.sendCountdown(seat)
	}
	r.changed(false)
	return port, nil
}

// joinedMessage is the Joined message of seat.
func (r *Room) joinedMessage(seat *Seat, resumed bool) *pb.ServerMessage {
	return &pb.ServerMessage{Body: &pb.ServerMessage_Joined{Joined: &pb.Joined{
		RoomId:     r.cfg.ID,
		Mode:       r.cfg.Mode,
		PlayerId:   uint32(seat.player),
		EntityId:   seat.entity,
		Tick:       r.tick,
		TickHz:     uint32(r.cfg.TickHz),
		SnapshotHz: uint32(r.cfg.SnapshotHz),
		MaxPlayers: uint32(r.cfg.MaxPlayers),
		Resumed:    resumed,
		Phase:      r.phase,
		Schema:     r.schemaProto,
	}}}
}

// leave forgets seat, held or not, retires its port and tells the game.
func (r *Room) leave(seat *Seat) {
	i := r.seatIndex(seat)
	if i < 0 {
		return
	}
	r.seats = append(r.seats[:i], r.seats[i+1:]...)
	held := !seat.detach(portLeft)
	seat.port.Load().release() // a held seat's last port too, for whoever keeps it
	if held {
		seatsHeld.Dec()
	} else {
		r.connected--
	}
	r.stats.players.Store(int32(len(r.seats)))
	roomPlayers.Dec()
	r.calling = CallLeave
	r.game.Leave(seat.player)
	r.calling = ""
	r.rec.Leave(seat.player)
	r.cfg.Logger.Debug("player left", "room", r.cfg.ID, "player", seat.player, "held", held)
	if len(r.seats) == 0 {
		r.emptySince = r.cfg.Clock.Now()
	}
	r.updatePhase()
	r.changed(false)
}

// seatIndex returns the index of seat in r.seats, or -1.
func (r *Room) seatIndex(seat *Seat) int {
	for i, s := range r.seats {
		if s == seat {
			return i
		}
	}
	return -1
}

// emptyTooLong reports whether the room has had no seats for its
// EmptyTimeout at now.
func (r *Room) emptyTooLong(now time.Duration) bool {
	return len(r.seats) == 0 && r.cfg.EmptyTimeout > 0 && now-r.emptySince >= r.cfg.EmptyTimeout
}

// end moves the room to ENDED, tells every connected player and spectator
// it lost its seat for reason (message says more, if set) and reports the
// end to OnChange; disposal names why, for tickwire_rooms_disposed_total.
func (r *Room) end(reason pb.CloseReason, message, disposal string) {
	if r.phase != pb.RoomPhase_ROOM_PHASE_ENDED {
		r.setPhase(pb.RoomPhase_ROOM_PHASE_ENDED, r.tick)
	}
	left := &pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{RoomId: r.cfg.ID, Reason: reason, Message: message}}}
	n := proto.Size(left)
	for _, s := range r.seats {
		if s.sendable() { // a seat that left: its session already knows
			s.send(left, n)
		}
	}
	for _, sp := range r.spectators {
		sp.link.Send(left)
	}
	r.disposal = disposal
	r.changed(true)
	r.cfg.Logger.Debug("room ended", "room", r.cfg.ID, "reason", reason, "disposal", disposal, "tick", r.tick)
}

// sampleRates takes the once-a-second samples of the byte counters behind
// Inspect's rates.
func (r *Room) sampleRates(now time.Duration) {
	r.lastSample = now
	r.byteRate.add(now, r.stats.snapshotBytes.Load()+r.specBytes)
	for _, s := range r.seats {
		s.rate.add(now, s.bytesSent.Load()+s.reliable)
	}
}
