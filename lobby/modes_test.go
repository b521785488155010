package lobby

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
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
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, twoModes())
	resp, err := http.Get(ts.http.URL + "/v1/modes")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"modes":[` +
		`{"name":"arena","tick_hz":60,"snapshot_hz":20,"max_players":16,"min_players":1,"countdown_ms":3000,"default":true},` +
		`{"name":"duel","tick_hz":30,"snapshot_hz":10,"max_players":2,"min_players":2,"countdown_ms":0,"default":false}]}` + "\n"
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" || string(body) != want {
		t.Fatalf("GET /v1/modes = %s %q %s\nwant 200 application/json %s", resp.Status, resp.Header.Get("Content-Type"), body, want)
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
	if w := d1.Welcome(); w.GetTickHz() != 60 || w.GetSnapshotHz() != 20 {
		t.Errorf("welcome rates %d/%d, want the default mode's 60/20", w.GetTickHz(), w.GetSnapshotHz())
	}
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
	modes.Register(game.Mode{Name: "broken", Settings: game.DefaultSettings(),
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
