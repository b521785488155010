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
	if !redirectStep {
		now := time.Now()
		b, refusal := s.server.joins, s.server.joins.exhausted(s.addr, s.id, now)
		if refusal == "" && byName {
			b, refusal = s.server.joinMisses, s.server.joinMisses.exhausted(s.addr, s.id, now)
		}
		if refusal != "" {
			return s.refuseBudget(b, refusal)
		}
		s.server.joins.spend(s.addr, s.id, now)
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
	switch {
	case byName && (errors.Is(err, ErrUnknownRoom) || errors.Is(err, ErrUnknownCode)):
		s.server.joinMisses.spend(s.addr, s.id, time.Now())
		return s.refused()
	case redirectStep && err != nil:
		return s.refused()
	}
	return nil
}
