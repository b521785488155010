package lobby

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/catalog"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// twoModes returns a catalogue of arena with the default settings and duel,
// an arena for two at 30 Hz ticks and 10 Hz snapshots, with no countdown.
func twoModes() game.Modes {
	duel := arena.Mode("duel")
	duel.Settings = game.Settings{TickHz: 30, SnapshotHz: 10, MaxPlayers: 2, MinPlayers: 2}
	modes := game.NewModes()
	modes.Register(duel)
	modes.Register(arena.Mode("arena"))
	return modes
}

func TestModesEndpoint(t *testing.T) {
	modes := twoModes()
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, modes)
	got := getModes(t, ts)
	want := []ModeJSON{
		{Name: "arena", TickHz: 60, SnapshotHz: 20, MaxPlayers: 16, MinPlayers: 1, CountdownMS: 3000, Default: true},
		{Name: "duel", TickHz: 30, SnapshotHz: 10, MaxPlayers: 2, MinPlayers: 2, CountdownMS: 0, Default: false},
	}
	checkModes(t, got, want, modes)
	if o := got.Modes[1].Options; o["match-duration"] != "5m0s" || o["max-speed"] != "100" || len(o) != len(modes.All()[0].OptionValues()) {
		t.Errorf("duel options = %v, want every arena option with its default", o)
	}

	post, err := http.Post(ts.http.URL+"/v1/modes", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /v1/modes = %s, want 405", post.Status)
	}
}

// TestModesEndpointBuiltin: GET /v1/modes of a server playing the shipped
// catalogue lists arena and drones, each with its settings and its schema
// as JSON with the proto's field names, which decodes into pb.Schema and
// validates.
func TestModesEndpointBuiltin(t *testing.T) {
	modes := catalog.Builtin()
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "drones" }, modes)
	got := getModes(t, ts)
	want := []ModeJSON{
		{Name: "arena", TickHz: 60, SnapshotHz: 20, MaxPlayers: 16, MinPlayers: 1, CountdownMS: 3000, Default: false},
		{Name: "drones", TickHz: 30, SnapshotHz: 15, MaxPlayers: 16, MinPlayers: 1, CountdownMS: 3000, Default: true},
	}
	checkModes(t, got, want, modes)

	// The schema's JSON names are the proto's (snake case), as a client
	// written against the .proto expects: schema.entities[].name and so on.
	for _, m := range got.Modes {
		var raw struct {
			Entities []struct {
				Kind   uint32 `json:"kind"`
				Name   string `json:"name"`
				Fields []struct {
					Name string `json:"name"`
					Type string `json:"type"`
				} `json:"fields"`
			} `json:"entities"`
			Input []struct {
				Name string `json:"name"`
			} `json:"input"`
			Events []struct {
				Name string `json:"name"`
			} `json:"events"`
		}
		if err := json.Unmarshal(m.Schema, &raw); err != nil {
			t.Fatalf("mode %s schema %s: %v", m.Name, m.Schema, err)
		}
		mode, _ := modes.Lookup(m.Name)
		if len(raw.Entities) != len(mode.Schema.Entities) || len(raw.Input) != len(mode.Schema.Input) || len(raw.Events) != len(mode.Schema.Events) {
			t.Fatalf("mode %s schema %s: want %d entity kinds, %d input values, %d events", m.Name, m.Schema,
				len(mode.Schema.Entities), len(mode.Schema.Input), len(mode.Schema.Events))
		}
		for k, e := range raw.Entities {
			wk := &mode.Schema.Entities[k]
			if e.Kind != wk.Kind || e.Name != wk.Name || len(e.Fields) != len(wk.Fields) {
				t.Fatalf("mode %s entity kind %d: %+v, want %d %q with %d fields", m.Name, k, e, wk.Kind, wk.Name, len(wk.Fields))
			}
			for f, field := range e.Fields {
				if field.Name != wk.Fields[f].Name || field.Type != wk.Fields[f].Type.String() {
					t.Fatalf("mode %s kind %s field %d: %+v, want %q of %v", m.Name, wk.Name, f, field, wk.Fields[f].Name, wk.Fields[f].Type)
				}
			}
		}
		for i, in := range raw.Input {
			if in.Name != mode.Schema.Input[i].Name {
				t.Fatalf("mode %s input %d named %q, want %q", m.Name, i, in.Name, mode.Schema.Input[i].Name)
			}
		}
	}
}

// getModes GETs /v1/modes, wants 200 with JSON and decodes it strictly.
func getModes(t *testing.T, ts *testServer) ModesJSON {
	t.Helper()
	resp, err := http.Get(ts.http.URL + "/v1/modes")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /v1/modes = %s %q %s, want 200 application/json", resp.Status, resp.Header.Get("Content-Type"), body)
	}
	var got ModesJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("GET /v1/modes body %s: %v", body, err)
	}
	for _, key := range []string{`"name"`, `"tick_hz"`, `"snapshot_hz"`, `"max_players"`, `"min_players"`, `"countdown_ms"`, `"default"`, `"schema"`} {
		if n := bytes.Count(body, []byte(key+":")); n < len(got.Modes) {
			t.Fatalf("GET /v1/modes body names %s %d times for %d modes: %s", key, n, len(got.Modes), body)
		}
	}
	return got
}

// checkModes compares the listed modes with want (every field but the
// schema) and each listed schema with the catalogue's: it must decode with
// protojson into pb.Schema, pass wire.SchemaFromProto and equal the mode's.
func checkModes(t *testing.T, got ModesJSON, want []ModeJSON, modes game.Modes) {
	t.Helper()
	if len(got.Modes) != len(want) {
		t.Fatalf("GET /v1/modes lists %d modes, want %d: %+v", len(got.Modes), len(want), got.Modes)
	}
	for i, m := range got.Modes {
		schema := m.Schema
		m.Schema = nil
		mode, ok := modes.Lookup(m.Name)
		if !ok {
			t.Fatalf("listed mode %s is not in the catalogue", m.Name)
		}
		if !reflect.DeepEqual(m.Options, mode.OptionValues()) {
			t.Errorf("mode %s lists options %v, want %v", m.Name, m.Options, mode.OptionValues())
		}
		m.Options = nil
		if !reflect.DeepEqual(m, want[i]) {
			t.Errorf("mode %d = %+v, want %+v", i, m, want[i])
		}
		var ps pb.Schema
		if err := protojson.Unmarshal(schema, &ps); err != nil {
			t.Fatalf("mode %s schema %s does not decode as a Schema: %v", m.Name, schema, err)
		}
		s, err := wire.SchemaFromProto(&ps)
		if err != nil {
			t.Fatalf("mode %s schema does not validate: %v", m.Name, err)
		}
		if !proto.Equal(s.Proto(), mode.Schema.Proto()) {
			t.Errorf("mode %s lists schema %v, want the mode's %v", m.Name, s.Proto(), mode.Schema.Proto())
		}
	}
}

func TestNewServerDefaultMode(t *testing.T) {
	one := arenaModes(nil)
	tests := []struct {
		name    string
		modes   game.Modes
		set     string
		want    string
		wantErr string
	}{
		{"the only mode", one, "", "arena", ""},
		{"named", twoModes(), "duel", "duel", ""},
		{"unnamed among several", twoModes(), "", "", "no default mode set: want one of [arena duel]"},
		{"unknown", one, "ctf", "", `default mode "ctf" is not registered (have [arena])`},
		{"no modes", game.NewModes(), "", "", "no default mode set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Rooms.DefaultMode = tt.set
			srv, err := NewServer(cfg, tt.modes, slog.New(slog.DiscardHandler))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("NewServer = %v, want an error about %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if srv.cfg.Rooms.DefaultMode != tt.want {
				t.Errorf("default mode %q, want %q", srv.cfg.Rooms.DefaultMode, tt.want)
			}
			if err := srv.Shutdown(timeout(t, 5*time.Second)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestRoomsTakeTheirModesSettings: each room is opened with its mode's
// rates and sizes, quick play keeps modes apart, and CreateRoom is bounded
// by the mode's room size and minimum.
func TestRoomsTakeTheirModesSettings(t *testing.T) {
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, twoModes())
	ctx := timeout(t, 10*time.Second)

	a1, a2, d1 := dial(t, ts.url, "a1", nil), dial(t, ts.url, "a2", nil), dial(t, ts.url, "d1", nil)
	ja1, err := a1.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	jd1, err := d1.Join(ctx, "duel", "")
	if err != nil {
		t.Fatal(err)
	}
	ja2, err := a2.Join(ctx, "arena", "")
	if err != nil {
		t.Fatal(err)
	}
	if ja1.GetMode() != "arena" || ja1.GetTickHz() != 60 || ja1.GetSnapshotHz() != 20 || ja1.GetMaxPlayers() != 16 {
		t.Errorf("arena joined = %v, want 60/20 Hz and 16 seats", ja1)
	}
	if jd1.GetMode() != "duel" || jd1.GetTickHz() != 30 || jd1.GetSnapshotHz() != 10 || jd1.GetMaxPlayers() != 2 {
		t.Errorf("duel joined = %v, want 30/10 Hz and 2 seats", jd1)
	}
	if ja2.GetRoomId() != ja1.GetRoomId() || jd1.GetRoomId() == ja1.GetRoomId() {
		t.Errorf("rooms: arena %s and %s, duel %s: want both arena players together, the duel apart",
			ja1.GetRoomId(), ja2.GetRoomId(), jd1.GetRoomId())
	}
	if d := ts.Registry().List("duel"); len(d) != 1 || d[0].GetPhase() != pb.RoomPhase_ROOM_PHASE_WAITING {
		t.Errorf("duel rooms %v: want one, waiting for its second player", d)
	}

	c := dial(t, ts.url, "creator", nil)
	for _, seats := range []int{1, 3} {
		if _, _, err := c.CreateRoom(ctx, "duel", seats, true); !isServerError(err, pb.ErrorCode_ERROR_CODE_BAD_REQUEST) ||
			!strings.Contains(err.Error(), "want 2 to 2 in mode duel") {
			t.Errorf("create a duel for %d: %v, want BAD_REQUEST naming the mode's bounds", seats, err)
		}
	}
	created, joined, err := c.CreateRoom(ctx, "duel", 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if created.GetRoom().GetMaxPlayers() != 2 || joined.GetTickHz() != 30 {
		t.Errorf("created %v joined %v: want the duel's 2 seats at 30 Hz", created, joined)
	}
}

func TestRefusedGameKeepsConnection(t *testing.T) {
	modes := arenaModes(nil)
	modes.Register(game.Mode{Name: "broken", Schema: arena.Schema, Settings: game.DefaultSettings(),
		New: func(game.Config) (game.Game, error) { return nil, errors.New("out of maps") }})
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, modes)
	ctx := timeout(t, 10*time.Second)
	c := dial(t, ts.url, "ada", nil)
	if _, err := c.Join(ctx, "broken", ""); !isServerError(err, pb.ErrorCode_ERROR_CODE_JOIN_REFUSED) || !strings.Contains(err.Error(), "out of maps") {
		t.Fatalf("join broken = %v, want JOIN_REFUSED saying why", err)
	}
	if _, err := c.Join(ctx, "arena", ""); err != nil {
		t.Fatalf("join arena after the refusal: %v", err)
	}
	if rooms := ts.Registry().List(""); len(rooms) != 1 || rooms[0].GetMode() != "arena" {
		t.Errorf("rooms %v, want the arena room only", rooms)
	}
}
