package lobby

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// The socket buffers of a WebSocket, which every connection holds for its
// whole life: at a thousand players, each KiB here is a MiB. Client
// frames are small (an input batch is tens of bytes) and a larger one is
// read in several reads; a server message larger than the write buffer
// still goes out as one frame, its tail written from the message itself
// in the same system call. Snapshots, the frames that count, fit: an arena
// snapshot is about a hundred bytes, a full one of 16 players some three
// hundred.
const (
	wsReadBufferSize  = 512
	wsWriteBufferSize = 512
)

// Config is what a Server needs; DefaultConfig fills every field.
type Config struct {
	// Rooms are the parameters every room gets whatever its mode, and the
	// default mode; each mode's own settings come from the catalogue.
	Rooms RoomSettings
	// Conn tunes every connection (frame limit, queues, rate limit).
	Conn netcode.ConnConfig
	// MaxConnections caps concurrent connections (0 = no cap): the TCP
	// connections of the public port's Listener, and the WebSocket
	// sessions.
	MaxConnections int
	// Limits are the budgets of one client address, one session and the
	// whole server.
	Limits Limits
	// HTTP are the public HTTP server's timeouts (see HTTPServer).
	HTTP HTTPConfig
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client address; none means the TCP peer is the client.
	TrustedProxies Proxies
	// AllowedOrigins are patterns of the web origins, beyond the server's
	// own, whose pages may open a WebSocket or sign a guest in, such as
	// "https://*.example.com" or "*" for any (see originPolicy). Requests
	// without an Origin (non-browser clients) are always accepted.
	AllowedOrigins []string
	// HelloTimeout is how long a new connection may take to send Hello.
	HelloTimeout time.Duration
	// SessionSecret signs session tokens; empty means a random secret, so
	// tokens do not survive a restart (NewServer logs a warning).
	SessionSecret []byte
	// SessionTTL is how long a session token is valid.
	SessionTTL time.Duration
	// Sessions is the table of sessions that retires renewed tokens and
	// keeps revocations; nil means an in-memory one of MaxSessions.
	Sessions SessionStore
	// MaxSessions bounds the in-memory session table; past it the least
	// recently used session is forgotten (its next good token is taken as
	// after a restart).
	MaxSessions int
	// ReconnectGrace is how long a dropped player's seat is held.
	ReconnectGrace time.Duration
	// MaxHeldSeats bounds the seats held at once; past it the oldest hold
	// is released early.
	MaxHeldSeats int
	// Cluster, when its Directory is set, makes the server one node of a
	// cluster (cluster.go); unset, the server is a whole lobby by itself.
	Cluster ClusterConfig
	// Static, when set, answers every request that none of the lobby's
	// routes takes: cmd/tickwire serves the browser game there (package
	// web, at /). Nil leaves those requests a 404.
	Static http.Handler
	// Metrics, when set, serves GET /metrics (cmd/tickwire: Prometheus)
	// within the metrics budget of Limits: a scrape gathers every metric,
	// so it is the public port's dearest request.
	Metrics http.Handler
}

// DefaultConfig returns the embedded defaults: rooms closed after 30 s
// empty, at most 1000 rooms, 64 MiB for the recording logs of all rooms,
// in temporary files under os.TempDir (docs/recording.md), 20 s of
// reconnection grace. It names no game mode: the rates and sizes of rooms
// are their mode's (game.Settings), and the default mode is the
// catalogue's only one unless set.
func DefaultConfig() Config {
	return Config{
		Rooms: RoomSettings{
			EmptyTimeout:    game.DefaultEmptyTimeout,
			MaxRooms:        1000,
			RecordLogBudget: 64 << 20,
			RecordLogDir:    os.TempDir(),
		},
		Conn:           netcode.DefaultConnConfig(),
		MaxConnections: 10000,
		Limits:         DefaultLimits(),
		HTTP:           DefaultHTTPConfig(),
		HelloTimeout:   5 * time.Second,
		SessionTTL:     24 * time.Hour,
		MaxSessions:    200000,
		ReconnectGrace: 20 * time.Second,
		MaxHeldSeats:   10000,
	}
}

// Server accepts WebSocket connections and runs their sessions and the rooms
// they play in. Create it with NewServer, mount Handler, and end it with
// Shutdown.
type Server struct {
	cfg      Config
	log      *slog.Logger
	ctx      context.Context
	cancel   context.CancelFunc
	registry *Registry
	signer   *Signer
	store    SessionStore // the session table (sessions.go)
	holds    *holds
	upgrader websocket.Upgrader

	// The front door's budgets (limits.go, budget.go).
	origins *originPolicy
	tcp     *tcpBudget
	signIns *budget
	creates *budget
	// joins budgets JoinRoom requests; joinMisses those that named a
	// room or join code that is not live (joinroom.go).
	joins      *budget
	joinMisses *budget
	lists      *budget
	metrics    *budget

	// defaultMode is the mode of joins that name none; modesJSON the body
	// of GET /v1/modes, encoded once since the catalogue is fixed.
	defaultMode game.Mode
	modesJSON   []byte

	mu       sync.Mutex
	conns    map[*session]struct{} // every open connection
	sessions map[string]*session   // welcomed connections by session id
	active   int                   // admitted connections, counted before the upgrade
	byAddr   map[string]int        // admitted connections by client address key
	closing  bool
	draining bool           // Drain began: /healthz says so
	wg       sync.WaitGroup // one per connection goroutine
}

// NewServer returns a server playing the modes of the catalogue, which
// must not change from then on.
func NewServer(cfg Config, modes game.Modes, log *slog.Logger) (*Server, error) {
	def, err := defaultMode(modes, cfg.Rooms.DefaultMode)
	if err != nil {
		return nil, err
	}
	cfg.Rooms.DefaultMode = def.Name
	modesJSON, err := encodeModes(modes, def.Name)
	if err != nil {
		return nil, err
	}
	secret := cfg.SessionSecret
	if len(secret) == 0 {
		secret = RandomSecret()
		log.Warn("no session secret configured: using a random one, so session tokens die with this process")
	}
	signer, err := NewSigner(secret, cfg.SessionTTL)
	if err != nil {
		return nil, err
	}
	if cfg.ReconnectGrace <= 0 {
		return nil, fmt.Errorf("reconnect grace %v, want more than 0", cfg.ReconnectGrace)
	}
	store := cfg.Sessions
	if store == nil {
		if cfg.MaxSessions <= 0 {
			return nil, fmt.Errorf("max sessions %d, want more than 0", cfg.MaxSessions)
		}
		store = NewMemorySessions(cfg.MaxSessions, cfg.SessionTTL)
	}
	if cfg.Rooms.SlowConsumerAfter == 0 {
		// One setting for both ways of telling a slow consumer: the
		// connection's stalled writes and the room's ack lag.
		cfg.Rooms.SlowConsumerAfter = cfg.Conn.SlowConsumerAfter
	}
	origins, err := newOriginPolicy(cfg.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := cfg.Limits
	s := &Server{
		cfg:         cfg,
		defaultMode: def,
		modesJSON:   modesJSON,
		log:         log,
		ctx:         ctx,
		cancel:      cancel,
		registry:    NewRegistry(ctx, modes, cfg.Rooms, log),
		signer:      signer,
		store:       store,
		conns:       make(map[*session]struct{}),
		sessions:    make(map[string]*session),
		byAddr:      make(map[string]int),
		upgrader: websocket.Upgrader{
			ReadBufferSize:  wsReadBufferSize,
			WriteBufferSize: wsWriteBufferSize,
			// serveWS has checked the origin already, and counted a
			// refusal.
			CheckOrigin: func(*http.Request) bool { return true },
		},
		origins: origins,
		tcp:     newTCPBudget(cfg.MaxConnections, l.ConnsPerAddr, l.ConnReserve, l.ConnRatePerAddr, cfg.TrustedProxies),
		signIns: newBudget("signin", "guest sign-ins", pb.ErrorCode_ERROR_CODE_RATE_LIMITED, l.SignInsPerAddr, Rate{}, l.SignIns),
		creates: newBudget("create", "rooms created", pb.ErrorCode_ERROR_CODE_TOO_MANY_ROOMS, l.CreatesPerAddr, l.CreatesPerSession, Rate{}),
		joins:   newBudget("join", "room joins", pb.ErrorCode_ERROR_CODE_RATE_LIMITED, l.JoinsPerAddr, l.JoinsPerSession, l.Joins),
		joinMisses: newBudget("joinmiss", "joins of unknown rooms or codes", pb.ErrorCode_ERROR_CODE_RATE_LIMITED,
			l.JoinMissesPerAddr, l.JoinMissesPerSession, Rate{}),
		metrics: newBudget("metrics", "metrics scrapes", pb.ErrorCode_ERROR_CODE_RATE_LIMITED, l.MetricsPerAddr, Rate{}, l.Metrics),
		lists:   newBudget("list", "room listings", pb.ErrorCode_ERROR_CODE_RATE_LIMITED, l.ListsPerAddr, l.ListsPerSession, l.Lists),
	}
	s.holds = newHolds(cfg.MaxHeldSeats, l.HeldSeatsPerAddr, cfg.ReconnectGrace, s.expireHold)
	if cfg.Cluster.Directory != nil {
		if err := s.startCluster(cfg.Cluster); err != nil {
			cancel()
			s.registry.Wait()
			return nil, err
		}
	}
	return s, nil
}

// defaultMode returns the mode named name, or the only mode of modes when
// name is empty.
func defaultMode(modes game.Modes, name string) (game.Mode, error) {
	names := modes.Names()
	if name == "" {
		if len(names) != 1 {
			return game.Mode{}, fmt.Errorf("no default mode set: want one of %v", names)
		}
		name = names[0]
	}
	m, ok := modes.Lookup(name)
	if !ok {
		return m, fmt.Errorf("default mode %q is not registered (have %v)", name, names)
	}
	return m, nil
}

// Registry returns the server's room registry.
func (s *Server) Registry() *Registry { return s.registry }

// Handler serves /ws (the game protocol), /healthz, the HTTP lobby API
// (GET /v1/modes, GET /v1/rooms, POST /v1/session), with Config.Metrics
// /metrics within its budget, and with Config.Static everything else
// through it.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", s.serveWS)
	mux.HandleFunc("/healthz", s.serveHealth)
	mux.HandleFunc("GET /v1/modes", s.serveModes)
	mux.HandleFunc("GET /v1/rooms", s.serveRooms)
	mux.HandleFunc("POST /v1/session", s.serveSession)
	if s.cfg.Metrics != nil {
		mux.HandleFunc("/metrics", s.serveMetrics)
	}
	if s.cfg.Static != nil {
		mux.Handle("/", s.cfg.Static)
	}
	return mux
}

func (s *Server) serveHealth(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	closing, draining := s.closing, s.draining
	s.mu.Unlock()
	if closing || draining {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if !s.origins.allowed(r) {
		connectionsRefused.WithLabelValues("origin").Inc()
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	addr := s.clientAddr(r)
	if reason, text := s.admit(addr); reason != "" {
		connectionsRefused.WithLabelValues(reason).Inc()
		http.Error(w, text, http.StatusServiceUnavailable)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.release(addr)
		connectionsRefused.WithLabelValues("upgrade").Inc()
		return // the upgrader has answered with the HTTP error
	}
	// The connection outlives this handler. Returning lets net/http drop
	// what it keeps for a request in flight (its read and write buffers,
	// the request, this goroutine's stack), which a connection served
	// here would hold for its whole life: the buffers alone are some
	// 10 KiB a player. s.wg, taken by admit and given back by release,
	// owns the connection's goroutines.
	go s.serveConn(ws, addr)
}

// serveConn starts one upgraded connection's session on a goroutine of
// its own (netcode.Conn.Start) and returns; connEnded runs on that
// goroutine when the connection ends. A connection admitted while the
// server began shutting down, too late for Shutdown's list, is closed here.
func (s *Server) serveConn(ws *websocket.Conn, addr string) {
	sess := &session{server: s, addr: addr}
	if r := s.cfg.Limits.RefusalsPerConn; r.On() {
		sess.refusals = rate.NewLimiter(r.limit(), r.N)
	}
	sess.conn = netcode.NewConn(ws, s.cfg.Conn, s.log)
	s.mu.Lock()
	s.conns[sess] = struct{}{}
	closing := s.closing
	s.mu.Unlock()
	if closing {
		sess.conn.Close(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN, "server shutting down")
	}
	sess.helloTimer = time.AfterFunc(s.cfg.HelloTimeout, func() {
		handshakeFailures.WithLabelValues("timeout").Inc()
		sess.conn.Close(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, "no hello within "+s.cfg.HelloTimeout.String())
	})
	sess.conn.HandleInputs(sess.handleInputs)
	sess.conn.Start(s.ctx, sess.handle, sess.connEnded)
}

// connEnded tidies up after sess's connection ended with err: it holds the
// player's seat for a reconnection, forgets the session and gives back the
// slot admit reserved.
func (sess *session) connEnded(err error) {
	s := sess.server
	defer s.release(sess.addr)
	sess.helloTimer.Stop()
	sess.stopIdle()
	s.registry.Unsubscribe(sess)
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	// Hold the seat before leaving the session map, so a reconnection finds
	// it either through this session or among the held seats.
	held := sess.disconnected(closing)
	s.mu.Lock()
	delete(s.conns, sess)
	last := s.sessions[sess.id] == sess
	if last {
		delete(s.sessions, sess.id)
	}
	s.mu.Unlock()
	if last && sess.welcomed {
		// The directory keeps a session's record for as long as it holds
		// a seat here, twice the grace at most: the hold's end takes it
		// out (expireHold).
		keep := time.Duration(0)
		if held {
			keep = 2 * s.cfg.ReconnectGrace
		}
		s.registry.cluster.sessionEnded(sess.id, keep)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		s.log.Debug("connection ended", "session", sess.id, "remote", sess.conn.RemoteAddr(), "err", err)
	}
}

// clientAddr returns the key of r's client address in the per-address
// budgets (see Proxies.clientAddr and addrKey).
func (s *Server) clientAddr(r *http.Request) string {
	return addrKey(s.cfg.TrustedProxies.clientAddr(r))
}

// admit reserves a connection slot for a client of addr, or gives a metric
// label and a text saying why not.
func (s *Server) admit(addr string) (reason, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return "shutting_down", "server is shutting down"
	}
	if s.cfg.MaxConnections > 0 && s.active >= s.cfg.MaxConnections {
		return "too_many_connections", fmt.Sprintf("server is at its limit of %d connections", s.cfg.MaxConnections)
	}
	if n := s.cfg.Limits.ConnsPerAddr; n > 0 && s.byAddr[addr] >= n {
		return "too_many_per_addr", fmt.Sprintf("at most %d connections per client address", n)
	}
	s.active++
	s.byAddr[addr]++
	s.wg.Add(1)
	return "", ""
}

// release gives back the slot admit reserved.
func (s *Server) release(addr string) {
	s.mu.Lock()
	s.active--
	if s.byAddr[addr]--; s.byAddr[addr] <= 0 {
		delete(s.byAddr, addr)
	}
	s.mu.Unlock()
	s.wg.Done()
}

// claimSession makes sess the live connection of its session id and
// returns the connection it replaces, if any.
func (s *Server) claimSession(sess *session) (replaced *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	replaced = s.sessions[sess.id]
	s.sessions[sess.id] = sess
	return replaced
}

// expireHold releases a seat whose grace ran out, or that a newer hold
// pushed out.
func (s *Server) expireHold(h *heldSeat) {
	s.registry.Leave(h.entry, h.seat)
	s.registry.cluster.sessionEnded(h.session, 0)
	if early := h.early.Load(); early != 0 {
		s.holds.releasedEarly(h.session, h.entry.room.ID(), early)
		s.log.Info("held seat released early for a newer hold", "room", h.entry.room.ID(), "player", h.seat.Player(),
			"why", earlyReasons[early].label)
		return
	}
	seatsExpired.Inc()
	s.log.Info("reconnection grace expired; seat released", "room", h.entry.room.ID(), "player", h.seat.Player())
}

// Shutdown stops admitting connections, closes every room and connection
// with the server-shutdown reason, and waits for them (or ctx).
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	conns := make([]*session, 0, len(s.conns))
	for sess := range s.conns {
		conns = append(conns, sess)
	}
	s.mu.Unlock()
	roomsErr := s.registry.Shutdown(ctx)
	for _, sess := range conns {
		sess.conn.Close(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN, "server shutting down")
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("connections still open: %w", ctx.Err())
	}
	// Cancelling ends every Serve and the registry's notifier.
	s.cancel()
	s.registry.Wait()
	// Out of the cluster's directory: other nodes stop sending players.
	clusterErr := s.stopCluster(ctx)
	if err != nil {
		// Past the deadline: report instead of waiting on a stuck connection.
		return errors.Join(roomsErr, err, clusterErr)
	}
	s.holds.releaseAll()
	return errors.Join(roomsErr, clusterErr)
}

func newSessionID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}
