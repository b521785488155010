package main

import (
	"bufio"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/game/arena"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestUsage(t *testing.T) {
	s := &server{admin: "http://127.0.0.1:1", token: ""}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, exitUsage, "usage: tickctl"},
		{"help", []string{"-h"}, exitOK, "Commands:"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"room without id", []string{"room"}, exitUsage, "want a room ID"},
		{"room help", []string{"room", "-h"}, exitOK, "usage: tickctl room"},
		// The defaults a command's usage shows are not what the command
		// line before it set.
		{"room help after global flags", []string{"-json", "room", "-h"}, exitOK, "machine-readable JSON output\n"},
		{"kick without player", []string{"kick", "r1"}, exitUsage, "want ROOM and PLAYER"},
		{"kick with a bad player", []string{"kick", "r1", "ada"}, exitUsage, `PLAYER "ada"`},
		{"record without -o", []string{"record", "r1", "-for", "1s"}, exitUsage, "-o FILE is required"},
		{"record without -for", []string{"record", "r1", "-o", "x.twrec"}, exitUsage, "-for DURATION is required"},
		{"bad flag", []string{"rooms", "-nope"}, exitUsage, "flag provided but not defined"},
		{"bad server", []string{"-server", "ftp://x", "rooms"}, exitUsage, "want an http:// or https:// URL"},
		{"replay without file", []string{"replay"}, exitUsage, "want a recording FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.tickctl(t, tt.args...) // a -server in args wins over the harness's
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Fatalf("exit %d, output %q%q: want exit %d mentioning %q", r.code, r.stdout, r.stderr, tt.code, tt.want)
			}
		})
	}
}

// TestHelpListsEveryCommand: the help's command list is written by hand;
// every command tickctl runs must be in it.
func TestHelpListsEveryCommand(t *testing.T) {
	for name := range commands {
		if !strings.Contains(synopsis, "\n  "+name+" ") {
			t.Errorf("tickctl -h does not list %q", name)
		}
	}
}

func TestFailures(t *testing.T) {
	s := startServer(t, "s3cret")
	_, room := startBots(t, s, 1)
	wrong := &server{admin: s.admin, token: "guess"}
	down := &server{admin: "http://127.0.0.1:1", token: "s3cret"}
	tests := []struct {
		name string
		s    *server
		args []string
		want string
	}{
		{"unreachable", down, []string{"rooms"}, "cannot reach the admin API"},
		{"wrong token", wrong, []string{"rooms"}, "wrong admin token"},
		{"wrong token on watch", wrong, []string{"watch", room}, "wrong admin token"},
		{"unknown room", s, []string{"room", "nope"}, `unknown room "nope"`},
		{"unknown room state", s, []string{"state", "nope"}, `unknown room "nope"`},
		{"unknown room watch", s, []string{"watch", "nope"}, `unknown room "nope"`},
		{"unknown player", s, []string{"kick", room, "99"}, "unknown player 99"},
		{"replay of a missing file", s, []string{"replay", "/nonexistent/x.twrec"}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.s.tickctl(t, tt.args...)
			if r.code != exitFailure || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q: want exit 1 mentioning %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

func TestReadCommands(t *testing.T) {
	s := startServer(t, "s3cret")
	bots, room := startBots(t, s, 3)
	eventually(t, "the room shows 3 players and entities", func() bool {
		r := s.tickctl(t, "room", room, "-json")
		var d admin.RoomDetail
		return r.code == 0 && json.Unmarshal([]byte(r.stdout), &d) == nil && len(d.PlayerList) == 3 && d.Entities >= 3 && d.Tick > 0
	})

	t.Run("overview", func(t *testing.T) {
		r := s.tickctl(t, "overview", "-json")
		var o admin.Overview
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &o) != nil || o.Version != "test" || o.Rooms != 1 || o.Players != 3 || o.Connections != 3 {
			t.Fatalf("overview -json: exit %d %s %s", r.code, r.stdout, r.stderr)
		}
		h := s.tickctl(t, "overview")
		if h.code != 0 || !strings.Contains(h.stdout, "goroutines") || !strings.Contains(h.stdout, "RSS") {
			t.Fatalf("overview: %s", h.stdout)
		}
	})
	t.Run("rooms", func(t *testing.T) {
		r := s.tickctl(t, "-json", "rooms")
		var l admin.RoomList
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &l) != nil || len(l.Rooms) != 1 || l.Rooms[0].ID != room || l.Rooms[0].Players != 3 {
			t.Fatalf("rooms -json: exit %d %s %s", r.code, r.stdout, r.stderr)
		}
		h := s.tickctl(t, "rooms")
		if h.code != 0 || !strings.Contains(h.stdout, "P99 ms") || !strings.Contains(h.stdout, room) || !strings.Contains(h.stdout, "3/16") {
			t.Fatalf("rooms: %s", h.stdout)
		}
	})
	t.Run("room", func(t *testing.T) {
		r := s.tickctl(t, "room", room, "-json")
		var d admin.RoomDetail
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &d) != nil || d.ID != room || d.Mode != "arena" || d.TickHz != 60 || d.State != "running" {
			t.Fatalf("room -json: exit %d %s", r.code, r.stdout)
		}
		h := s.tickctl(t, "room", room)
		for _, want := range []string{"room  ", room, "tick time", "p99", "players", "bot0", "RTT ms"} {
			if !strings.Contains(h.stdout, want) {
				t.Fatalf("room output lacks %q:\n%s", want, h.stdout)
			}
		}
	})
	t.Run("players", func(t *testing.T) {
		r := s.tickctl(t, "players", room, "-json")
		var ps []admin.Player
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &ps) != nil || len(ps) != 3 {
			t.Fatalf("players -json: exit %d %s", r.code, r.stdout)
		}
		ids := map[uint32]string{}
		for _, p := range ps {
			ids[p.ID] = p.Name
		}
		for _, b := range bots {
			if ids[b.Joined().GetPlayerId()] != b.Welcome().GetName() {
				t.Fatalf("players %v lack %s", ids, b.Welcome().GetName())
			}
		}
	})
	t.Run("state", func(t *testing.T) {
		r := s.tickctl(t, "state", room, "-json")
		var v pb.WorldView
		if r.code != 0 || protojson.Unmarshal([]byte(r.stdout), &v) != nil || v.GetRoomId() != room || len(v.GetEntities()) < 3 {
			t.Fatalf("state -json: exit %d %s", r.code, r.stdout)
		}
		checkWorldView(t, &v, arena.Schema)
		h := s.tickctl(t, "state", room)
		if h.code != 0 || !strings.Contains(h.stdout, "ID  X") || !strings.Contains(h.stdout, "entities") {
			t.Fatalf("state: %s", h.stdout)
		}
		if players := checkStateTables(t, h.stdout, room, arena.Schema)["player"]; len(players) != 3 {
			t.Fatalf("state lists %d players, want 3:\n%s", len(players), h.stdout)
		}
	})
	t.Run("watch", func(t *testing.T) {
		r := s.tickctl(t, "watch", room, "-json", "-for", "1s")
		if r.code != 0 {
			t.Fatalf("watch: exit %d %s", r.code, r.stderr)
		}
		var details, snapshots int
		sc := bufio.NewScanner(strings.NewReader(r.stdout))
		for sc.Scan() {
			var line struct {
				Type       string            `json:"type"`
				Room       *admin.RoomDetail `json:"room"`
				Entities   int               `json:"entities"`
				ChecksumOK bool              `json:"checksum_ok"`
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatalf("watch line %q: %v", sc.Text(), err)
			}
			switch line.Type {
			case "room":
				if line.Room == nil || line.Room.ID != room {
					t.Fatalf("room line %q", sc.Text())
				}
				details++
			case "snapshot":
				if !line.ChecksumOK || line.Entities < 3 {
					t.Fatalf("snapshot line %q: want a verified full snapshot", sc.Text())
				}
				snapshots++
			}
		}
		if details < 2 || snapshots < 5 {
			t.Fatalf("a 1 s watch gave %d room lines and %d snapshots", details, snapshots)
		}
		h := s.tickctl(t, "watch", room, "-for", "500ms")
		if h.code != 0 || !strings.Contains(h.stdout, "room "+room+" running tick") {
			t.Fatalf("plain watch: exit %d %q", h.code, h.stdout)
		}
	})
	t.Run("top", func(t *testing.T) {
		r := s.tickctl(t, "top", "-json", "-for", "700ms", "-interval", "200ms")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != 0 || len(lines) < 2 {
			t.Fatalf("top: exit %d, %d lines: %s", r.code, len(lines), r.stdout)
		}
		var tl topLine
		if err := json.Unmarshal([]byte(lines[0]), &tl); err != nil || tl.Total != 1 || len(tl.Rooms) != 1 || tl.Rooms[0].ID != room {
			t.Fatalf("top line %s: %v", lines[0], err)
		}
	})
}

func TestSortByTickTime(t *testing.T) {
	rooms := []admin.Room{{ID: "a", TickP99Ms: 0.1}, {ID: "b", TickP99Ms: 0.9}, {ID: "c", TickP99Ms: 0.1, TickMaxMs: 5}, {ID: "d", TickP99Ms: 0.5}}
	var got []string
	for _, r := range sortByTickTime(rooms) {
		got = append(got, r.ID)
	}
	if strings.Join(got, "") != "bdca" {
		t.Fatalf("order %v, want b d c a", got)
	}
}

func TestSparkline(t *testing.T) {
	tests := []struct {
		in   []float64
		want string
	}{
		{nil, ""},
		{[]float64{0, 0}, "▁▁"},
		{[]float64{1, 2, 4, 8}, "▂▃▅█"},
		{[]float64{5}, "█"},
	}
	for _, tt := range tests {
		if got := sparkline(tt.in); got != tt.want {
			t.Errorf("sparkline(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTokenFile: with no -token, tickctl reads the token a tickwire on the
// machine generated into its state directory, or the file -token-file (or
// TICKCTL_TOKEN_FILE) names; -token wins over both.
func TestTokenFile(t *testing.T) {
	const token = "a-token-tickwire-wrote-of-32-chars"
	s := startServer(t, token)
	state := t.TempDir()
	if err := cli.WriteSecret(filepath.Join(state, "tickwire", cli.AdminTokenFile), token); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "token")
	if err := cli.WriteSecret(other, token); err != nil {
		t.Fatal(err)
	}
	withState := map[string]string{"XDG_STATE_HOME": state}
	empty := map[string]string{"XDG_STATE_HOME": t.TempDir()}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string // in stderr
	}{
		{"state directory's file", withState, nil, exitOK, ""},
		{"state directory of HOME, no file there", map[string]string{"HOME": t.TempDir()}, nil, exitFailure, "missing admin token"},
		{"-token wins", withState, []string{"-token", "guess"}, exitFailure, "wrong admin token (given by -token"},
		{"no file", empty, nil, exitFailure, "missing admin token (no -token, and no token file at"},
		{"-token-file", empty, []string{"-token-file", other}, exitOK, ""},
		{"TICKCTL_TOKEN_FILE", map[string]string{"TICKCTL_TOKEN_FILE": other}, nil, exitOK, ""},
		{"-token-file missing", withState, []string{"-token-file", other + ".none"}, exitFailure, "admin token:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.tickctlEnv(t, tt.env, append(tt.args, "overview")...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q: want exit %d mentioning %q", r.code, r.stderr, tt.code, tt.want)
			}
		})
	}
}
