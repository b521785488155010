package lobby

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// ModeJSON is one game mode of GET /v1/modes: its name, its rooms'
// settings and its state schema.
type ModeJSON struct {
	Name        string `json:"name"`
	TickHz      int    `json:"tick_hz"`
	SnapshotHz  int    `json:"snapshot_hz"`
	MaxPlayers  int    `json:"max_players"`
	MinPlayers  int    `json:"min_players"`
	CountdownMS int64  `json:"countdown_ms"`
	// Default marks the mode of joins that name none.
	Default bool `json:"default"`
	// Options are the mode's own options as the server runs them, by
	// option name, as their flags print them (arena: "match-duration":
	// "5m0s", "max-speed": "100"); absent for a mode without options.
	// Clients use them for timers and prediction.
	Options map[string]string `json:"options,omitempty"`
	// Schema is the mode's Schema message as protojson with the proto's
	// field names, as Joined carries it.
	Schema json.RawMessage `json:"schema"`
}

// ModesJSON is the body of GET /v1/modes.
type ModesJSON struct {
	Modes []ModeJSON `json:"modes"`
}

// newModeJSON describes mode m; isDefault marks the server's default mode.
func newModeJSON(m game.Mode, isDefault bool) (ModeJSON, error) {
	s := m.Settings
	schema, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(m.Schema.Proto())
	if err != nil {
		return ModeJSON{}, fmt.Errorf("mode %s schema: %w", m.Name, err)
	}
	return ModeJSON{Name: m.Name, TickHz: s.TickHz, SnapshotHz: s.SnapshotHz, MaxPlayers: s.MaxPlayers,
		MinPlayers: s.MinPlayers, CountdownMS: s.Countdown.Milliseconds(), Default: isDefault,
		Options: m.OptionValues(), Schema: schema}, nil
}

// encodeModes returns the body of GET /v1/modes: every mode of the
// catalogue, sorted by name.
func encodeModes(modes game.Modes, defaultMode string) ([]byte, error) {
	out := ModesJSON{Modes: []ModeJSON{}}
	for _, m := range modes.All() {
		mj, err := newModeJSON(m, m.Name == defaultMode)
		if err != nil {
			return nil, err
		}
		out.Modes = append(out.Modes, mj)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode modes: %w", err)
	}
	return append(b, '\n'), nil
}

// RoomJSON is one room of GET /v1/rooms.
type RoomJSON struct {
	ID         string `json:"id"`
	Mode       string `json:"mode"`
	State      string `json:"state"`
	Players    int    `json:"players"`
	MaxPlayers int    `json:"max_players"`
	AgeSeconds int    `json:"age_s"`
	// Node names the cluster node that runs the room; absent on a single
	// node.
	Node string `json:"node,omitempty"`
}

// RoomsJSON is the body of GET /v1/rooms: one page of the public rooms.
type RoomsJSON struct {
	Rooms []RoomJSON `json:"rooms"`
	// NextCursor is the cursor query parameter of the next page; empty on
	// the last page.
	NextCursor string `json:"next_cursor,omitempty"`
	// Total counts the public rooms of the mode, on every page.
	Total int `json:"total"`
}

// SessionRequest is the body of POST /v1/session (guest sign-in).
type SessionRequest struct {
	Name string `json:"name"`
}

// SessionJSON answers POST /v1/session.
type SessionJSON struct {
	SessionID    string `json:"session_id"`
	Name         string `json:"name"`
	SessionToken string `json:"session_token"`
	ExpiresUnix  int64  `json:"expires_unix"`
}

// ErrorJSON is the body of every lobby HTTP error.
type ErrorJSON struct {
	Error string `json:"error"`
}

// PhaseName is the lower-case name of a room phase, as the HTTP API shows it.
func PhaseName(p pb.RoomPhase) string {
	return strings.ToLower(strings.TrimPrefix(p.String(), "ROOM_PHASE_"))
}

// serveModes lists the game modes the server plays: GET /v1/modes.
func (s *Server) serveModes(w http.ResponseWriter, _ *http.Request) {
	writeHeader(w, "modes", http.StatusOK)
	_, _ = w.Write(s.modesJSON) // the client went away if this fails
}

// serveRooms lists one page of the public rooms:
// GET /v1/rooms[?mode=arena][&limit=50][&cursor=...], within the listing
// budget of the client's address.
func (s *Server) serveRooms(w http.ResponseWriter, r *http.Request) {
	if refusal := s.lists.allow(s.clientAddr(r), "", time.Now()); refusal != "" {
		tooMany(w, "rooms", s.lists, refusal)
		return
	}
	q := r.URL.Query()
	var limit uint64
	if l := q.Get("limit"); l != "" {
		var err error
		if limit, err = strconv.ParseUint(l, 10, 32); err != nil {
			writeJSON(w, "rooms", http.StatusBadRequest, ErrorJSON{Error: fmt.Sprintf("limit %q is not a whole number", l)})
			return
		}
	}
	after, n, err := parseListRequest(q.Get("cursor"), uint32(limit))
	if err != nil {
		requestsRefused.WithLabelValues("bad_cursor").Inc()
		writeJSON(w, "rooms", http.StatusBadRequest, ErrorJSON{Error: err.Error()})
		return
	}
	body, err := s.registry.page(listKey{http: true, mode: q.Get("mode"), cursor: after, limit: n}, encodeRoomsJSON)
	if err != nil {
		writeJSON(w, "rooms", http.StatusInternalServerError, ErrorJSON{Error: err.Error()})
		return
	}
	writeHeader(w, "rooms", http.StatusOK)
	_, _ = w.Write(body) // the client went away if this fails
}

// encodeRoomsJSON encodes a page as the body of GET /v1/rooms.
func encodeRoomsJSON(p roomPage) ([]byte, error) {
	out := RoomsJSON{Rooms: make([]RoomJSON, 0, len(p.rooms)), NextCursor: p.next, Total: p.total}
	for i, info := range p.rooms {
		room := RoomJSON{
			ID: info.GetRoomId(), Mode: info.GetMode(), State: PhaseName(info.GetPhase()),
			Players: int(info.GetPlayers()), MaxPlayers: int(info.GetMaxPlayers()), AgeSeconds: int(info.GetAgeS()),
		}
		if i < len(p.nodes) {
			room.Node = p.nodes[i]
		}
		out.Rooms = append(out.Rooms, room)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode rooms: %w", err)
	}
	return append(b, '\n'), nil
}

// serveSession signs a guest in: POST /v1/session {"name": "..."}, from
// an allowed origin and within the sign-in budget.
func (s *Server) serveSession(w http.ResponseWriter, r *http.Request) {
	if !s.origins.allowed(r) {
		connectionsRefused.WithLabelValues("origin").Inc()
		writeJSON(w, "session", http.StatusForbidden, ErrorJSON{Error: "origin not allowed"})
		return
	}
	if refusal := s.signIns.allow(s.clientAddr(r), "", time.Now()); refusal != "" {
		tooMany(w, "session", s.signIns, refusal)
		return
	}
	var req SessionRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&req); err != nil {
		writeJSON(w, "session", http.StatusBadRequest, ErrorJSON{Error: "body must be JSON like {\"name\": \"ada\"}: " + err.Error()})
		return
	}
	name, err := ValidateName(req.Name)
	if err != nil {
		writeJSON(w, "session", http.StatusBadRequest, ErrorJSON{Error: err.Error()})
		return
	}
	id := newSessionID()
	token, claims, err := s.signer.IssueGeneration(id, name, 1)
	if err == nil {
		err = s.store.Start(id, 1, claims.Expires)
	}
	if err != nil {
		writeJSON(w, "session", http.StatusInternalServerError, ErrorJSON{Error: err.Error()})
		return
	}
	writeJSON(w, "session", http.StatusOK, SessionJSON{SessionID: id, Name: name, SessionToken: token, ExpiresUnix: claims.Expires.Unix()})
}

// serveMetrics serves cfg.Metrics within the metrics budget of the
// client's address and of the server.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if refusal := s.metrics.allow(s.clientAddr(r), "", time.Now()); refusal != "" {
		tooMany(w, "metrics", s.metrics, refusal)
		return
	}
	s.cfg.Metrics.ServeHTTP(w, r)
}

// tooMany answers a request over budget b with 429, counted, and closes
// its connection: a client that keeps asking on one keep-alive connection
// must then open new ones, which the connection rate per address bounds.
func tooMany(w http.ResponseWriter, endpoint string, b *budget, refusal string) {
	requestsRefused.WithLabelValues(refusal).Inc()
	w.Header().Set("Retry-After", "1")
	w.Header().Set("Connection", "close")
	writeJSON(w, endpoint, http.StatusTooManyRequests, ErrorJSON{Error: b.text(refusal)})
}

func writeJSON(w http.ResponseWriter, endpoint string, code int, v any) {
	writeHeader(w, endpoint, code)
	_ = json.NewEncoder(w).Encode(v) // the client went away if this fails
}

// writeHeader counts a lobby HTTP answer and writes its JSON header.
func writeHeader(w http.ResponseWriter, endpoint string, code int) {
	httpRequests.WithLabelValues(endpoint, strconv.Itoa(code)).Inc()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
}
