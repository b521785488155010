package lobby

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/tickwire/tickwire/netcode/deadline"
)

// reserveConnLifetime bounds the whole life of a reserve connection: long
// enough for a health check, too short to be worth holding.
const reserveConnLifetime = 2 * time.Second

// HTTPConfig are the public HTTP server's timeouts: they bound how long a
// connection may take to send its headers, its request, to read the
// answer, and how long an idle keep-alive connection is kept. A WebSocket
// leaves them behind when it is upgraded; its own deadlines take over.
type HTTPConfig struct {
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
}

// DefaultHTTPConfig returns the timeouts of the public HTTP server.
func DefaultHTTPConfig() HTTPConfig {
	return HTTPConfig{
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       30 * time.Second,
	}
}

// Listener wraps ln, the public port's listener, with the connection
// budgets: every accepted TCP connection, whatever it carries (a plain
// HTTP request, a keep-alive connection between requests, a WebSocket),
// counts toward Config.MaxConnections, and toward Limits.ConnsPerAddr and
// Limits.ConnRatePerAddr of the TCP peer's address (a trusted proxy's
// connections count toward the total only). One over a budget is closed at
// once and counted. Past
// MaxConnections, up to Limits.ConnReserve more are accepted for
// /healthz and /metrics only, with a short life, so that health checks and
// scrapes answer while the port is full. Serve it with the *http.Server of
// HTTPServer.
func (s *Server) Listener(ln net.Listener) net.Listener {
	return &limitListener{Listener: ln, budget: s.tcp}
}

// HTTPServer returns the http.Server that serves h (the lobby's Handler,
// or a mux around it) on the public port: with HTTPConfig's timeouts, and
// the rule that a reserve connection of Listener gets /healthz and
// /metrics only.
func (s *Server) HTTPServer(h http.Handler) *http.Server {
	c := s.cfg.HTTP
	return &http.Server{
		Handler:           reserveOnly(h),
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		ConnContext:       markReserve,
		// Accept and handshake errors of clients are theirs, not ours.
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
}

// reserveKey marks the context of a reserve connection's requests.
type reserveKey struct{}

// markReserve is the http.Server's ConnContext: it marks the requests of
// a reserve connection.
func markReserve(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn() // TLS on top of the front door's listener
	}
	if tc, ok := c.(*trackedConn); ok && tc.reserve {
		return context.WithValue(ctx, reserveKey{}, true)
	}
	return ctx
}

// reserveOnly serves a reserve connection /healthz and /metrics, each on a
// connection closed after the answer, and refuses it anything else.
func reserveOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(reserveKey{}) == nil {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Connection", "close")
		if r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			h.ServeHTTP(w, r)
			return
		}
		connectionsRefused.WithLabelValues("reserve_only").Inc()
		http.Error(w, "server is at its connection limit", http.StatusServiceUnavailable)
	})
}

// limitListener is the listener of Server.Listener.
type limitListener struct {
	net.Listener
	budget *tcpBudget
}

// Accept returns the next connection within the budgets, closing and
// counting those beyond them.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if tc := l.budget.admit(c); tc != nil {
			return tc, nil
		}
	}
}

// tcpBudget counts the public port's TCP connections, in all and by
// client address, and how fast each address opens them.
type tcpBudget struct {
	max, perAddr, reserve int
	rate                  *keyedLimiter
	proxies               Proxies

	mu       sync.Mutex
	open     int // connections within max
	reserved int // reserve connections
	byAddr   map[string]int
}

func newTCPBudget(max, perAddr, reserve int, rate Rate, proxies Proxies) *tcpBudget {
	return &tcpBudget{max: max, perAddr: perAddr, reserve: reserve, rate: newKeyedLimiter(rate), proxies: proxies,
		byAddr: make(map[string]int)}
}

// admit counts c in and returns it wrapped, or closes it, counts the
// refusal and returns nil.
func (b *tcpBudget) admit(c net.Conn) net.Conn {
	peer := remoteAddr(c.RemoteAddr().String())
	trusted := b.proxies.trusted(peer)
	tc := &trackedConn{Conn: deadline.Conn{Conn: c}, budget: b, key: addrKey(peer), perAddr: b.perAddr > 0 && !trusted}
	now := time.Now()
	if !trusted {
		if l := b.rate.get(tc.key, now); l != nil && !l.AllowN(now, 1) {
			connectionsRefused.WithLabelValues("tcp_addr_rate").Inc()
			_ = c.Close()
			return nil
		}
	}
	reason := ""
	b.mu.Lock()
	switch {
	case tc.perAddr && b.byAddr[tc.key] >= b.perAddr:
		reason = "tcp_addr_limit"
	case b.max <= 0 || b.open < b.max:
		b.open++
	case b.reserved < b.reserve:
		b.reserved++
		tc.reserve = true
	default:
		reason = "tcp_limit"
	}
	if reason == "" && tc.perAddr {
		b.byAddr[tc.key]++
	}
	// Under the lock, so that a release's setting cannot overtake it.
	tcpConnections.Set(float64(b.open + b.reserved))
	b.mu.Unlock()
	if reason != "" {
		connectionsRefused.WithLabelValues(reason).Inc()
		_ = c.Close()
		return nil
	}
	if tc.reserve {
		tc.end = now.Add(reserveConnLifetime)
		_ = tc.SetDeadline(tc.end)
	}
	return tc
}

// release gives back what admit counted for tc.
func (b *tcpBudget) release(tc *trackedConn) {
	b.mu.Lock()
	if tc.reserve {
		b.reserved--
	} else {
		b.open--
	}
	if tc.perAddr {
		if b.byAddr[tc.key]--; b.byAddr[tc.key] <= 0 {
			delete(b.byAddr, tc.key)
		}
	}
	tcpConnections.Set(float64(b.open + b.reserved))
	b.mu.Unlock()
}

// trackedConn is a connection Listener counted; closing it gives its place
// back. A reserve connection's deadlines never pass its end. Its deadlines
// go through a deadline.Conn, which drops the per-frame repeats of
// gorilla/websocket.
type trackedConn struct {
	deadline.Conn
	budget  *tcpBudget
	key     string
	perAddr bool
	reserve bool
	end     time.Time // a reserve connection's end of life
	once    sync.Once
}

// Close gives back the connection's place, once, and closes it: in that
// order, so that a peer that sees the close finds the place free.
func (c *trackedConn) Close() error {
	c.once.Do(func() { c.budget.release(c) })
	return c.Conn.Close()
}

// SetDeadline sets the connection's deadlines, no later than a reserve
// connection's end.
func (c *trackedConn) SetDeadline(t time.Time) error {
	return c.Conn.SetDeadline(c.clamp(t))
}

// SetReadDeadline is SetDeadline for reads.
func (c *trackedConn) SetReadDeadline(t time.Time) error {
	return c.Conn.SetReadDeadline(c.clamp(t))
}

// SetWriteDeadline is SetDeadline for writes.
func (c *trackedConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.clamp(t))
}

// clamp returns t, or a reserve connection's end if t is later (or none).
func (c *trackedConn) clamp(t time.Time) time.Time {
	if c.reserve && (t.IsZero() || t.After(c.end)) {
		return c.end
	}
	return t
}
