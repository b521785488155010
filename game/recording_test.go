package game

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

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

func TestRecordingHoldsEveryCallFromTickZero(t *testing.T) {
	g := newFakeGame()
	cfg := runCfg(NewManualClock(0)) // 100 Hz, a snapshot every 2 ticks
	cfg.Seed = 77
	rr := startRoom(t, context.Background(), g, cfg)
	ctx := context.Background()
	la, lb := newFakeLink(t), newFakeLink(t)
	a, err := rr.r.Join(ctx, "ann", la)
	if err != nil {
		t.Fatal(err)
	}
	rr.tick(2)
	a.PushInputs([]*pb.Input{{Seq: 1, Values: []int32{9, -5}}, {Seq: 2, Values: []int32{0, 1}}})
	rr.tick(1)
	b, err := rr.r.Join(ctx, "bob", lb)
	if err != nil {
		t.Fatal(err)
	}
	rr.tick(1)
	// Started mid-match: the log from tick 0 comes first.
	var rec safeBuffer
	if err := rr.r.StartRecording(ctx, &rec); err != nil {
		t.Fatal(err)
	}
	if err := rr.r.StartRecording(ctx, &safeBuffer{}); !errors.Is(err, ErrRecordingBusy) {
		t.Errorf("second StartRecording: %v, want ErrRecordingBusy", err)
	}
	if d, _ := rr.r.Inspect(ctx); !d.Recording {
		t.Error("Inspect says not recording")
	}
	rr.r.Disconnect(b)
	if _, err := rr.r.Resume(ctx, b.Seat(), newFakeLink(t)); err != nil {
		t.Fatal(err)
	}
	rr.tick(2)
	rr.r.Leave(b.Seat())
	rr.tick(2)
	if err := rr.r.StopRecording(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rr.r.StopRecording(ctx); !errors.Is(err, ErrNotRecording) {
		t.Errorf("second StopRecording: %v, want ErrNotRecording", err)
	}

	h, entries := decodeRecording(t, rec.Bytes())
	if h.GetRoomId() != "room-a" || h.GetMode() != "fake" || h.GetTickHz() != 100 || h.GetSnapshotHz() != 50 ||
		h.GetMaxPlayers() != 2 || h.GetSeed() != 77 || h.GetFormatVersion() != RecordFormatVersion {
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
	if len(got) != len(want) {
		t.Fatalf("entries %v\nwant    %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entry %d is %s, want %s\nentries %v", i, got[i], want[i], got)
		}
	}
	in := entries[5].GetInput()
	if in.GetPlayer() != uint32(a.Seat().Player()) || in.GetSeq() != 1 || !slices.Equal(in.GetValues(), []int32{9, -5}) {
		t.Errorf("first input entry %v, want ann's seq 1", in)
	}
	if j := entries[8].GetJoin(); j.GetPlayer() != uint32(b.Seat().Player()) || j.GetName() != "bob" || j.GetEntityId() != b.Seat().EntityID() {
		t.Errorf("second join %v, want bob's", j)
	}
	// The recorded checksums are those the player's snapshots carried.
	sent := map[uint32]uint32{}
	for _, s := range la.snapshots() {
		sent[s.GetTick()] = s.GetChecksum()
	}
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
		name   string
		budget int
		ticks  int
		want   error
	}{
		{"log kept", 0, 10, nil},
		{"log outgrown", 40, 10, ErrRecordingUnavailable},
		{"log disabled, nothing happened yet", -1, 0, nil},
		{"log disabled", -1, 1, ErrRecordingUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := runCfg(NewManualClock(0))
			cfg.RecordBufferBytes = tt.budget
			rr := startRoom(t, context.Background(), newFakeGame(), cfg)
			before := testutil.ToFloat64(recordingDropped.WithLabelValues(recDropBufferFull))
			rr.tick(tt.ticks)
			err := rr.r.StartRecording(context.Background(), &safeBuffer{})
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("StartRecording: %v, want %v", err, tt.want)
			}
			dropped := testutil.ToFloat64(recordingDropped.WithLabelValues(recDropBufferFull)) - before
			if wantDrop := tt.budget > 0; (dropped == 1) != wantDrop {
				t.Errorf("buffer_full drops %v, want %t", dropped, wantDrop)
			}
			if err == nil {
				if err := rr.r.StopRecording(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestRecordingSlowWriterNeverBlocksTheTick(t *testing.T) {
	cfg := runCfg(NewManualClock(0))
	cfg.RecordQueueBytes = 64
	rr := startRoom(t, context.Background(), newFakeGame(), cfg)
	ctx := context.Background()
	if _, err := rr.r.Join(ctx, "ann", newFakeLink(t)); err != nil {
		t.Fatal(err)
	}
	w := newBlockingWriter()
	var release sync.Once
	free := func() { release.Do(func() { close(w.release) }) }
	t.Cleanup(free) // before the room's cleanup waits for its end
	before := testutil.ToFloat64(recordingDropped.WithLabelValues(recDropSlowWriter))
	if err := rr.r.StartRecording(ctx, w); err != nil {
		t.Fatal(err)
	}
	<-w.entered // the writer is stuck in its first Write...
	rr.tick(50) // ...and the room ticks on
	d, err := rr.r.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Recording {
		t.Error("still recording after the writer fell far behind")
	}
	if n := testutil.ToFloat64(recordingDropped.WithLabelValues(recDropSlowWriter)) - before; n != 1 {
		t.Errorf("slow_writer drops %v, want 1", n)
	}
	free()
	if err := rr.r.StopRecording(ctx); !errors.Is(err, ErrRecordingOverflow) {
		t.Errorf("StopRecording after an overflow: %v, want ErrRecordingOverflow", err)
	}
}

func TestRecordingWriteError(t *testing.T) {
	rr := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	ctx := context.Background()
	if err := rr.r.StartRecording(ctx, failingWriter{}); err != nil {
		t.Fatal(err)
	}
	rr.tick(3)
	if err := rr.r.StopRecording(ctx); !errors.Is(err, errDiskFull) {
		t.Errorf("StopRecording with a failing writer: %v, want the write error", err)
	}
}

func TestRecordingStoppedByTheRoomsEnd(t *testing.T) {
	g := newFakeGame()
	g.endAt.Store(4)
	rr := startRoom(t, context.Background(), g, runCfg(NewManualClock(0)))
	ctx := context.Background()
	if _, err := rr.r.Join(ctx, "ann", newFakeLink(t)); err != nil {
		t.Fatal(err)
	}
	var rec safeBuffer
	if err := rr.r.StartRecording(ctx, &rec); err != nil {
		t.Fatal(err)
	}
	rr.tick(4) // the match ends at tick 4
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	if err := rr.r.StopRecording(ctx); err != nil {
		t.Fatalf("StopRecording after the end: %v", err)
	}
	_, entries := decodeRecording(t, rec.Bytes())
	last := entries[len(entries)-1]
	if c := last.GetChecksum(); c.GetTick() != 4 {
		t.Errorf("last entry %v, want the checksum of tick 4", last)
	}
	if err := rr.r.StartRecording(ctx, &rec); !errors.Is(err, ErrRoomClosed) {
		t.Errorf("StartRecording after the end: %v, want ErrRoomClosed", err)
	}
}

func TestRecordDir(t *testing.T) {
	dir := t.TempDir()
	cfg := runCfg(NewManualClock(0))
	cfg.RecordDir = dir
	cfg.RecordBufferBytes = -1 // the file needs no log
	rr := startRoom(t, context.Background(), newFakeGame(), cfg)
	if _, err := rr.r.Join(context.Background(), "ann", newFakeLink(t)); err != nil {
		t.Fatal(err)
	}
	rr.tick(6)
	rr.r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil {
		t.Fatal(err)
	}
	// Run flushed and closed the file before returning.
	b, err := os.ReadFile(filepath.Join(dir, "room-a"+RecordFileExt))
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
	cfg := runCfg(NewManualClock(0))
	cfg.RecordDir = filepath.Join(t.TempDir(), "missing")
	before := testutil.ToFloat64(recordingDropped.WithLabelValues(recDropOpenError))
	rr := startRoom(t, context.Background(), newFakeGame(), cfg)
	rr.tick(2) // the room runs regardless
	if n := testutil.ToFloat64(recordingDropped.WithLabelValues(recDropOpenError)) - before; n != 1 {
		t.Errorf("open_error drops %v, want 1", n)
	}
}

func TestRecordingFlushTimeout(t *testing.T) {
	cfg := runCfg(NewManualClock(0))
	cfg.RecordFlushTimeout = time.Millisecond
	rr := startRoom(t, context.Background(), newFakeGame(), cfg)
	w := newBlockingWriter()
	var release sync.Once
	t.Cleanup(func() { release.Do(func() { close(w.release) }) })
	if err := rr.r.StartRecording(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	<-w.entered
	before := testutil.ToFloat64(recordingDropped.WithLabelValues(recDropFlushTimeout))
	rr.r.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	if err := rr.wait(); err != nil { // Run returns though the writer is stuck
		t.Fatal(err)
	}
	if n := testutil.ToFloat64(recordingDropped.WithLabelValues(recDropFlushTimeout)) - before; n != 1 {
		t.Errorf("flush_timeout drops %v, want 1", n)
	}
	release.Do(func() { close(w.release) })
	if err := rr.r.StopRecording(context.Background()); err != nil {
		t.Errorf("StopRecording once the writer is free: %v", err)
	}
}
