package record_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/record"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// period advances a 60 Hz room's ManualClock by exactly one tick each time
// (the scheduler rounds slot times up to the nanosecond).
const period = time.Second/60 + 1

// link is a PlayerLink that keeps the checksum of every snapshot offered
// and, when it is a spectator's, counts the projectiles it saw.
type link struct {
	mu          sync.Mutex
	sums        map[uint32]uint32
	projectiles int
	decodeFull  bool
	err         error
}

func newLink(decodeFull bool) *link { return &link{sums: map[uint32]uint32{}, decodeFull: decodeFull} }

func (l *link) OfferSnapshot(frame []byte) {
	var msg pb.ServerMessage
	err := proto.Unmarshal(frame, &msg)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.err = err
		return
	}
	s := msg.GetSnapshot()
	l.sums[s.GetTick()] = s.GetChecksum()
	if !l.decodeFull {
		return
	}
	view := wire.NewRows(wire.NewLayout(arena.Schema), 0)
	if err := wire.ApplyDelta(view, nil, s.GetDelta()); err != nil {
		l.err = err
		return
	}
	for i := range view.Len() {
		if view.Kind(i) == arena.KindProjectile {
			l.projectiles++
		}
	}
}

func (l *link) Send(*pb.ServerMessage) bool  { return true }
func (l *link) Close(pb.CloseReason, string) {}

// player is a fake client: seeded random inputs, one per tick, that change
// direction and aim now and then and fire a third of the time.
type player struct {
	port *game.InputPort // nil once the player left
	rng  *rand.Rand
	seq  uint32
	cur  arena.Input
}

func (p *player) push() {
	if p.rng.IntN(40) == 0 {
		p.cur.MoveX = int32(p.rng.IntN(255)) - 127
		p.cur.MoveY = int32(p.rng.IntN(255)) - 127
	}
	if p.rng.IntN(15) == 0 {
		p.cur.Aim = int32(p.rng.IntN(arena.AngleSteps))
	}
	if p.rng.IntN(20) == 0 {
		p.cur.Buttons ^= arena.ButtonFire
	}
	p.seq++
	in := &pb.Input{Seq: p.seq, Values: p.cur.Values()}
	p.port.PushInputs([]*pb.Input{in})
}

// recordedMatch is what playMatch leaves behind.
type recordedMatch struct {
	file      []byte            // the RecordDir recording, from tick 0
	midMatch  []byte            // Recorder.Start's, started after tick 200
	spectated map[uint32]uint32 // snapshot checksums a spectator got, by tick
	shots     int               // projectiles the spectator saw
}

// playMatch runs a 600-tick (10 s) arena match of 8 fake players with a
// disconnect and reconnect, a leave and debug commands, recorded to a file
// from the start and to a buffer from tick 200.
func playMatch(t *testing.T) recordedMatch {
	t.Helper()
	dir := t.TempDir()
	clk := game.NewManualClock(0)
	mode, _ := arenaModes(t, matchOptions).Lookup("arena")
	cfg := game.RoomConfig{ID: "match-1", Mode: "arena", Schema: mode.Schema, ModeOptions: mode.OptionValues(),
		TickHz: 60, SnapshotHz: 20, MaxPlayers: 8, MinPlayers: 8,
		Countdown: 500 * time.Millisecond, Seed: 4242, Clock: clk,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rec, err := record.NewRecorder(record.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Recorder = rec
	g, err := mode.NewGame(game.Config{TickHz: cfg.TickHz, SnapshotHz: cfg.SnapshotHz, MaxPlayers: cfg.MaxPlayers, Seed: cfg.Seed})
	if err != nil {
		t.Fatal(err)
	}
	room, err := game.NewRoom(cfg, g)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- room.Run(context.Background()) }()
	ctx := context.Background()

	spectator := newLink(true)
	stopWatching, err := room.Spectate(ctx, spectator)
	if err != nil {
		t.Fatal(err)
	}
	defer stopWatching()
	players := make([]*player, 8)
	for i := range players {
		port, err := room.Join(ctx, "bot", newLink(false))
		if err != nil {
			t.Fatal(err)
		}
		players[i] = &player{port: port, rng: rand.New(rand.NewPCG(uint64(i), 99))}
	}
	var mid bytes.Buffer
	for tick := uint32(1); tick <= 600; tick++ {
		switch tick {
		case 150:
			room.Disconnect(players[2].port)
		case 200:
			port, err := room.Resume(ctx, players[2].port.Seat(), newLink(false))
			if err != nil {
				t.Fatal(err)
			}
			players[2].port = port
		case 201:
			if err := rec.Start(ctx, &mid); err != nil {
				t.Fatal(err)
			}
		case 300:
			room.Leave(players[4].port.Seat())
			players[4].port = nil
		case 350:
			if _, err := room.Debug(ctx, "heal all"); err != nil {
				t.Fatal(err)
			}
		case 360:
			if _, err := room.Debug(ctx, "standings"); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range players {
			if p.port != nil && p.port.Attached() {
				p.push()
			}
		}
		waitFor(t, "room waiting for its timer", func() bool { return clk.Timers() == 1 })
		clk.Advance(period)
		waitFor(t, "tick", func() bool { return room.Stats().Tick == tick })
	}
	room.CloseWithResults("test over")
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
	// The room's end stopped the recording; this waits for its flush.
	if err := rec.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	file, err := os.ReadFile(filepath.Join(dir, "match-1"+record.FileExt))
	if err != nil {
		t.Fatal(err)
	}
	spectator.mu.Lock()
	defer spectator.mu.Unlock()
	if spectator.err != nil {
		t.Fatal(spectator.err)
	}
	return recordedMatch{file: file, midMatch: mid.Bytes(), spectated: spectator.sums, shots: spectator.projectiles}
}

// waitFor polls cond; the deadline only guards against a hang.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

// matchOptions are the arena options of the recorded match, by option
// name: not the defaults, so that a replay shows it builds its game with
// the options the recording holds.
var matchOptions = map[string]string{"max-speed": "150", "projectile-speed": "500", "fog-radius": "400"}

// arenaModes returns a catalogue of the arena with the options set.
func arenaModes(t testing.TB, options map[string]string) game.Modes {
	t.Helper()
	m := game.NewModes()
	mode := arena.Mode("arena")
	if err := mode.SetOptions(options); err != nil {
		t.Fatal(err)
	}
	m.Register(mode)
	return m
}

func TestRecordedMatchReplays(t *testing.T) {
	// Chunks of 1 KiB: the recording started after tick 200 inflates
	// about 25 sealed chunks of the log before it streams.
	record.SetLogChunkForTest(t, 1<<10)
	m := playMatch(t)
	if m.shots == 0 {
		t.Fatal("the match had no shots; a replay of it proves little")
	}
	tests := []struct {
		name string
		rec  []byte
	}{
		{"recorded from the start", m.file},
		{"recording started after tick 200", m.midMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var results []record.TickResult
			rep, err := record.Replay(bytes.NewReader(tt.rec), arenaModes(t, matchOptions), func(tr record.TickResult) { results = append(results, tr) })
			if err != nil {
				t.Fatal(err)
			}
			want := record.Report{Mode: "arena", Entries: rep.Entries, Ticks: 600, Checksums: 200}
			if rep != want || !rep.OK() {
				t.Fatalf("report %+v, want %+v", rep, want)
			}
			for _, tr := range results {
				if !tr.Match {
					t.Errorf("tick %d: %+v", tr.Tick, tr)
				}
				// The recorded checksums are those players were sent.
				if sent, ok := m.spectated[tr.Tick]; !ok || sent != tr.Want {
					t.Errorf("tick %d: recorded checksum %08x, the spectator got %08x (present %t)", tr.Tick, tr.Want, sent, ok)
				}
			}
		})
	}
	t.Run("the recording keeps the options", func(t *testing.T) {
		// A catalogue with the default options: the recorded ones win.
		rep, err := record.Replay(bytes.NewReader(m.file), arenaModes(t, nil), nil)
		if err != nil || !rep.OK() {
			t.Fatalf("replay with a default catalogue: %+v, %v; want every checksum matching", rep, err)
		}
	})
	t.Run("replayed with other options", func(t *testing.T) {
		// The header names the default speeds: the replay diverges.
		rd, err := record.NewReader(bytes.NewReader(m.file))
		if err != nil {
			t.Fatal(err)
		}
		h := proto.CloneOf(rd.Header())
		h.Options["max-speed"] = "100"
		var buf bytes.Buffer
		w, err := record.NewWriter(&buf, h)
		if err != nil {
			t.Fatal(err)
		}
		for e, err := rd.Next(); err == nil; e, err = rd.Next() {
			if err := w.Write(e); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := record.Replay(&buf, arenaModes(t, nil), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Mismatches == 0 {
			t.Fatalf("report %+v: a replay with the default speed matched a match played at 150", rep)
		}
	})
	t.Run("an unknown recorded option", func(t *testing.T) {
		rd, err := record.NewReader(bytes.NewReader(m.file))
		if err != nil {
			t.Fatal(err)
		}
		h := proto.CloneOf(rd.Header())
		h.Options["warp-drive"] = "on"
		var buf bytes.Buffer
		if _, err := record.NewWriter(&buf, h); err != nil {
			t.Fatal(err)
		}
		if _, err := record.Replay(&buf, arenaModes(t, nil), nil); err == nil || !strings.Contains(err.Error(), "warp-drive") {
			t.Fatalf("replay with an unknown option: %v, want an error naming it", err)
		}
	})
	t.Logf("10 s of 8 players recorded in %d bytes", len(m.file))
	if !bytes.Equal(m.file, m.midMatch) {
		t.Error("the mid-match recording differs from the file recorded from the start")
	}
}

func TestCorruptedInputNamesTheFirstMismatchingTick(t *testing.T) {
	m := playMatch(t)
	rd, err := record.NewReader(bytes.NewReader(m.file))
	if err != nil {
		t.Fatal(err)
	}
	var entries []*pb.RecordEntry
	for {
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	// The match went through every kind of call.
	kinds := map[string]int{}
	for _, e := range entries {
		kinds[string(e.ProtoReflect().WhichOneof(e.ProtoReflect().Descriptor().Oneofs().ByName("entry")).Name())]++
	}
	wantKinds := map[string]int{"join": 8, "start_match": 1, "disconnected": 1, "reconnected": 1, "leave": 1, "debug": 2, "step": 600, "checksum": 200}
	for k, n := range wantKinds {
		if kinds[k] != n {
			t.Errorf("%d %s entries, want %d (all: %v)", kinds[k], k, n, kinds)
		}
	}
	if kinds["input"] < 500*7 {
		t.Errorf("%d input entries, want about one per connected player and tick", kinds["input"])
	}

	// Corrupt player 1's input for tick 400: it moves the other way for
	// one tick.
	const corruptTick = 400
	corrupted := -1
	tick := uint32(1) // the tick the next step entry steps to
	for i, e := range entries {
		if s := e.GetStep(); s != nil {
			tick = s.GetTick() + 1
			continue
		}
		if in := e.GetInput(); in != nil && in.GetPlayer() == 1 && tick >= corruptTick {
			v := arena.InputFromValues(in.GetValues())
			if v.MoveX >= 0 {
				v.MoveX = -127
			} else {
				v.MoveX = 127
			}
			in.Values = v.Values()
			corrupted = i
			break
		}
	}
	if corrupted < 0 {
		t.Fatal("no input of player 1 after tick 400")
	}
	var buf bytes.Buffer
	w, err := record.NewWriter(&buf, rd.Header())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	var first *record.TickResult
	rep, err := record.Replay(&buf, arenaModes(t, matchOptions), func(tr record.TickResult) {
		if !tr.Match && first == nil {
			first = &tr
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mismatches == 0 || rep.FirstMismatchTick < tick || first == nil || first.Tick != rep.FirstMismatchTick {
		t.Fatalf("report %+v (first failing callback %+v), want a first mismatch at or after tick %d", rep, first, tick)
	}
	if rep.Checksums != 200 || rep.Ticks != 600 {
		t.Errorf("replayed %d ticks and %d checksums, want all 600 and 200 despite the mismatch", rep.Ticks, rep.Checksums)
	}
	t.Logf("input for tick %d corrupted; first mismatch at tick %d, %d of %d checksums differ", tick, rep.FirstMismatchTick, rep.Mismatches, rep.Checksums)
}
