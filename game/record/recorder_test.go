package record_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/record"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// counterPeriod is one tick of a recordedRoom (100 Hz).
const counterPeriod = 10 * time.Millisecond

// recordedRoom is a counter room with a Recorder, under Run in a goroutine
// the test waits for, its clock moved by the test.
type recordedRoom struct {
	t    *testing.T
	room *game.Room
	rec  *record.Recorder
	clk  *game.ManualClock
	errc chan error
}

// startRecorded runs a counter room (100 Hz ticks, 50 Hz snapshots, two
// seats, seed 77) recorded with opts until the test ends.
func startRecorded(t *testing.T, id string, opts record.Options) *recordedRoom {
	t.Helper()
	rec, err := record.NewRecorder(opts)
	if err != nil {
		t.Fatal(err)
	}
	clk := game.NewManualClock(0)
	cfg := game.RoomConfig{ID: id, Mode: "counter", Schema: counterSchema, TickHz: 100, SnapshotHz: 50, MaxPlayers: 2,
		Seed: 77, Clock: clk, Recorder: rec, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	g, err := newCounter(game.Config{})
	if err != nil {
		t.Fatal(err)
	}
	room, err := game.NewRoom(cfg, g)
	if err != nil {
		t.Fatal(err)
	}
	rr := &recordedRoom{t: t, room: room, rec: rec, clk: clk, errc: make(chan error, 1)}
	go func() { rr.errc <- room.Run(context.Background()) }()
	t.Cleanup(func() {
		room.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
		<-room.Done()
	})
	return rr
}

// tick advances the clock one period at a time for n ticks, waiting for the
// room each time.
func (rr *recordedRoom) tick(n int) {
	rr.t.Helper()
	for range n {
		want := rr.room.Stats().Tick + 1
		waitFor(rr.t, "room to wait for its timer", func() bool { return rr.clk.Timers() == 1 })
		rr.clk.Advance(counterPeriod)
		waitFor(rr.t, "tick", func() bool { return rr.room.Stats().Tick == want })
	}
}

// wait returns Run's result.
func (rr *recordedRoom) wait() error {
	rr.t.Helper()
	select {
	case err := <-rr.errc:
		return err
	case <-time.After(10 * time.Second):
		rr.t.Fatal("Run did not return")
		return nil
	}
}

// decodeRecording splits a recording into its header and entries, failing
// the test on anything that does not read.
func decodeRecording(t *testing.T, b []byte) (*pb.RecordHeader, []*pb.RecordEntry) {
	t.Helper()
	rd, err := record.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var entries []*pb.RecordEntry
	for {
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rd.Header(), entries
		}
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
}

// entryName names an entry's kind, for comparisons.
func entryName(e *pb.RecordEntry) string {
	switch {
	case e.GetJoin() != nil:
		return "join"
	case e.GetLeave() != nil:
		return "leave"
	case e.GetDisconnected() != nil:
		return "disconnected"
	case e.GetReconnected() != nil:
		return "reconnected"
	case e.GetInput() != nil:
		return "input"
	case e.GetStartMatch() != nil:
		return "start_match"
	case e.GetDebug() != nil:
		return "debug"
	case e.GetStep() != nil:
		return "step"
	case e.GetChecksum() != nil:
		return "checksum"
	}
	return "unknown"
}

// safeBuffer is a bytes.Buffer the test reads while a sink may write.
type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// blockingWriter blocks every Write until release is closed.
type blockingWriter struct {
	release chan struct{}
	entered chan struct{} // gets a value each time a Write starts
}

func newBlockingWriter() *blockingWriter {
	return &blockingWriter{release: make(chan struct{}), entered: make(chan struct{}, 1)}
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	select {
	case w.entered <- struct{}{}:
	default:
	}
	<-w.release
	return len(p), nil
}

// failingWriter fails every Write.
type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestRecordingHoldsEveryCallFromTickZero(t *testing.T) {
	rr := startRecorded(t, "room-a", record.Options{})
	ctx := context.Background()
	la := newLink(false)
	a, err := rr.room.Join(ctx, "ann", la)
	if err != nil {
		t.Fatal(err)
	}
	rr.tick(2)
	a.PushInputs([]*pb.Input{{Seq: 1, Values: []int32{9}}, {Seq: 2, Values: []int32{1}}})
	rr.tick(1)
	b, err := rr.room.Join(ctx, "bob", newLink(false))
	if err != nil {
		t.Fatal(err)
	}
	rr.tick(1)
	// Started mid-match: the log from tick 0 comes first.
	var out safeBuffer
	if err := rr.rec.Start(ctx, &out); err != nil {
		t.Fatal(err)
	}
	busy := record.RefusedForTest("recording_busy")
	if err := rr.rec.Start(ctx, &safeBuffer{}); !errors.Is(err, record.ErrBusy) {
		t.Errorf("second Start: %v, want ErrBusy", err)
	}
	if n := record.RefusedForTest("recording_busy") - busy; n != 1 {
		t.Errorf("recording_busy refusals %v, want 1", n)
	}
	if !rr.rec.Recording() {
		t.Error("Recording says not recording")
	}
	rr.room.Disconnect(b)
	if _, err := rr.room.Resume(ctx, b.Seat(), newLink(false)); err != nil {
		t.Fatal(err)
	}
	rr.tick(2)
	rr.room.Leave(b.Seat())
	// Leave is queued: let the room run it before the next tick.
	waitFor(t, "bob's leave", func() bool { return rr.room.Stats().Players == 1 })
	rr.tick(2)
	if err := rr.rec.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rr.rec.Stop(ctx); !errors.Is(err, record.ErrNotRecording) {
		t.Errorf("second Stop: %v, want ErrNotRecording", err)
	}

	h, entries := decodeRecording(t, out.Bytes())
	if h.GetRoomId() != "room-a" || h.GetMode() != "counter" || h.GetTickHz() != 100 || h.GetSnapshotHz() != 50 ||
		h.GetMaxPlayers() != 2 || h.GetSeed() != 77 || h.GetFormatVersion() != record.FormatVersion {
		t.Errorf("header %v", h)
	}
	want := []string{
		"join", "start_match", // no countdown: the join starts the match
		"step", "step", "checksum",
		"input", "input", "step", // seqs 1 and 2 before tick 3
		"join",
		"step", "checksum",
		"disconnected", "reconnected",
		"step", "step", "checksum",
		"leave",
		"step", "step", "checksum",
	}
	var got []string
	for _, e := range entries {
		got = append(got, entryName(e))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("entries %v\nwant    %v", got, want)
	}
	in := entries[5].GetInput()
	if in.GetPlayer() != uint32(a.Seat().Player()) || in.GetSeq() != 1 || !slices.Equal(in.GetValues(), []int32{9}) {
		t.Errorf("first input entry %v, want ann's seq 1", in)
	}
	if j := entries[8].GetJoin(); j.GetPlayer() != uint32(b.Seat().Player()) || j.GetName() != "bob" || j.GetEntityId() != b.Seat().EntityID() {
		t.Errorf("second join %v, want bob's", j)
	}
	// The recorded checksums are those the player's snapshots carried.
	la.mu.Lock()
	sent := maps.Clone(la.sums)
	la.mu.Unlock()
	steps := uint32(0)
	for _, e := range entries {
		if s := e.GetStep(); s != nil {
			steps++
			if s.GetTick() != steps {
				t.Errorf("step to tick %d after %d steps", s.GetTick(), steps-1)
			}
		}
		if c := e.GetChecksum(); c != nil {
			if want, ok := sent[c.GetTick()]; !ok || want != c.GetChecksum() {
				t.Errorf("tick %d: recorded checksum %08x, the snapshot had %08x (sent %t)", c.GetTick(), c.GetChecksum(), want, ok)
			}
		}
	}
}

func TestRecordingUnavailable(t *testing.T) {
	tests := []struct {
		name     string
		logBytes int
		ticks    int
		want     error
	}{
		{"log kept", 0, 10, nil},
		{"log outgrown", 40, 10, record.ErrUnavailable},
		{"log disabled, nothing happened yet", -1, 0, nil},
		{"log disabled", -1, 1, record.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr := startRecorded(t, "room-a", record.Options{LogBytes: tt.logBytes})
			before := record.DroppedForTest("buffer_full")
			refused := record.RefusedForTest("recording_unavailable")
			rr.tick(tt.ticks)
			err := rr.rec.Start(context.Background(), &safeBuffer{})
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("Start: %v, want %v", err, tt.want)
			}
			dropped := record.DroppedForTest("buffer_full") - before
			if wantDrop := tt.logBytes > 0; (dropped == 1) != wantDrop {
				t.Errorf("buffer_full drops %v, want %t", dropped, wantDrop)
			}
			if n := record.RefusedForTest("recording_unavailable") - refused; (n == 1) != (tt.want != nil) {
				t.Errorf("recording_unavailable refusals %v, want one only when refused", n)
			}
			if err == nil {
				if err := rr.rec.Stop(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestRecordingSlowWriterNeverBlocksTheTick(t *testing.T) {
	rr := startRecorded(t, "room-a", record.Options{QueueBytes: 64})
	ctx := context.Background()
	if _, err := rr.room.Join(ctx, "ann", newLink(false)); err != nil {
		t.Fatal(err)
	}
	w := newBlockingWriter()
	var release sync.Once
	free := func() { release.Do(func() { close(w.release) }) }
	t.Cleanup(free) // before the room's cleanup waits for its end
	before := record.DroppedForTest("slow_writer")
	if err := rr.rec.Start(ctx, w); err != nil {
		t.Fatal(err)
	}
	<-w.entered // the writer is stuck in its first Write...
	rr.tick(50) // ...and the room ticks on
	if rr.rec.Recording() {
		t.Error("still recording after the writer fell far behind")
	}
	if n := record.DroppedForTest("slow_writer") - before; n != 1 {
		t.Errorf("slow_writer drops %v, want 1", n)
	}
	free()
	if err := rr.rec.Stop(ctx); !errors.Is(err, record.ErrOverflow) {
		t.Errorf("Stop after an overflow: %v, want ErrOverflow", err)
	}
}

func TestRecordingWriteError(t *testing.T) {
	rr := startRecorded(t, "room-a", record.Options{})
	ctx := context.Background()
	if err := rr.rec.Start(ctx, failingWriter{}); err != nil {
		t.Fatal(err)
	}
	rr.tick(3)
	if err := rr.rec.Stop(ctx); !errors.Is(err, errDiskFull) {
		t.Errorf("Stop with a failing writer: %v, want the write error", err)
	}
}

func TestRecordingStoppedByTheRoomsEnd(t *testing.T) {
	rr := startRecorded(t, "room-a", record.Options{})
	ctx := context.Background()
	if _, err := rr.room.Join(ctx, "ann", newLink(false)); err != nil {
		t.Fatal(err)
	}
	var out safeBuffer
	if err := rr.rec.Start(ctx, &out); err != nil {
		t.Fatal(err)
	}
	rr.tick(4)
	rr.room.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	if err := rr.rec.Stop(ctx); err != nil {
		t.Fatalf("Stop after the end: %v", err)
	}
	_, entries := decodeRecording(t, out.Bytes())
	last := entries[len(entries)-1]
	if c := last.GetChecksum(); c.GetTick() != 4 {
		t.Errorf("last entry %v, want the checksum of tick 4", last)
	}
	if err := rr.rec.Start(ctx, &out); !errors.Is(err, game.ErrRoomClosed) {
		t.Errorf("Start after the end: %v, want ErrRoomClosed", err)
	}
}

func TestRecordDir(t *testing.T) {
	dir := t.TempDir()
	// The file needs no log.
	rr := startRecorded(t, "room-a", record.Options{Dir: dir, LogBytes: -1})
	if _, err := rr.room.Join(context.Background(), "ann", newLink(false)); err != nil {
		t.Fatal(err)
	}
	rr.tick(6)
	rr.room.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	// Run flushed and closed the file before returning.
	b, err := os.ReadFile(filepath.Join(dir, "room-a"+record.FileExt))
	if err != nil {
		t.Fatal(err)
	}
	h, entries := decodeRecording(t, b)
	steps, sums := 0, 0
	for _, e := range entries {
		switch entryName(e) {
		case "step":
			steps++
		case "checksum":
			sums++
		}
	}
	if h.GetRoomId() != "room-a" || entryName(entries[0]) != "join" || steps != 6 || sums != 3 {
		t.Errorf("file: header %v, first entry %s, %d steps and %d checksums; want room-a, join, 6 and 3", h, entryName(entries[0]), steps, sums)
	}
}

func TestRecordDirUnwritable(t *testing.T) {
	before := record.DroppedForTest("open_error")
	rr := startRecorded(t, "room-a", record.Options{Dir: filepath.Join(t.TempDir(), "missing")})
	rr.tick(2) // the room runs regardless
	if n := record.DroppedForTest("open_error") - before; n != 1 {
		t.Errorf("open_error drops %v, want 1", n)
	}
}

func TestRecordingFlushTimeout(t *testing.T) {
	rr := startRecorded(t, "room-a", record.Options{FlushTimeout: time.Millisecond})
	w := newBlockingWriter()
	var release sync.Once
	t.Cleanup(func() { release.Do(func() { close(w.release) }) })
	if err := rr.rec.Start(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	<-w.entered
	before := record.DroppedForTest("flush_timeout")
	rr.room.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil { // Run returns though the writer is stuck
		t.Fatal(err)
	}
	if n := record.DroppedForTest("flush_timeout") - before; n != 1 {
		t.Errorf("flush_timeout drops %v, want 1", n)
	}
	release.Do(func() { close(w.release) })
	if err := rr.rec.Stop(context.Background()); err != nil {
		t.Errorf("Stop once the writer is free: %v", err)
	}
}

func TestNewRecorderValidates(t *testing.T) {
	for _, o := range []record.Options{{QueueBytes: -1}, {FlushTimeout: -1}} {
		if _, err := record.NewRecorder(o); err == nil {
			t.Errorf("NewRecorder(%+v) accepted", o)
		}
	}
}

// chunk is the memory a log takes from its budget when it opens a chunk
// (a full chunk then takes only its compressed size).
const chunk = 16 << 10

// debugs sends n debug commands of about 1000 bytes each to room, each one
// an entry of its log.
func debugs(t *testing.T, room *game.Room, n int) {
	t.Helper()
	cmd := strings.Repeat("x", 1000)
	for range n {
		if _, err := room.Debug(context.Background(), cmd); err != nil {
			t.Fatal(err)
		}
	}
}

// canStart reports whether a recording of rr starts (its log from tick 0
// is kept), stopping it at once.
func canStart(t *testing.T, rr *recordedRoom) bool {
	t.Helper()
	err := rr.rec.Start(context.Background(), &safeBuffer{})
	switch {
	case err == nil:
		if err := rr.rec.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
		return true
	case errors.Is(err, record.ErrUnavailable):
		return false
	}
	t.Fatal(err)
	return false
}

// held is what rr's log takes from its budget.
func held(t *testing.T, rr *recordedRoom) int64 {
	t.Helper()
	var n int64
	if err := rr.room.Exec(context.Background(), "log size", func() error { _, n = rr.rec.LogSizeForTest(); return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBudgetBoundsTheLogs gives three rooms a budget of two chunks and a
// little: a log holds its open chunk and its full chunks compressed, the
// logs never hold more than the budget, a room that cannot get a chunk, or
// room for a full one, drops its log (counted, recordings refused), and
// what a log held comes back when it is dropped or its room ends.
func TestBudgetBoundsTheLogs(t *testing.T) {
	budget := record.NewBudget(2*chunk + 4<<10)
	opts := record.Options{Budget: budget}
	a := startRecorded(t, "a", opts)
	b := startRecorded(t, "b", opts)
	c := startRecorded(t, "c", opts)
	dropped := record.DroppedForTest("budget")
	check := func(step string, used int64, drops float64) {
		t.Helper()
		if got := budget.Used(); got != used || got > budget.Limit() {
			t.Fatalf("%s: budget used %d, want %d (limit %d)", step, got, used, budget.Limit())
		}
		if got := record.DroppedForTest("budget") - dropped; got != drops {
			t.Fatalf("%s: budget drops %v, want %v", step, got, drops)
		}
	}

	debugs(t, a.room, 150) // 150 KB of repeated text: nine chunks sealed
	heldA := held(t, a)
	if heldA <= chunk || heldA > chunk+2<<10 {
		t.Fatalf("a's log of 150 KB holds %d bytes; want its open chunk and nine compressed ones, %d to %d", heldA, chunk, chunk+2<<10)
	}
	check("a's log", heldA, 0)
	debugs(t, b.room, 1)
	check("b's log", heldA+chunk, 0)
	debugs(t, c.room, 1) // no chunk left
	check("c's log", heldA+chunk, 1)
	if canStart(t, c) {
		t.Fatal("c recorded without its log")
	}
	// b seals chunks until the budget has no room for one.
	for i := 0; record.DroppedForTest("budget")-dropped < 2; i++ {
		if i == 10000 {
			t.Fatal("b's log never found the budget spent")
		}
		debugs(t, b.room, 1)
		if used := budget.Used(); used > budget.Limit() {
			t.Fatalf("budget used %d, over its limit %d", used, budget.Limit())
		}
	}
	check("b's log dropped", heldA, 2)
	if canStart(t, b) || !canStart(t, a) {
		t.Fatal("want a able to record and b not")
	}
	debugs(t, a.room, 60) // a recording did not copy the log
	if got := held(t, a); got > heldA+1<<10 {
		t.Fatalf("a's log holds %d after a recording and 60 KB more, %d before", got, heldA)
	}

	a.room.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := a.wait(); err != nil {
		t.Fatal(err)
	}
	check("a ended", 0, 2)
	d := startRecorded(t, "d", opts)
	debugs(t, d.room, 1)
	check("d's log", chunk, 2)
	if !canStart(t, d) {
		t.Fatal("d cannot record though the budget came back")
	}
}

// TestBudgetManyRoomsAtOnce has 32 rooms ask at once for a budget of 8
// chunks: exactly 8 keep their log, the others drop theirs, and every
// chunk comes back when the rooms end.
func TestBudgetManyRoomsAtOnce(t *testing.T) {
	const rooms, chunks = 32, 8
	budget := record.NewBudget(chunks * chunk)
	dropped := record.DroppedForTest("budget")
	all := make([]*recordedRoom, rooms)
	for i := range all {
		all[i] = startRecorded(t, fmt.Sprintf("room-%d", i), record.Options{Budget: budget})
	}
	var wg sync.WaitGroup
	for _, rr := range all {
		wg.Go(func() {
			for range 3 {
				if _, err := rr.room.Debug(context.Background(), strings.Repeat("x", 1000)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if used := budget.Used(); used != chunks*chunk {
		t.Fatalf("budget used %d, want all of it, %d", used, chunks*chunk)
	}
	kept := 0
	for _, rr := range all {
		if canStart(t, rr) {
			kept++
		}
	}
	if kept != chunks {
		t.Fatalf("%d rooms kept their log, want %d", kept, chunks)
	}
	if n := record.DroppedForTest("budget") - dropped; n != rooms-chunks {
		t.Fatalf("budget drops %v, want %d", n, rooms-chunks)
	}
	for _, rr := range all {
		rr.room.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
		if err := rr.wait(); err != nil {
			t.Fatal(err)
		}
	}
	if used := budget.Used(); used != 0 {
		t.Fatalf("budget used %d after every room ended, want 0", used)
	}
}

// TestRecordingFromLogDir: with LogDir the full chunks of a room's log go
// to a file, and a recording started mid-match still holds every call from
// tick 0, read back from it; a LogDir that cannot take the file drops the
// log (counted) and refuses recordings, as a spent budget does.
func TestRecordingFromLogDir(t *testing.T) {
	dir := t.TempDir()
	rr := startRecorded(t, "room-a", record.Options{LogDir: dir})
	debugs(t, rr.room, 100) // 100 KB: six chunks sealed
	inFile := false
	if err := rr.room.Exec(context.Background(), "log in file", func() error { inFile = rr.rec.LogInFileForTest(); return nil }); err != nil {
		t.Fatal(err)
	}
	if !inFile {
		t.Fatal("the log's sealed chunks are not in a file")
	}
	var out safeBuffer
	if err := rr.rec.Start(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	debugs(t, rr.room, 3)
	if err := rr.rec.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, entries := decodeRecording(t, out.Bytes())
	n := 0
	for _, e := range entries {
		if entryName(e) == "debug" {
			n++
		}
	}
	if n != 103 {
		t.Fatalf("the recording holds %d debug commands, want all 103", n)
	}
	if names, err := os.ReadDir(dir); err != nil || len(names) != 0 {
		t.Fatalf("LogDir lists %v (%v), want nothing: the log's file is removed when made", names, err)
	}

	gone := startRecorded(t, "room-b", record.Options{LogDir: filepath.Join(dir, "missing")})
	dropped := record.DroppedForTest("log_io_error")
	debugs(t, gone.room, 20) // the first seal needs the file
	if n := record.DroppedForTest("log_io_error") - dropped; n != 1 {
		t.Errorf("log_io_error drops %v, want 1", n)
	}
	if canStart(t, gone) {
		t.Fatal("a room whose log could not be written recorded without it")
	}
}
