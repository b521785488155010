package admin

import (
	"bufio"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tickwire/tickwire/lobby"
)

// Config configures the admin API.
type Config struct {
	// Token, when set, must arrive with every request as
	// "Authorization: Bearer <token>". Empty serves everyone, which
	// CheckAddr allows only on a loopback address.
	Token string
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

// ErrNeedsToken refuses an admin listener that anyone on the network
// could reach without a token.
var ErrNeedsToken = errors.New("the admin API on a non-loopback address needs a token")

// CheckAddr refuses to serve the admin API on addr without a token
// unless addr is a loopback address (127.0.0.0/8, ::1 or localhost): an
// empty host or 0.0.0.0 listens on every interface.
func CheckAddr(addr, token string) error {
	if token != "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("admin address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("admin address %q: %w", addr, ErrNeedsToken)
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
}

// New returns the admin API of the lobby op. Its streams end with Close
// (or with their rooms).
func New(op lobby.Operator, cfg Config) *API {
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
	return &API{
		op:      op,
		cfg:     cfg,
		log:     cfg.Logger.With("component", "admin"),
		started: time.Now(),
		ctx:     ctx,
		cancel:  cancel,
		// The admin listener is not a browser's business; the token
		// guards it, so any origin that has it may watch.
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
	}
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
	mux.Handle("/debug/pprof/cmdline", a.route("pprof", pprof.Cmdline))
	mux.Handle("/debug/pprof/profile", a.route("pprof", pprof.Profile))
	mux.Handle("/debug/pprof/symbol", a.route("pprof", pprof.Symbol))
	mux.Handle("/debug/pprof/trace", a.route("pprof", pprof.Trace))
	mux.Handle("/", a.route("unknown", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no admin endpoint "+r.Method+" "+r.URL.Path+" (see docs/admin.md)")
	}))
	return mux
}

// route checks the token, then runs h, counting the answer's status under
// endpoint.
func (a *API) route(endpoint string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		if !a.authorized(r) {
			sw.Header().Set("WWW-Authenticate", `Bearer realm="tickwire admin"`)
			writeError(sw, http.StatusUnauthorized, "wrong or missing admin token (send Authorization: Bearer <token>)")
		} else {
			h(sw, r)
		}
		code := sw.code
		if code == 0 {
			code = http.StatusOK
		}
		requests.WithLabelValues(endpoint, strconv.Itoa(code)).Inc()
	})
}

// authorized compares the bearer token in constant time.
func (a *API) authorized(r *http.Request) bool {
	if a.cfg.Token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(a.cfg.Token)) == 1
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
