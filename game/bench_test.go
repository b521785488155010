package game_test

import (
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/record"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// benchSchema is benchGame's: one kind of 7 fields, like an arena player.
var benchSchema = &wire.Schema{
	Entities: []wire.EntityKind{{Kind: 1, Name: "player", Fields: []wire.Field{
		{Name: "x", Type: wire.TypeInt}, {Name: "y", Type: wire.TypeInt},
		{Name: "angle", Type: wire.TypeAngle, Scale: 4096}, {Name: "health", Type: wire.TypeInt},
		{Name: "vx", Type: wire.TypeInt}, {Name: "vy", Type: wire.TypeInt},
		{Name: "owner", Type: wire.TypeUint, Role: wire.RoleOwner},
	}}},
	Input: []wire.Field{
		{Name: "move_x", Type: wire.TypeInt, Min: -127, Max: 127},
		{Name: "move_y", Type: wire.TypeInt, Min: -127, Max: 127},
		{Name: "aim", Type: wire.TypeAngle, Scale: 4096},
	},
}

// benchEntity is one benchGame player.
type benchEntity struct {
	x, y, angle, vx, vy int32
	owner               int32
}

// benchGame is a trivial Game: one entity per player moving at its current
// move input, about 100 units/s at 60 Hz in grid units; everyone sees
// everything.
type benchGame struct {
	ents []benchEntity // index = player-1; entity id = player
}

func (g *benchGame) Join(p game.PlayerID, _ string) (uint32, error) {
	for len(g.ents) < int(p) {
		g.ents = append(g.ents, benchEntity{})
	}
	g.ents[p-1].owner = int32(p)
	return uint32(p), nil
}
func (g *benchGame) Leave(p game.PlayerID) {}
func (g *benchGame) ApplyInput(p game.PlayerID, in game.Input) {
	e := &g.ents[p-1]
	e.vx, e.vy, e.angle = in.Values[0], in.Values[1], in.Values[2]
}
func (g *benchGame) Step(uint32) {
	for k := range g.ents {
		e := &g.ents[k]
		e.x += e.vx / 8
		e.y += e.vy / 8
	}
}
func (g *benchGame) View(_ game.PlayerID, dst *wire.Rows) {
	for k := range g.ents {
		e := &g.ents[k]
		f := dst.Append(uint32(k+1), 1)
		f[0], f[1], f[2], f[3], f[4], f[5], f[6] = e.x, e.y, e.angle, 100, e.vx, e.vy, e.owner
	}
}
func (g *benchGame) ViewGroup(game.PlayerID) uint64            { return 0 }
func (g *benchGame) DrainEvents(dst []wire.Event) []wire.Event { return dst }
func (g *benchGame) Results() ([]game.PlayerResult, bool)      { return nil, false }

// discardLink counts what it is offered.
type discardLink struct {
	frames, bytes int
}

func (l *discardLink) OfferSnapshot(frame []byte)   { l.frames++; l.bytes += len(frame) }
func (l *discardLink) Send(*pb.ServerMessage) bool  { return true }
func (l *discardLink) Close(pb.CloseReason, string) {}

// BenchmarkRoomTick16 measures one simulated tick of a 16-player room at
// 60 Hz with 20 Hz snapshots (so every third tick encodes and offers 16
// frames): players send an input every other tick, change direction about
// once a second, and ack each snapshot one snapshot later. The room keeps
// its in-memory log of calls (record.Recorder), as every room of the
// server does by default.
func BenchmarkRoomTick16(b *testing.B) {
	rec, err := record.NewRecorder(record.Options{LogBytes: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	benchRoomTick16(b, rec)
}

// BenchmarkRoomTick16NoLog is BenchmarkRoomTick16 without a recorder: the
// difference is what recording costs a tick.
func BenchmarkRoomTick16NoLog(b *testing.B) {
	benchRoomTick16(b, nil)
}

// BenchmarkRoomTickPlayers is BenchmarkRoomTick16NoLog at several room
// sizes: allocs/op that do not grow with the players show that offering a
// snapshot allocates nothing per player (a tick's few allocations are the
// room's: one encoding per distinct baseline).
func BenchmarkRoomTickPlayers(b *testing.B) {
	for _, n := range []int{4, 16, 64} {
		b.Run(fmt.Sprintf("players=%d", n), func(b *testing.B) { benchRoomTick(b, n, nil) })
	}
}

// benchRoomTick16 runs the 16-player tick benchmark with rec as the room's
// recorder (nil: none).
func benchRoomTick16(b *testing.B, rec game.Recorder) { benchRoomTick(b, 16, rec) }

// benchRoomTick runs the tick benchmark in a room of players with rec as
// its recorder (nil: none). Inputs arrive as the lobby hands them over,
// decoded into a batch the connection reuses.
func benchRoomTick(b *testing.B, players int, rec game.Recorder) {
	cfg := game.RoomConfig{ID: "bench", TickHz: 60, SnapshotHz: 20, MaxPlayers: players, Clock: game.NewManualClock(0),
		Schema: benchSchema, Recorder: rec, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r, err := game.NewRoom(cfg, &benchGame{})
	if err != nil {
		b.Fatal(err)
	}
	seats := make([]*game.InputPort, players)
	links := make([]*discardLink, players)
	for i := range seats {
		links[i] = &discardLink{}
		if seats[i], err = r.JoinForTest(fmt.Sprintf("p%d", i), links[i]); err != nil {
			b.Fatal(err)
		}
	}
	interval := uint32(r.SnapshotInterval())
	in := make([]wire.ClientInput, 1)
	seq := make([]uint32, players)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		tick := r.TickForTest() + 1
		if tick%2 == 0 {
			for i, s := range seats {
				seq[i]++
				// A new direction about once a second, staggered.
				dir := int32((tick/60 + uint32(i)) % 8)
				in[0] = wire.ClientInput{Seq: seq[i], NValues: 3,
					Values: [wire.MaxInputFields]int32{127 * (dir%3 - 1), 127 * (dir/3%3 - 1), dir * 512}}
				s.PushDecodedInputs(in)
			}
		}
		if tick%interval == 0 {
			for _, s := range seats {
				s.Ack(s.Seat().LastSentTick())
			}
		}
		r.StepForTest()
	}
	b.StopTimer()
	var frames, bytes int
	for _, l := range links {
		frames += l.frames
		bytes += l.bytes
	}
	if frames > 0 {
		b.ReportMetric(float64(bytes)/float64(frames), "B/frame")
	}
}
