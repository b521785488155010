package record_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/record"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/encoding/protodelim"
	"google.golang.org/protobuf/proto"
)

// counterSchema is counter's: one kind with x; an input of one value.
var counterSchema = &wire.Schema{
	Entities: []wire.EntityKind{{Kind: 1, Name: "counter", Fields: []wire.Field{{Name: "x", Type: wire.TypeInt}}}},
	Input:    []wire.Field{{Name: "add", Type: wire.TypeInt}},
}

// counterLayout is the rows of counterSchema.
var counterLayout = wire.NewLayout(counterSchema)

// counter is a tiny deterministic Game: each player's entity (id 10+player)
// holds the sum of its inputs' first value in its x, and "boom" as a name
// panics in Join. It implements every optional hook, recording the calls.
type counter struct {
	x     map[game.PlayerID]int32
	calls []string
}

func newCounter(game.Config) (game.Game, error) { return &counter{x: map[game.PlayerID]int32{}}, nil }

func (c *counter) Join(p game.PlayerID, name string) (uint32, error) {
	switch name {
	case "boom":
		panic("counter exploded")
	case "nobody":
		return 0, errors.New("refused")
	}
	c.x[p] = 0
	return 10 + uint32(p), nil
}
func (c *counter) Leave(p game.PlayerID)                     { delete(c.x, p) }
func (c *counter) ApplyInput(p game.PlayerID, in game.Input) { c.x[p] += in.Values[0] }
func (c *counter) Step(uint32)                               {}
func (c *counter) DrainEvents(dst []wire.Event) []wire.Event { return dst }
func (c *counter) Results() ([]game.PlayerResult, bool)      { return nil, false }
func (c *counter) StartMatch(tick uint32)                    { c.calls = append(c.calls, fmt.Sprint("start ", tick)) }
func (c *counter) Disconnected(p game.PlayerID)              { c.calls = append(c.calls, fmt.Sprint("disc ", p)) }
func (c *counter) Reconnected(p game.PlayerID)               { c.calls = append(c.calls, fmt.Sprint("reconn ", p)) }
func (c *counter) HandleDebug(cmd string) (string, error) {
	c.calls = append(c.calls, "debug "+cmd)
	return "", nil
}

func (c *counter) View(_ game.PlayerID, dst *wire.Rows) {
	for p := game.PlayerID(1); p < 100; p++ {
		if x, ok := c.x[p]; ok {
			dst.Append(10+uint32(p), 1)[0] = x
		}
	}
}

// sumOf is the checksum of one entity id with x.
func sumOf(id uint32, x int32) uint32 {
	r := wire.NewRows(counterLayout, 1)
	r.Append(id, 1)[0] = x
	return wire.Checksum(r)
}

// Entry builders.
func join(p uint32, name string, entity uint32) *pb.RecordEntry {
	return &pb.RecordEntry{Entry: &pb.RecordEntry_Join{Join: &pb.RecordJoin{Player: p, Name: name, EntityId: entity}}}
}
func input(p uint32, seq uint32, x int32) *pb.RecordEntry {
	return &pb.RecordEntry{Entry: &pb.RecordEntry_Input{Input: &pb.RecordInput{Player: p, Seq: seq, Values: []int32{x}}}}
}
func step(tick uint32) *pb.RecordEntry {
	return &pb.RecordEntry{Entry: &pb.RecordEntry_Step{Step: &pb.RecordStep{Tick: tick}}}
}
func checksum(tick, sum uint32) *pb.RecordEntry {
	return &pb.RecordEntry{Entry: &pb.RecordEntry_Checksum{Checksum: &pb.RecordChecksum{Tick: tick, Checksum: sum}}}
}

// errRefused is a factory's refusal.
var errRefused = errors.New("refused")

var counterHeader = &pb.RecordHeader{FormatVersion: record.FormatVersion, RoomId: "r", Mode: "counter", TickHz: 10, SnapshotHz: 10, MaxPlayers: 2,
	Schema: counterSchema.Proto()}

// build writes a recording of entries under header h.
func build(t *testing.T, h *pb.RecordHeader, entries ...*pb.RecordEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := record.NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func counterModes() game.Modes {
	return modesOf(newCounter)
}

// modesOf returns a catalogue with the mode "counter" built by f.
func modesOf(f game.Factory) game.Modes {
	m := game.NewModes()
	m.Register(game.Mode{Name: "counter", Schema: counterSchema, New: f, Settings: game.DefaultSettings()})
	return m
}

func TestReplayReports(t *testing.T) {
	tests := []struct {
		name    string
		entries []*pb.RecordEntry
		want    record.Report
		detail  string // in the first mismatch's Detail
	}{
		{"all match", []*pb.RecordEntry{
			join(1, "ann", 11), input(1, 1, 5), step(1), checksum(1, sumOf(11, 5)),
			input(1, 2, -2), step(2), checksum(2, sumOf(11, 3)),
		}, record.Report{Mode: "counter", Entries: 7, Ticks: 2, Checksums: 2}, ""},
		{"a checksum differs", []*pb.RecordEntry{
			join(1, "ann", 11), input(1, 1, 5), step(1), checksum(1, sumOf(11, 5)),
			step(2), checksum(2, sumOf(11, 6)), step(3), checksum(3, sumOf(11, 7)),
		}, record.Report{Mode: "counter", Entries: 8, Ticks: 3, Checksums: 3, Mismatches: 2, FirstMismatchTick: 2}, ""},
		{"a join gives another entity", []*pb.RecordEntry{
			step(1), join(1, "ann", 12), step(2), checksum(2, sumOf(11, 0)),
		}, record.Report{Mode: "counter", Entries: 4, Ticks: 2, Checksums: 1, Mismatches: 1, FirstMismatchTick: 2}, "gave entity 11"},
		{"a recorded refusal", []*pb.RecordEntry{
			{Entry: &pb.RecordEntry_Join{Join: &pb.RecordJoin{Player: 1, Name: "nobody", Refused: true}}}, step(1), checksum(1, 0),
		}, record.Report{Mode: "counter", Entries: 3, Ticks: 1, Checksums: 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bad []record.TickResult
			rep, err := record.Replay(bytes.NewReader(build(t, counterHeader, tt.entries...)), counterModes(), func(tr record.TickResult) {
				if !tr.Match {
					bad = append(bad, tr)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if rep != tt.want {
				t.Errorf("report %+v, want %+v", rep, tt.want)
			}
			if len(bad) != tt.want.Mismatches {
				t.Errorf("%d failing callbacks, want %d", len(bad), tt.want.Mismatches)
			}
			if tt.detail != "" && (len(bad) == 0 || !strings.Contains(bad[0].Detail, tt.detail)) {
				t.Errorf("mismatches %+v, want a detail about %q", bad, tt.detail)
			}
			if rep.OK() != (tt.want.Mismatches == 0) {
				t.Errorf("OK() = %t with %d mismatches", rep.OK(), tt.want.Mismatches)
			}
		})
	}
}

func TestReplayMakesTheHookCalls(t *testing.T) {
	g := &counter{x: map[game.PlayerID]int32{}}
	rec := build(t, counterHeader,
		join(1, "ann", 11),
		&pb.RecordEntry{Entry: &pb.RecordEntry_StartMatch{StartMatch: &pb.RecordStartMatch{Tick: 1}}},
		step(1),
		&pb.RecordEntry{Entry: &pb.RecordEntry_Disconnected{Disconnected: &pb.RecordDisconnected{Player: 1}}},
		&pb.RecordEntry{Entry: &pb.RecordEntry_Reconnected{Reconnected: &pb.RecordReconnected{Player: 1}}},
		&pb.RecordEntry{Entry: &pb.RecordEntry_Debug{Debug: &pb.RecordDebug{Command: "heal 1"}}},
		&pb.RecordEntry{Entry: &pb.RecordEntry_Leave{Leave: &pb.RecordLeave{Player: 1}}},
		step(2), checksum(2, 0),
	)
	rd, err := record.NewReader(bytes.NewReader(rec))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := record.ReplayGame(rd, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"start 1", "disc 1", "reconn 1", "debug heal 1"}
	if fmt.Sprint(g.calls) != fmt.Sprint(want) || !rep.OK() || len(g.x) != 0 {
		t.Errorf("calls %q, report %+v, players %v; want %q, all matching, none left", g.calls, rep, g.x, want)
	}
}

func TestReplayErrors(t *testing.T) {
	good := build(t, counterHeader, join(1, "ann", 11), step(1), checksum(1, sumOf(11, 0)))
	v3 := proto.CloneOf(counterHeader)
	v3.FormatVersion = record.FormatVersion + 1
	noMode := proto.CloneOf(counterHeader)
	noMode.Mode = ""
	var unknownEntry bytes.Buffer
	unknownEntry.Write(build(t, counterHeader))
	if _, err := protodelim.MarshalTo(&unknownEntry, &pb.RecordEntry{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		rec     []byte
		modes   game.Modes
		wantErr string
		is      error
		ticks   int // replayed before the error
	}{
		{"empty stream", nil, counterModes(), "empty stream", record.ErrFormat, 0},
		{"garbage", []byte("\x05hello world"), counterModes(), "header", record.ErrFormat, 0},
		{"another format version", build(t, v3), counterModes(), "format version 3", record.ErrFormat, 0},
		{"no mode", build(t, noMode), counterModes(), "mode", record.ErrFormat, 0},
		{"unknown mode", good, game.NewModes(), `unknown mode "counter"`, nil, 0},
		{"the mode refuses", good, modesOf(func(game.Config) (game.Game, error) { return nil, errRefused }), "mode counter: refused", errRefused, 0},
		{"cut inside an entry", good[:len(good)-2], counterModes(), "entry", io.ErrUnexpectedEOF, 1},
		{"an empty entry", unknownEntry.Bytes(), counterModes(), "unknown entry", nil, 0},
		{"steps backwards", build(t, counterHeader, step(2), step(2)), counterModes(), "step to tick 2 after tick 2", nil, 1},
		{"the game panics", build(t, counterHeader, step(1), join(1, "boom", 0)), counterModes(), "panicked after tick 1", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := record.Replay(bytes.NewReader(tt.rec), tt.modes, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Replay: %v, want an error about %q", err, tt.wantErr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if rep.Ticks != tt.ticks {
				t.Errorf("report %+v, want %d ticks replayed before the error", rep, tt.ticks)
			}
		})
	}
}
