package client

import (
	"log/slog"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Client defaults and limits.
const (
	// DefaultInputRedundancy is how many earlier unacknowledged inputs ride
	// along with each new one.
	DefaultInputRedundancy = 3
	// DefaultPingInterval is how often the client measures RTT and clock offset.
	DefaultPingInterval = time.Second
	// DefaultInterpolationSnapshots is the default interpolation delay in
	// snapshot intervals: 2.5 keeps a bracketing pair even when one snapshot
	// is late or lost.
	DefaultInterpolationSnapshots = 2.5

	// clientHandshakeTimeout bounds Dial when its context has no deadline.
	clientHandshakeTimeout = 10 * time.Second
	// clientWriteTimeout bounds each frame write, so a stuck socket fails a
	// send instead of blocking it forever.
	clientWriteTimeout = 5 * time.Second
	// clientCloseWait is how long Close waits for the server to answer the
	// close frame before it drops the connection.
	clientCloseWait = 2 * time.Second
	// clientMinReadTimeout is the shortest silence after which the reader
	// gives up on a server; with pings every PingInterval a live server is
	// never silent that long.
	clientMinReadTimeout = 10 * time.Second
	// clientDeadlineSlack is how far beyond its timeout a read or write
	// deadline is set, and so how often a steady flow of frames moves it:
	// a read or write gets at least its full timeout and at most this
	// much more.
	clientDeadlineSlack = time.Second
	// clientReadLimit is the largest frame the client reads: far above any
	// snapshot a room sends, low enough to refuse garbage.
	clientReadLimit = 16 << 20
	// clientMaxPending caps the unacknowledged inputs kept for redundancy,
	// prediction and latency; a server that stopped acking should not grow
	// it without bound.
	clientMaxPending = 256
	// clientPingsTracked is how many unanswered pings the client remembers
	// to match pongs against; older ones count as lost.
	clientPingsTracked = 8
	// clientResyncRetry is how soon a client repeats a ResyncRequest the
	// server has not yet answered with a full snapshot.
	clientResyncRetry = time.Second
	// clientRequestTimeout bounds SubscribeRooms, which takes no context.
	clientRequestTimeout = 10 * time.Second

	// DefaultReconnectMinBackoff is the first delay before a redial.
	DefaultReconnectMinBackoff = 100 * time.Millisecond
	// DefaultReconnectMaxBackoff caps the doubling delay between redials.
	DefaultReconnectMaxBackoff = 2 * time.Second
	// DefaultReconnectGiveUpAfter matches the server's default seat grace:
	// after it a redial could no longer resume the seat.
	DefaultReconnectGiveUpAfter = 20 * time.Second
)

// ReconnectPolicy says whether and how a Client redials after losing its
// connection for a reason that is not final (see Client for which are).
// Zero durations mean the defaults.
type ReconnectPolicy struct {
	// Enabled turns automatic reconnection on; off, any end is final.
	Enabled bool
	// MinBackoff is the delay before the first redial; each failed attempt
	// doubles it up to MaxBackoff. Every delay is jittered down by up to
	// half, so clients dropped together do not redial together.
	MinBackoff time.Duration
	// MaxBackoff caps the delay between redials.
	MaxBackoff time.Duration
	// GiveUpAfter is how long after the loss the client stops redialing and
	// ends with an error wrapping ErrReconnectGaveUp.
	GiveUpAfter time.Duration
}

// withDefaults returns p with zero durations replaced by defaults.
func (p ReconnectPolicy) withDefaults() ReconnectPolicy {
	if p.MinBackoff <= 0 {
		p.MinBackoff = DefaultReconnectMinBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultReconnectMaxBackoff
	}
	p.MaxBackoff = max(p.MaxBackoff, p.MinBackoff)
	if p.GiveUpAfter <= 0 {
		p.GiveUpAfter = DefaultReconnectGiveUpAfter
	}
	return p
}

// ClientConfig configures Dial. Only URL is required. Callbacks run on the
// client's reader goroutine, in order, without any Client lock held: they
// may call Client methods except Close and the calls that wait for a reply
// (Join, JoinCode, CreateRoom, ListRooms, SubscribeRooms), which wait for
// the reader and would deadlock; a slow callback delays every message
// behind it.
type ClientConfig struct {
	// URL is the server's WebSocket endpoint, such as ws://host:7777/ws.
	URL string
	// Name is the player's display name sent in Hello (the server ignores
	// it when SessionToken names an existing session).
	Name string
	// SessionToken, if set, is sent in the first Hello to reuse a session
	// or resume its held seat (from an earlier Client.SessionToken). Empty
	// signs in as a new guest. Redials always send the newest token.
	SessionToken string
	// Reconnect configures automatic reconnection; off by default.
	Reconnect ReconnectPolicy
	// Dialer dials the connection; nil means websocket.DefaultDialer.
	Dialer *websocket.Dialer

	// InputRedundancy is how many earlier unacknowledged inputs each
	// InputBatch repeats; 0 means DefaultInputRedundancy, negative none.
	InputRedundancy int
	// PingInterval is how often to send Ping; 0 means DefaultPingInterval,
	// negative disables pings (and the read timeout that relies on them).
	PingInterval time.Duration
	// InterpolationDelay is how far behind the estimated server time
	// Interpolated renders; 0 means DefaultInterpolationSnapshots snapshot
	// intervals of the current room (Joined's snapshot_hz; none outside a
	// room).
	InterpolationDelay time.Duration
	// Predict, if set, advances the own entity by one input for Predicted.
	// It runs with the Client's state lock held, so it must not call the
	// Client.
	Predict PredictFunc

	// OnSnapshot is called after each snapshot is applied and verified.
	OnSnapshot func(SnapshotInfo)
	// OnInputAck is called for every input seq the server newly reports
	// applied, oldest first, with the time since the input was first sent.
	OnInputAck func(seq uint32, latency time.Duration)
	// OnEvent is called for each game event of an applied snapshot, once
	// even when several snapshots repeat it.
	OnEvent func(wire.Event)
	// OnMessage is called for every server message other than Snapshot,
	// Pong, GameMessage, ChatLine and Notice: Joined, Left, Error, Closing,
	// MatchResults, RoomState, RoomCreated, RoomList, RoomUpdate and any
	// unexpected one, after the client has taken it into account (Phase
	// already shows a RoomState).
	OnMessage func(*pb.ServerMessage)
	// OnGameMessage is called for every game message the room's game
	// sends the player, in order.
	OnGameMessage func(*pb.GameMessage)
	// OnChat is called for every chat line of the room, in the room's
	// order, once: lines the server sends again on a resume (replay set)
	// that the client saw before are left out; lines of the room's recent
	// history sent on a join come with replay set.
	OnChat func(*pb.ChatLine)
	// OnNotice is called for every notice: the server's operator's, and
	// the server's own (a drain starting, a held seat given up early).
	OnNotice func(*pb.Notice)
	// OnDisconnect is called when the connection is lost for a reason that
	// is not final and reconnection is enabled, with that reason, before
	// the first redial. A final end calls nothing: Done closes instead.
	OnDisconnect func(err error)
	// OnReconnect is called after a redial got its Welcome: resumed says
	// the server kept the seat (Joined{resumed} and a full snapshot follow);
	// false means any seat is gone and Joined is nil.
	OnReconnect func(resumed bool)

	// Logger receives the client's few logs; nil means slog.Default().
	Logger *slog.Logger
}

// withDefaults returns cfg with zero values replaced by defaults.
func (cfg ClientConfig) withDefaults() ClientConfig {
	if cfg.Dialer == nil {
		cfg.Dialer = websocket.DefaultDialer
	}
	if cfg.InputRedundancy == 0 {
		cfg.InputRedundancy = DefaultInputRedundancy
	} else if cfg.InputRedundancy < 0 {
		cfg.InputRedundancy = 0
	}
	if cfg.PingInterval == 0 {
		cfg.PingInterval = DefaultPingInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Reconnect = cfg.Reconnect.withDefaults()
	return cfg
}
