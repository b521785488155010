package lobby

import (
	"context"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// clusterHelloTimeout bounds the directory look-ups of a Hello.
const clusterHelloTimeout = 2 * time.Second

// clusterJoin answers JoinRoom on a node of a cluster: with a reservation,
// it takes the seat reserved here; otherwise the directory places the
// player, here or on another node, which the client is redirected to. It
// returns the error the client was told of, if any.
func (s *session) clusterJoin(j *pb.JoinRoom) error {
	reg := s.server.registry
	if token := j.GetReservation(); token != "" {
		claims, err := s.server.signer.verifyReservation(token, s.id)
		if err == nil && claims.room != j.GetRoomId() {
			err = errBadReservation
		}
		if err != nil {
			matchmakingRefused.WithLabelValues("reservation").Inc()
			s.conn.Send(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_BAD_REQUEST, err.Error()))
			return err
		}
		return s.join(func(ctx context.Context) (*game.InputPort, *roomEntry, error) {
			return reg.honour(ctx, claims, s.name, s.conn)
		})
	}
	return s.join(func(ctx context.Context) (*game.InputPort, *roomEntry, error) {
		req := JoinRequest{Mode: j.GetMode(), RoomID: j.GetRoomId(), Code: j.GetJoinCode(), session: s.id}
		port, entry, p, err := reg.place(ctx, req, s.name, s.conn)
		if p == nil {
			return port, entry, err
		}
		expires := time.Now().Add(reservationTTL)
		token := s.server.signer.signReservation(reservationClaims{room: p.Room.ID, id: p.Reservation, session: s.id, expires: expires})
		s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Redirect{Redirect: &pb.Redirect{
			Url: p.NodeURL, RoomId: p.Room.ID, Reservation: token, ExpiresUnixMs: expires.UnixMilli(),
		}}})
		redirectsTotal.WithLabelValues("join").Inc()
		return nil, nil, errRedirected
	})
}

// clusterHello routes a Hello with a token on a node of a cluster: when
// the session's seat is on another live node the client is redirected
// there (redirected, with the close that ends this connection); when that
// node is gone the client is told after Welcome (clusterSeatGone).
// Otherwise this node takes the session's live connection cluster-wide. An
// unreachable directory leaves the session to this node alone.
func (s *session) clusterHello() (redirected bool, closeErr error) {
	c := s.server.registry.cluster
	if c == nil {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(s.server.ctx, clusterHelloTimeout)
	defer cancel()
	seat, err := c.dir.Seat(ctx, s.id)
	if err == nil && seat.Room != "" && seat.Node != c.self.ID {
		if seat.Alive {
			s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Redirect{Redirect: &pb.Redirect{Url: seat.NodeURL, RoomId: seat.Room}}})
			redirectsTotal.WithLabelValues("resume").Inc()
			return true, &wire.CloseError{Reason: pb.CloseReason_CLOSE_REASON_NORMAL, Message: "redirected to the node holding the seat"}
		}
		s.goneRoom = seat.Room
		c.dir.SetSeat(s.id, "")
	}
	if err == nil {
		_ = c.dir.ClaimSession(ctx, s.id) // counted and logged by the directory
	}
	return false, nil
}

// clusterSeatGone tells a welcomed client whose seat was on a node that
// is gone that its room is gone: it is back in the lobby.
func (s *session) clusterSeatGone() {
	if s.goneRoom == "" {
		return
	}
	seatsLostWithNode.Inc()
	s.conn.Send(&pb.ServerMessage{Body: &pb.ServerMessage_Left{Left: &pb.Left{
		RoomId: s.goneRoom, Reason: pb.CloseReason_CLOSE_REASON_ROOM_CLOSED,
		Message: "the node that ran this room is gone; back in the lobby",
	}}})
	s.goneRoom = ""
}
