package admin

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tickwire/tickwire/lobby"
)

// Config configures the admin API.
type Config struct {
	// Token must arrive with every request as "Authorization: Bearer
	// <token>"; New refuses an empty one, and CheckAddr a short one on
	// an address off loopback.
	Token string
	// Addr is the address the admin listener is bound to: a request's
	// Host must name it (an IP it is bound to, a loopback name or
	// address) or one of Hosts, so that a page of another site whose
	// name resolves to this machine (DNS rebinding) is turned away.
	Addr string
	// Hosts are further host names (or addresses) requests may name in
	// Host, as an operator reaches the listener (tickwire -admin-host).
	Hosts []string
	// Cmdline is the command line /debug/pprof/cmdline shows (nil:
	// os.Args), with the value of every flag of SecretFlags replaced by
	// Redacted.
	Cmdline []string
	// SecretFlags names the flags whose values never leave the process
	// (such as "session-secret"), without dashes.
	SecretFlags []string
	// Version is what the overview reports as the server version.
	Version string
	// WatchInterval is how often a watch stream carries the room detail;
	// 0 means one second.
	WatchInterval time.Duration
	// MaxRecordFor caps the duration of one streamed recording; 0 means
	// one hour.
	MaxRecordFor time.Duration
	// Logger receives the API's logs; nil means slog.Default().
	Logger *slog.Logger
}

// API serves the admin API of a lobby: inspection, live watch streams,
// kick, close, debug commands, recordings and /debug/pprof. Mount Handler
// on its own listener, never on the public one; Close ends the streams.
type API struct {
	op       lobby.Operator
	cfg      Config
	log      *slog.Logger
	started  time.Time
	ctx      context.Context // ends every watch and recording stream
	cancel   context.CancelFunc
	streams  sync.WaitGroup // one per watch or recording handler
	upgrader websocket.Upgrader
	hosts    hostSet // what a request's Host may name
}

// New returns the admin API of the lobby op. Its streams end with Close
// (or with their rooms). It refuses a config without a token.
func New(op lobby.Operator, cfg Config) (*API, error) {
	if cfg.Token == "" {
		return nil, ErrNeedsToken
	}
	hosts, err := allowedHosts(cfg.Addr, cfg.Hosts)
	if err != nil {
		return nil, err
	}
	if cfg.WatchInterval <= 0 {
		cfg.WatchInterval = time.Second
	}
	if cfg.MaxRecordFor <= 0 {
		cfg.MaxRecordFor = time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &API{
		op:      op,
		cfg:     cfg,
		hosts:   hosts,
		log:     cfg.Logger.With("component", "admin"),
		started: time.Now(),
		ctx:     ctx,
		cancel:  cancel,
	}
	// route has refused cross-site requests already; the upgrader checks
	// again with the same rule.
	a.upgrader = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return !crossSite(r) }}
	return a, nil
}

// Close ends every watch and recording stream and waits for their handlers.
func (a *API) Close() {
	a.cancel()
	a.streams.Wait()
}

// Handler serves the admin API under /v1/admin/ and /debug/pprof/.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /v1/admin/overview", a.route("overview", a.serveOverview))
	mux.Handle("GET /v1/admin/rooms", a.route("rooms", a.serveRooms))
	mux.Handle("GET /v1/admin/rooms/{id}", a.route("room", a.serveRoom))
	mux.Handle("GET /v1/admin/rooms/{id}/state", a.route("state", a.serveState))
	mux.Handle("GET /v1/admin/rooms/{id}/watch", a.route("watch", a.serveWatch))
	mux.Handle("GET /v1/admin/rooms/{id}/record", a.route("record", a.serveRecord))
	mux.Handle("POST /v1/admin/rooms/{id}/kick", a.route("kick", a.serveKick))
	mux.Handle("POST /v1/admin/rooms/{id}/close", a.route("close", a.serveClose))
	mux.Handle("POST /v1/admin/rooms/{id}/debug", a.route("debug", a.serveDebug))
	mux.Handle("/debug/pprof/", a.route("pprof", pprof.Index))
	mux.Handle("/debug/pprof/cmdline", a.route("pprof", a.serveCmdline))
	mux.Handle("/debug/pprof/profile", a.route("pprof", pprof.Profile))
	mux.Handle("/debug/pprof/symbol", a.route("pprof", pprof.Symbol))
	mux.Handle("/debug/pprof/trace", a.route("pprof", pprof.Trace))
	mux.Handle("/", a.route("unknown", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no admin endpoint "+r.Method+" "+r.URL.Path+" (see docs/admin.md)")
	}))
	return mux
}

// route runs h for a request that passes the guards (guard.go), counting
// the answer's status under endpoint.
func (a *API) route(endpoint string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		if a.guard(sw, r) {
			h(sw, r)
		}
		code := sw.code
		if code == 0 {
			code = http.StatusOK
		}
		requests.WithLabelValues(endpoint, strconv.Itoa(code)).Inc()
	})
}

// statusWriter remembers the status code for the requests metric; it passes
// Flush and Hijack through (streams and the watch WebSocket need them).
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush implements http.Flusher.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack implements http.Hijacker for the WebSocket upgrade.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("response writer cannot hijack")
	}
	w.code = http.StatusSwitchingProtocols
	return h.Hijack()
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client went away if this fails
}

// ErrorJSON is the body of every admin API error.
type ErrorJSON struct {
	Error string `json:"error"`
}

// writeError answers with an ErrorJSON.
func writeError(w http.ResponseWriter, code int, text string) {
	writeJSON(w, code, ErrorJSON{Error: text})
}

// decodeBody reads a small JSON request body into v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "body must be JSON: "+err.Error())
		return false
	}
	return true
}
