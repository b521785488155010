package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game/record"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestRecordAndReplay records 10 s of a match of bots through the admin API
// with tickctl record, replays it with tickctl replay (every checksum must
// match), then corrupts one input and expects the replay to fail at the
// first snapshot tick after it.
func TestRecordAndReplay(t *testing.T) {
	s := startServer(t, "s3cret")
	_, room := startBots(t, s, 4)
	path := filepath.Join(t.TempDir(), "match.twrec")

	r := s.tickctl(t, "record", room, "-o", path, "-for", "10s")
	if r.code != 0 || !strings.Contains(r.stdout, "recorded room "+room) {
		t.Fatalf("record: exit %d %q %q", r.code, r.stdout, r.stderr)
	}

	r = s.tickctl(t, "replay", path, "-json")
	var rep replayJSON
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rep) != nil {
		t.Fatalf("replay: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	// 10 s at 60 Hz with 20 Hz snapshots: at least 600 ticks, 200 checksums.
	if !rep.OK || rep.Mode != "arena" || rep.Mismatches != 0 || rep.Ticks < 600 || rep.Checksums < 200 {
		t.Fatalf("replay report %+v: want all of at least 200 checksums matching", rep)
	}
	human := s.tickctl(t, "replay", path)
	if human.code != 0 || !strings.Contains(human.stdout, "all checksums match") {
		t.Fatalf("replay: exit %d %q", human.code, human.stdout)
	}
	// The server ran the default arena options; replayed with another top
	// speed (an option flag, as the server takes), the bots' moves diverge.
	other := s.tickctl(t, "replay", path, "-arena.max-speed", "150")
	if other.code != exitFailure || !strings.Contains(other.stdout, "MISMATCH") {
		t.Fatalf("replay with -arena.max-speed 150: exit %d %q %q, want a mismatch", other.code, other.stdout, other.stderr)
	}

	bad := filepath.Join(t.TempDir(), "corrupt.twrec")
	wantTick := corruptOneInput(t, path, bad)
	r = s.tickctl(t, "replay", bad)
	want := "first mismatching tick " + strconv.FormatUint(uint64(wantTick), 10)
	if r.code != exitFailure || !strings.Contains(r.stdout, want) || !strings.Contains(r.stderr, want) {
		t.Fatalf("replay of the corrupted file: exit %d\nstdout %q\nstderr %q\nwant exit 1 naming %q", r.code, r.stdout, r.stderr, want)
	}
}

// corruptOneInput copies the recording at src to dst with one input's move
// reversed, chosen a third of the way in among the inputs that are the last
// of their player before a step (so that no later input of the same tick
// hides the change). It returns the first checksum tick after that step:
// where a replay must first disagree.
func corruptOneInput(t *testing.T, src, dst string) uint32 {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	rd, err := record.NewReader(in)
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
	// Candidates: moving inputs followed by a step before any other input
	// of their player.
	var candidates []int
	for i, e := range entries {
		in := e.GetInput()
		if in == nil || (in.GetMoveX() == 0 && in.GetMoveY() == 0) {
			continue
		}
		for _, next := range entries[i+1:] {
			if next.GetStep() != nil {
				candidates = append(candidates, i)
				break
			}
			if next.GetInput().GetPlayer() == in.GetPlayer() && next.GetInput() != nil {
				break
			}
		}
	}
	if len(candidates) < 10 {
		t.Fatalf("only %d usable inputs in %d entries", len(candidates), len(entries))
	}
	pick := candidates[len(candidates)/3]
	old := entries[pick].GetInput()
	entries[pick] = &pb.RecordEntry{Entry: &pb.RecordEntry_Input{Input: &pb.RecordInput{
		Player: old.GetPlayer(), Seq: old.GetSeq(), Buttons: old.GetButtons(),
		MoveX: -old.GetMoveX(), MoveY: -old.GetMoveY(), Aim: old.GetAim(),
	}}}
	var step uint32
	want := uint32(0)
	for _, e := range entries[pick+1:] {
		if s := e.GetStep(); s != nil && step == 0 {
			step = s.GetTick()
		}
		if c := e.GetChecksum(); c != nil && step != 0 && c.GetTick() >= step {
			want = c.GetTick()
			break
		}
	}
	if want == 0 {
		t.Fatal("no checksum after the corrupted input")
	}

	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	wr, err := record.NewWriter(out, proto.Clone(rd.Header()).(*pb.RecordHeader))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := wr.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return want
}
