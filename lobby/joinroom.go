package lobby

import (
	"context"
	"errors"
	"time"

	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// errAlreadyInRoom is join's error for a session seated already, which
// the client has been told of.
var errAlreadyInRoom = errors.New("already in a room")

// joinRoom answers JoinRoom within the joins budget: here, or on a node of
// a cluster through the directory. A join by room id or join code must
// also find its budget of misses unspent, and spends it when no live room
// answers to the id or code, so that codes cannot be guessed at the join
// rate. The second step of a cluster redirect (a join with a reservation)
// spends neither, since the node that made the reservation has; any
// failure of it (a token forged, lapsed, used or replaced, a room gone
// meanwhile, the directory out of reach) counts as a refusal, so that
// replaying a token is bounded too.
func (s *session) joinRoom(j *pb.JoinRoom) error {
	cluster := s.server.registry.cluster != nil
	redirectStep := cluster && j.GetReservation() != ""
	byName := !redirectStep && (j.GetRoomId() != "" || j.GetJoinCode() != "")
	if s.refuseSeated() {
		return nil // before the budgets: a refused join spends none
	}
	// A join by id or code takes its miss up front, so that joins racing
	// for the last one do not all pass, and gives it back once a live
	// room has answered.
	var miss hold
	if !redirectStep {
		now := time.Now()
		var refusal string
		if byName {
			if miss, refusal = s.server.joinMisses.reserve(s.addr, s.id, now); refusal != "" {
				return s.refuseBudget(s.server.joinMisses, refusal)
			}
		}
		if refusal = s.server.joins.allow(s.addr, s.id, now); refusal != "" {
			miss.cancel()
			return s.refuseBudget(s.server.joins, refusal)
		}
	}
	var err error
	if cluster {
		err = s.clusterJoin(j)
	} else {
		err = s.join(func(ctx context.Context) (*game.InputPort, *roomEntry, error) {
			req := JoinRequest{Mode: j.GetMode(), RoomID: j.GetRoomId(), Code: j.GetJoinCode()}
			return s.server.registry.Join(ctx, req, s.name, s.conn)
		})
	}
	missed := byName && (errors.Is(err, ErrUnknownRoom) || errors.Is(err, ErrUnknownCode))
	if !missed {
		miss.cancel()
	}
	switch {
	case missed:
		return s.refused()
	case redirectStep && err != nil:
		return s.refused()
	}
	return nil
}
