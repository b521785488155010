package game_test

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/drones"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// countLink counts the snapshot bytes it is offered.
type countLink struct{ frames, bytes int }

func (l *countLink) OfferSnapshot(frame []byte)   { l.frames++; l.bytes += len(frame) }
func (l *countLink) Send(*pb.ServerMessage) bool  { return true }
func (l *countLink) Close(pb.CloseReason, string) {}

// benchMode runs one room of mode with players seats, each sending an
// input every tick from input and acking every snapshot a snapshot later,
// and reports per tick: ns, encodings (one per distinct baseline and view)
// and snapshot bytes per player.
func benchMode(b *testing.B, mode game.Mode, players int, input func(rng *rand.Rand, tick uint32, p int) []int32) {
	s := mode.Settings
	g, err := mode.NewGame(game.Config{TickHz: s.TickHz, SnapshotHz: s.SnapshotHz, MaxPlayers: players, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	r, err := game.NewRoom(game.RoomConfig{ID: "bench", Mode: mode.Name, Schema: mode.Schema,
		TickHz: s.TickHz, SnapshotHz: s.SnapshotHz, MaxPlayers: players, Clock: game.NewManualClock(0),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, g)
	if err != nil {
		b.Fatal(err)
	}
	ports := make([]*game.InputPort, players)
	links := make([]*countLink, players)
	for i := range ports {
		links[i] = &countLink{}
		if ports[i], err = r.JoinForTest(fmt.Sprintf("p%d", i), links[i]); err != nil {
			b.Fatal(err)
		}
	}
	// Warm up past the countdown and the first full snapshots.
	rng := rand.New(rand.NewPCG(1, 2))
	seq := uint32(0)
	tickOnce := func() {
		seq++
		for i, p := range ports {
			p.PushInputs([]*pb.Input{{Seq: seq, Values: input(rng, r.TickForTest()+1, i)}})
			p.Ack(p.Seat().LastSentTick())
		}
		r.StepForTest()
	}
	for range 10 * s.TickHz {
		tickOnce()
	}
	full0, delta0 := game.EncodeCountsForTest()
	bytes0 := 0
	for _, l := range links {
		bytes0 += l.bytes
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		tickOnce()
	}
	b.StopTimer()
	full1, delta1 := game.EncodeCountsForTest()
	bytes1 := 0
	for _, l := range links {
		bytes1 += l.bytes
	}
	b.ReportMetric((full1-full0+delta1-delta0)/float64(b.N), "encodes/tick")
	b.ReportMetric(float64(bytes1-bytes0)/float64(b.N)/float64(players), "B/player/tick")
}

// arenaInput wanders: a new direction about once a second per player.
func arenaInput(rng *rand.Rand, tick uint32, p int) []int32 {
	dir := int32((int(tick)/60 + p*3) % 8)
	in := arena.Input{MoveX: arena.MoveAxisMax * (dir%3 - 1), MoveY: arena.MoveAxisMax * (dir/3%3 - 1), Aim: dir * 512}
	if rng.IntN(30) == 0 {
		in.Buttons = arena.ButtonFire
	}
	return in.Values()
}

// dronesInput cruises and turns about once a second per player.
func dronesInput(_ *rand.Rand, tick uint32, p int) []int32 {
	yaw := int32((int(tick)/30*977 + p*331) % drones.AngleSteps)
	return drones.Input{Thrust: drones.AxisMax, Yaw: yaw, Pitch: int32(p%3-1) * 100}.Values()
}

// BenchmarkRoomTickArena16 is the arena-move scenario's room: 16 players,
// everyone sees everything (one view, one encoding per baseline).
func BenchmarkRoomTickArena16(b *testing.B) {
	benchMode(b, arena.Mode("arena"), 16, arenaInput)
}

// BenchmarkRoomTickArena16Fog is the same with a fog radius: a view per
// player.
func BenchmarkRoomTickArena16Fog(b *testing.B) {
	m := arena.Mode("arena")
	if err := m.SetOptions(map[string]string{"fog-radius": "300"}); err != nil {
		b.Fatal(err)
	}
	benchMode(b, m, 16, arenaInput)
}

// BenchmarkRoomTickDrones64 is a drones room of 64 players with its
// visibility (a view radius and line of sight): a view per player.
func BenchmarkRoomTickDrones64(b *testing.B) {
	m := drones.Mode("drones")
	m.Settings.MaxPlayers = 64
	benchMode(b, m, 64, dronesInput)
}

// BenchmarkRoomTickDrones64AllVisible is the same room with visibility
// off (every drone sees the whole box through the pillars): one view.
func BenchmarkRoomTickDrones64AllVisible(b *testing.B) {
	m := drones.Mode("drones")
	m.Settings.MaxPlayers = 64
	if err := m.SetOptions(map[string]string{"view-radius": "10000", "see-through-pillars": "true"}); err != nil {
		b.Fatal(err)
	}
	benchMode(b, m, 64, dronesInput)
}
