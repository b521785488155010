package lobby

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/tickwire/tickwire/directory"
	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// ClusterConfig makes a Server one node of a cluster whose lobby spans
// every node through a shared directory. Rooms stay on the node that runs
// them; quick play, joins by id or code, listings, room updates and
// reconnection go through the directory, and a player whose seat is on
// another node is sent there with a Redirect.
type ClusterConfig struct {
	// Directory is the shared directory; the Server starts it in NewServer
	// and closes it in Shutdown.
	Directory directory.Directory
	// NodeID names this node; PublicURL is the WebSocket URL (ws:// or
	// wss://, ending in /ws) clients sent here by a Redirect dial.
	NodeID, PublicURL string
	// MaxRooms caps the rooms the directory places on this node (0 = the
	// registry's MaxRooms).
	MaxRooms int
}

// ErrMatchmakingUnavailable is returned for a join, create or quick play
// while the cluster's directory cannot be reached.
var ErrMatchmakingUnavailable = errors.New("matchmaking unavailable: the room directory cannot be reached; seated players play on, try again shortly")

// errRedirected ends a join whose seat is on another node: the client was
// sent a Redirect instead of an Error.
var errRedirected = errors.New("redirected to another node")

// clusterListCacheAge bounds how stale a cluster listing may be: one
// store round trip per that period, not per request.
const clusterListCacheAge = 250 * time.Millisecond

// clusterListTimeout bounds the directory's answer to a listing; past it
// the node lists its own rooms.
const clusterListTimeout = 2 * time.Second

// reservationTTL is how long a reservation token is good for; the
// directory keeps the seat as long (directory.RedisConfig.ReservationTTL).
const reservationTTL = 10 * time.Second

var (
	redirectsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_cluster_redirects_total",
		Help: "Clients sent to another node of the cluster, by cause (join: a seat placed there; resume: the session's seat is there).",
	}, []string{"cause"})
	matchmakingRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_cluster_matchmaking_refused_total",
		Help: "Joins, creates and quick plays refused by cluster matchmaking, by reason (directory_unavailable, reservation, room_gone).",
	}, []string{"reason"})
	seatsLostWithNode = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_cluster_seats_lost_with_node_total",
		Help: "Reconnections whose seat was on a node that is gone: the player was told and sent back to the lobby.",
	})
)

// clusterRooms is the registry's side of a cluster; every method is a
// no-op on nil (a single node).
type clusterRooms struct {
	dir    directory.Directory
	self   directory.Node
	signer *Signer

	// placing is held (read) by every placement on this node, from the
	// directory's count to the local seat, and (write) by the directory
	// while it registers the node's rooms again (directory.Hooks.Pause).
	placing sync.RWMutex

	mu     sync.Mutex
	listAt time.Time
	list   []directory.Room
	// gone remembers the rooms that ended here lately, so a placement
	// the directory made before it heard of the end never reopens one.
	gone map[string]time.Time
}

// startCluster starts the directory with the server's hooks.
func (s *Server) startCluster(cfg ClusterConfig) error {
	if cfg.NodeID == "" || cfg.PublicURL == "" {
		return errors.New("cluster: node id and public url are required")
	}
	maxRooms := cfg.MaxRooms
	if maxRooms == 0 {
		maxRooms = s.cfg.Rooms.MaxRooms
	}
	c := &clusterRooms{dir: cfg.Directory, signer: s.signer, gone: make(map[string]time.Time),
		self: directory.Node{ID: cfg.NodeID, URL: cfg.PublicURL, MaxRooms: maxRooms}}
	s.registry.cluster = c
	hooks := directory.Hooks{
		LocalRooms:     s.registry.clusterRooms,
		Update:         s.registry.deliverRemote,
		SessionClaimed: s.sessionClaimedElsewhere,
		Reconnected:    func() { s.log.Info("cluster directory back: matchmaking resumes") },
		Pause: func() func() {
			c.placing.Lock()
			return c.placing.Unlock
		},
	}
	// No deadline of its own: each of Start's calls to the store has one,
	// and its wait for a dead node's record of this id to lapse lasts at
	// most the directory's TTL, which a fixed deadline could cut short.
	if err := cfg.Directory.Start(s.ctx, c.self, hooks); err != nil {
		ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
		defer cancel()
		_ = cfg.Directory.Close(ctx)
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// stopCluster takes the node out of the directory.
func (s *Server) stopCluster(ctx context.Context) error {
	if c := s.registry.cluster; c != nil {
		return c.dir.Close(ctx)
	}
	return nil
}

// SetDraining makes this node take no new rooms from the cluster's
// directory (draining before an upgrade), or take them again; its running
// rooms play on. A single node ignores it.
func (s *Server) SetDraining(draining bool) {
	if c := s.registry.cluster; c != nil {
		c.dir.SetDraining(draining)
	}
}

// sessionClaimedElsewhere closes this node's connection of a session
// whose new connection another node welcomed: a session has one live
// connection in the whole cluster.
func (s *Server) sessionClaimedElsewhere(sessionID string) {
	s.mu.Lock()
	sess := s.sessions[sessionID]
	s.mu.Unlock()
	if sess != nil {
		sessionsReplaced.Inc()
		sess.conn.Close(pb.CloseReason_CLOSE_REASON_REPLACED, "another connection took over this session on another node")
	}
}

// clusterError turns a directory error into the lobby's errors.
func clusterError(err error, req JoinRequest) error {
	switch {
	case errors.Is(err, directory.ErrUnavailable):
		matchmakingRefused.WithLabelValues("directory_unavailable").Inc()
		return fmt.Errorf("%w (%w)", ErrMatchmakingUnavailable, err)
	case errors.Is(err, directory.ErrNoRoom) && req.Code != "":
		return fmt.Errorf("%w %q", ErrUnknownCode, req.Code)
	case errors.Is(err, directory.ErrNoRoom):
		return fmt.Errorf("%w %q", ErrUnknownRoom, req.RoomID)
	case errors.Is(err, directory.ErrFull):
		return fmt.Errorf("%w (%w)", game.ErrRoomFull, err)
	case errors.Is(err, directory.ErrNoNode):
		return fmt.Errorf("%w: %w", ErrTooManyRooms, err)
	case errors.Is(err, directory.ErrReservation):
		matchmakingRefused.WithLabelValues("reservation").Inc()
		return fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	return err
}
