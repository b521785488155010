package game

import (
	"context"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// RoomDetail is a consistent picture of a room, taken on its goroutine.
type RoomDetail struct {
	// ID and Mode name the room and its game mode.
	ID, Mode string
	// Phase is the room's lifecycle phase.
	Phase pb.RoomPhase
	// Tick is the last simulated tick.
	Tick uint32
	// TickHz, SnapshotHz and MaxPlayers are the room's configuration.
	TickHz, SnapshotHz, MaxPlayers int
	// TickP50, TickP99 and TickMax describe the work time of the ticks of
	// the last ten seconds (nearest-rank percentiles).
	TickP50, TickP99, TickMax time.Duration
	// Overruns and SkippedTicks count the times the room fell behind and
	// the ticks it skipped, since it started.
	Overruns, SkippedTicks uint64
	// SnapshotBytesPerSec is the rate of snapshot frame bytes offered to
	// all links (players and spectators) over the last five seconds or so.
	SnapshotBytesPerSec float64
	// Entities is the number of entities in the largest view of the last
	// snapshot.
	Entities int
	// Spectators counts the watchers added by Spectate.
	Spectators int
	// Players lists the seats, connected or held, by player id.
	Players []PlayerDetail
}

// PlayerDetail is one seat of a RoomDetail.
type PlayerDetail struct {
	// Player, Name and EntityID identify the seat.
	Player   PlayerID
	Name     string
	EntityID uint32
	// Connected is false while the seat is held for a reconnection.
	Connected bool
	// RTT is the link's smoothed round trip, when the link measures one
	// (implements RTT() time.Duration); 0 otherwise.
	RTT time.Duration
	// InputQueueDepth is the number of inputs waiting for the next tick.
	InputQueueDepth int
	// DroppedInputs counts the player's inputs dropped (see
	// Seat.DroppedInputs).
	DroppedInputs uint64
	// LastAckedTick is the newest snapshot tick the client acknowledged.
	LastAckedTick uint32
	// LastAppliedSeq is the highest input seq the room applied.
	LastAppliedSeq uint32
	// BytesPerSec is the rate of snapshot and reliable bytes sent to the
	// player over the last five seconds or so.
	BytesPerSec float64
}

// rttLink is a PlayerLink that measures its round trip (netcode.Conn).
type rttLink interface {
	RTT() time.Duration
}

// Inspect returns a consistent picture of the room, taken on its goroutine.
// It returns ErrRoomClosed once Run has returned, or ctx's error.
func (r *Room) Inspect(ctx context.Context) (RoomDetail, error) {
	type inspection struct {
		d     RoomDetail
		ticks []time.Duration
	}
	in, err := do(ctx, r, "inspect", func() (inspection, error) {
		d, ticks := r.inspect()
		return inspection{d, ticks}, nil
	})
	if err != nil {
		return RoomDetail{}, err
	}
	// Sorted here, off the room goroutine.
	in.d.TickP50, in.d.TickP99, in.d.TickMax = tickPercentiles(in.ticks)
	return in.d, nil
}

// inspect gathers a RoomDetail, without the tick percentiles, and a copy
// of the recent tick durations. Room goroutine only.
func (r *Room) inspect() (RoomDetail, []time.Duration) {
	now := r.cfg.Clock.Now()
	d := RoomDetail{
		ID:                  r.cfg.ID,
		Mode:                r.cfg.Mode,
		Phase:               r.phase,
		Tick:                r.tick,
		TickHz:              r.cfg.TickHz,
		SnapshotHz:          r.cfg.SnapshotHz,
		MaxPlayers:          r.cfg.MaxPlayers,
		Overruns:            r.stats.overruns.Load(),
		SkippedTicks:        r.stats.skipped.Load(),
		SnapshotBytesPerSec: r.byteRate.rate(now, r.stats.snapshotBytes.Load()+r.specBytes),
		Entities:            r.entities,
		Spectators:          len(r.spectators),
		Players:             make([]PlayerDetail, 0, len(r.seats)),
	}
	for _, s := range r.seats {
		p := PlayerDetail{
			Player:          s.player,
			Name:            s.name,
			EntityID:        s.entity,
			Connected:       s.sendable(),
			InputQueueDepth: s.port.Load().queue.len(),
			DroppedInputs:   s.dropped.Load(),
			LastAckedTick:   s.ack.Load(),
			LastAppliedSeq:  s.lastApplied.Load(),
			BytesPerSec:     s.rate.rate(now, s.bytesSent.Load()+s.reliable),
		}
		if l, ok := s.link.(rttLink); ok && p.Connected {
			p.RTT = l.RTT()
		}
		d.Players = append(d.Players, p)
	}
	return d, r.tickTimes.values()
}

// State returns the room's current tick and the whole world as the Game
// shows it to an observer (Game.View(Observer)), in rows of the room's
// schema (Schema). It returns ErrRoomClosed once Run has returned, or
// ctx's error.
func (r *Room) State(ctx context.Context) (uint32, *wire.Rows, error) {
	type state struct {
		tick uint32
		view *wire.Rows
	}
	st, err := do(ctx, r, "state", func() (state, error) {
		view := wire.NewRows(r.layout, r.entities)
		r.calling = CallView
		r.game.View(Observer, view)
		r.calling = ""
		return state{r.tick, view}, nil
	})
	return st.tick, st.view, err
}
