package game

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/tickwire/tickwire/netcode/wire"
)

// MaxSpectators bounds a room's spectators: each costs a frame offer per
// snapshot tick on the room goroutine.
const MaxSpectators = 32

// ErrTooManySpectators means the room already has MaxSpectators.
var ErrTooManySpectators = errors.New("too many spectators")

// spectator is a watcher added by Spectate.
type spectator struct {
	link Link
}

// Spectate adds a watcher that receives every snapshot through link: always
// a full one (spectators send no acks), as a normal ServerMessage snapshot
// frame via OfferSnapshot, one encoding of the observer's view (Game.View(Observer))
// shared by all spectators (and by players with the same view who need a
// full snapshot too). Events ride inside the snapshots;
// the reliable messages a spectator gets are the MatchResults and Left of
// the room's end. Spectators are not players: they take no seat and the
// Game never hears of them. The link is used until stop returns or the room
// ends; stop waits for the room, so no call reaches link after it, and may
// be called more than once. It returns ErrTooManySpectators,
// ErrRoomClosed once Run has returned, or ctx's error.
func (r *Room) Spectate(ctx context.Context, link Link) (stop func(), err error) {
	if link == nil {
		return nil, errors.New("spectate: nil link")
	}
	sp := &spectator{link: link}
	if _, err := do(ctx, r, "spectate", func() (struct{}, error) { return struct{}{}, r.addSpectator(sp) }); err != nil {
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			_, err := do(context.Background(), r, "stop spectating", func() (struct{}, error) {
				r.removeSpectator(sp)
				return struct{}{}, nil
			})
			if err != nil {
				// ErrRoomClosed: the room ends without running it, and
				// its end still talks to sp; once Run returns, nothing does.
				<-r.done
			}
		})
	}, nil
}

// addSpectator adds sp. Room goroutine only.
func (r *Room) addSpectator(sp *spectator) error {
	if len(r.spectators) >= MaxSpectators {
		adminRefused.WithLabelValues(refuseSpectatorLimit).Inc()
		return fmt.Errorf("spectate: %w (%d)", ErrTooManySpectators, MaxSpectators)
	}
	r.spectators = append(r.spectators, sp)
	spectatorsActive.Inc()
	r.cfg.Logger.Debug("spectator added", "room", r.cfg.ID, "spectators", len(r.spectators))
	return nil
}

// removeSpectator forgets sp. Room goroutine only.
func (r *Room) removeSpectator(sp *spectator) {
	i := slices.Index(r.spectators, sp)
	if i < 0 {
		return
	}
	r.spectators = slices.Delete(r.spectators, i, i+1)
	spectatorsActive.Dec()
}

// offerSpectators offers every spectator a full snapshot frame of the
// observer's view of the current snapshot tick. Room goroutine only, after
// the snapshot was taken.
func (r *Room) offerSpectators(observer *view) {
	if len(r.spectators) == 0 {
		return
	}
	shared, _, fresh := r.history.encode(nil, observer, 0)
	if fresh {
		encodedFull.Inc()
	}
	r.frame = wire.AppendSnapshotFrame(r.frame[:0], shared, 0)
	frame := r.frame
	for _, sp := range r.spectators {
		sp.link.OfferSnapshot(frame)
		r.specBytes += uint64(len(frame))
	}
}
