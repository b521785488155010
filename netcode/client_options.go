package netcode

import (
	"log/slog"
	"time"

	"github.com/gorilla/websocket"
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
)

// ClientConfig configures Dial. Only URL is required. Callbacks run on the
// client's reader goroutine, in order, without any Client lock held: they
// may call Client methods except Join and Close, which wait for the reader
// and would deadlock; a slow callback delays every message behind it.
type ClientConfig struct {
	// URL is the server's WebSocket endpoint, such as ws://host:7777/ws.
	URL string
	// Name is the player's display name sent in Hello.
	Name string
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
	// intervals of the current room (or of Welcome before a join).
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
	OnEvent func(Event)
	// OnMessage is called for every server message other than Snapshot and
	// Pong: Joined, Left, Error, Closing, MatchResults and any unexpected one.
	OnMessage func(*pb.ServerMessage)

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
	return cfg
}
