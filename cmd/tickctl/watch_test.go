package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/game/drones"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestDronesWatch watches a drones room twice at once, as JSON lines and
// as the live view on a terminal, while a drone joins the running match: the watch learns
// the drones' schema from the first room message, decodes and verifies
// every spectator snapshot with it, and the live view names the events by
// the schema (the newcomer's "drone_spawn").
func TestDronesWatch(t *testing.T) {
	s := startServer(t, "s3cret")
	_, room := startModeBots(t, s, "drones", 3)

	var wg sync.WaitGroup
	var jsonRun, termRun result
	wg.Add(2)
	go func() {
		defer wg.Done()
		jsonRun = s.tickctl(t, "watch", room, "-json", "-for", "2s")
	}()
	go func() {
		defer wg.Done()
		termRun = s.tickctlTerminal(t, "watch", room, "-for", "2s")
	}()
	// The newcomer joins a running match, half a second in: its drone
	// spawns on joining, while both watch.
	eventually(t, "both watchers attached to a running match", func() bool {
		d := roomDetail(t, s, room)
		return d.Spectators == 2 && d.Tick >= uint32(d.TickHz/2)
	})
	newcomer, err := dialBot(context.Background(), s, "newcomer", "drones")
	if err != nil {
		t.Fatal(err)
	}
	defer newcomer.Close()
	if newcomer.Joined().GetRoomId() != room {
		t.Fatalf("the newcomer joined room %s, want %s", newcomer.Joined().GetRoomId(), room)
	}
	spawned := newcomer.Joined().GetEntityId()
	if spawned == 0 {
		t.Fatal("the newcomer has no drone")
	}
	wg.Wait()

	if jsonRun.code != 0 {
		t.Fatalf("watch -json: exit %d %s", jsonRun.code, jsonRun.stderr)
	}
	var (
		schema    *wire.Schema
		snapshots int
		spawn     *pb.GameEvent
	)
	sc := bufio.NewScanner(strings.NewReader(jsonRun.stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Type       string            `json:"type"`
			Room       *admin.RoomDetail `json:"room"`
			Schema     json.RawMessage   `json:"schema"`
			Entities   int               `json:"entities"`
			ChecksumOK bool              `json:"checksum_ok"`
			Events     []*pb.GameEvent   `json:"events"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("watch line %q: %v", sc.Text(), err)
		}
		switch line.Type {
		case "room":
			if line.Room == nil || line.Room.ID != room || line.Room.Mode != "drones" {
				t.Fatalf("room line %q", sc.Text())
			}
			if schema == nil {
				schema = watchedSchema(t, line.Schema)
			}
		case "snapshot":
			if schema == nil {
				t.Fatalf("snapshot line %q before the room's schema", sc.Text())
			}
			if !line.ChecksumOK || line.Entities < 3+drones.DefaultOptions().CoreCount {
				t.Fatalf("snapshot line %q: want a verified full snapshot of 3 drones or more and the cores", sc.Text())
			}
			snapshots++
			for _, ev := range line.Events {
				if schema.Event(ev.GetKind()) == nil {
					t.Errorf("event %v: a kind the schema does not name", ev)
				}
				if ev.GetKind() == drones.EventDroneSpawn && ev.GetTarget() == spawned {
					spawn = ev
				}
			}
		}
	}
	// 2 s of 15 Hz snapshots; the bound leaves room for a loaded machine.
	if schema == nil || snapshots < 10 {
		t.Fatalf("a 2 s watch gave schema %v and %d snapshots", schema != nil, snapshots)
	}
	if spawn == nil {
		t.Errorf("no drone_spawn of the newcomer's drone %d among the watched events", spawned)
	}

	if termRun.code != 0 {
		t.Fatalf("watch on a terminal: exit %d %s", termRun.code, termRun.stderr)
	}
	want := fmt.Sprintf("drone_spawn  drone %d", spawned)
	if !strings.Contains(termRun.stdout, "recent events") || !strings.Contains(termRun.stdout, want) {
		t.Errorf("the live view does not name the newcomer's spawn %q:\n%s", want, lastScreen(termRun.stdout))
	}
	if !strings.Contains(termRun.stdout, "room "+room+"  drones") || !strings.Contains(termRun.stdout, "(bad 0)") {
		t.Errorf("the live view lacks the room's mode or shows bad frames:\n%s", lastScreen(termRun.stdout))
	}
}

// watchedSchema decodes the schema of a watch's first room message.
func watchedSchema(t *testing.T, raw json.RawMessage) *wire.Schema {
	t.Helper()
	if len(raw) == 0 {
		t.Fatal("the first room message has no schema")
	}
	var m pb.Schema
	if err := protojson.Unmarshal(raw, &m); err != nil {
		t.Fatalf("room schema: %v", err)
	}
	s, err := wire.SchemaFromProto(&m)
	if err != nil {
		t.Fatalf("room schema: %v", err)
	}
	for _, name := range []string{"drone", "core"} {
		if s.KindNamed(name) == nil {
			t.Fatalf("room schema lacks the %s kind", name)
		}
	}
	return s
}

// lastScreen returns the last redraw of a live view.
func lastScreen(out string) string {
	if i := strings.LastIndex(out, clearScreen); i >= 0 {
		return out[i+len(clearScreen):]
	}
	return out
}

// tickctlTerminal runs the command in-process against s as if its output
// were a terminal, where live views redraw in place.
func (s *server) tickctlTerminal(t *testing.T, args ...string) result {
	t.Helper()
	full := append([]string{"-server", s.admin, "-token", s.token}, args...)
	var stdout, stderr bytes.Buffer
	code := runEnv(context.Background(), full, func(string) string { return "" }, true, &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// TestWatchPlainLineCountsBadFrames: off a terminal a watch prints a line a
// second, which must show checksum failures as the live view does, or a
// log of a watch would hide them.
func TestWatchPlainLineCountsBadFrames(t *testing.T) {
	v := &watchView{room: "r1", detail: &admin.RoomDetail{Room: admin.Room{ID: "r1", State: "running", Tick: 600}}, frames: 40, desyncs: 3}
	var out strings.Builder
	v.render(&out, false)
	if !strings.Contains(out.String(), "frames 40 bad 3") {
		t.Fatalf("plain line %q: want the frames and the bad ones", out.String())
	}
}
