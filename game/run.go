package game

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Run is the room's goroutine: it runs ticks on schedule and the commands
// of Join, Leave and Close until the match ends or the room is closed (it
// returns nil) or ctx ends (it tells every player the room closed and
// returns ctx's error). Run may be called once.
//
// A panic of the Game ends only this room: Run tells every player the room
// closed and returns the panic as an error.
func (r *Room) Run(ctx context.Context) (err error) {
	if !r.started.CompareAndSwap(false, true) {
		return errors.New("room run: already started")
	}
	defer close(r.done)
	roomsRunning.Inc()
	defer func() {
		roomsRunning.Dec()
		roomPlayers.Sub(float64(len(r.seats)))
	}()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("room %s: panic at tick %d: %v", r.cfg.ID, r.tick, p)
			r.cfg.Logger.Error("room panicked", "room", r.cfg.ID, "err", err, "stack", string(debug.Stack()))
			r.end(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
		}
	}()

	clock := r.cfg.Clock
	sched := newScheduler(clock.Now(), r.cfg.TickHz, r.cfg.MaxCatchUp)
	timer := clock.NewTimer(sched.nextDue() - clock.Now())
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			r.end(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
			return fmt.Errorf("room %s: %w", r.cfg.ID, ctx.Err())
		case <-r.closing:
			r.end(r.reason)
			return nil
		case c := <-r.cmds:
			r.handle(c)
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
			timer.Reset(sched.nextDue() - clock.Now())
		}
	}
}

// timedTick runs one tick and records its duration; it reports whether the
// match ended.
func (r *Room) timedTick() (ended bool) {
	start := r.cfg.Clock.Now()
	ended = r.step()
	d := r.cfg.Clock.Now() - start
	tickDuration.Observe(d.Seconds())
	r.stats.lastTick.Store(int64(d))
	if int64(d) > r.stats.maxTick.Load() {
		r.stats.maxTick.Store(int64(d))
	}
	return ended
}

// handle runs one command.
func (r *Room) handle(c command) {
	switch {
	case c.join != nil:
		if !c.join.state.CompareAndSwap(joinPending, joinTaken) {
			return // the caller gave up
		}
		seat, err := r.join(c.join.name, c.join.link)
		c.join.reply <- joinReply{seat: seat, err: err}
	case c.leave != nil:
		r.leave(c.leave)
	}
}

// join seats a player and sends its link Joined.
func (r *Room) join(name string, link PlayerLink) (*Seat, error) {
	if len(r.seats) >= r.cfg.MaxPlayers {
		return nil, ErrRoomFull
	}
	// Ids are never reused, not even after a refusal, so that nothing
	// about an earlier holder can be mistaken for a later one.
	p := r.nextPlayer
	r.nextPlayer++
	entity, err := r.game.Join(p, name)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrJoinRefused, err)
	}
	seat := newSeat(r.cfg.ID, p, entity, name, link, r.cfg.InputQueueSize)
	link.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Joined{Joined: &pb.Joined{
		RoomId:     r.cfg.ID,
		Mode:       r.cfg.Mode,
		PlayerId:   uint32(p),
		EntityId:   entity,
		Tick:       r.tick,
		TickHz:     uint32(r.cfg.TickHz),
		SnapshotHz: uint32(r.cfg.SnapshotHz),
		MaxPlayers: uint32(r.cfg.MaxPlayers),
	}}})
	r.seats = append(r.seats, seat)
	r.stats.players.Store(int32(len(r.seats)))
	roomPlayers.Inc()
	r.cfg.Logger.Debug("player joined", "room", r.cfg.ID, "player", p, "entity", entity)
	return seat, nil
}

// leave forgets seat and tells the game.
func (r *Room) leave(seat *Seat) {
	for i, s := range r.seats {
		if s == seat {
			r.seats = append(r.seats[:i], r.seats[i+1:]...)
			r.stats.players.Store(int32(len(r.seats)))
			roomPlayers.Dec()
			r.game.Leave(seat.player)
			r.cfg.Logger.Debug("player left", "room", r.cfg.ID, "player", seat.player)
			return
		}
	}
}

// end tells every player it lost its seat for reason.
func (r *Room) end(reason pb.CloseReason) {
	for _, s := range r.seats {
		if s.left.Load() {
			continue // its session already knows
		}
		s.link.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{RoomId: r.cfg.ID, Reason: reason}}})
	}
	r.cfg.Logger.Debug("room ended", "room", r.cfg.ID, "reason", reason, "tick", r.tick)
}
