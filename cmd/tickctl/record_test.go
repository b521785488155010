package main

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/drones"
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
	// 10 s at 60 Hz with 20 Hz snapshots is about 600 ticks and 200
	// checksums; the recording's start and end follow the wall clock, not
	// the tick loop, so a loaded machine may record a few ticks less.
	if !rep.OK || rep.Mode != "arena" || rep.Mismatches != 0 || rep.Ticks < 540 || rep.Checksums < 180 {
		t.Fatalf("replay report %+v: want all of at least 180 checksums matching", rep)
	}
	human := s.tickctl(t, "replay", path)
	if human.code != 0 || !strings.Contains(human.stdout, "all checksums match") {
		t.Fatalf("replay: exit %d %q", human.code, human.stdout)
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
	header, entries := readRecording(t, src)
	// Candidates: moving inputs followed by a step before any other input
	// of their player.
	var candidates []int
	for i, e := range entries {
		in := e.GetInput()
		if in == nil {
			continue
		}
		if mv := arena.InputFromValues(in.GetValues()); mv.MoveX == 0 && mv.MoveY == 0 {
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
	mv := arena.InputFromValues(old.GetValues())
	mv.MoveX, mv.MoveY = -mv.MoveX, -mv.MoveY
	entries[pick] = &pb.RecordEntry{Entry: &pb.RecordEntry_Input{Input: &pb.RecordInput{
		Player: old.GetPlayer(), Seq: old.GetSeq(), Values: mv.Values(),
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

	writeRecording(t, dst, header, entries)
	return want
}

// readRecording reads the recording at path.
func readRecording(t *testing.T, path string) (*pb.RecordHeader, []*pb.RecordEntry) {
	t.Helper()
	in, err := os.Open(path)
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
	return rd.Header(), entries
}

// writeRecording writes a recording of header and entries to path.
func writeRecording(t *testing.T, path string, header *pb.RecordHeader, entries []*pb.RecordEntry) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	wr, err := record.NewWriter(out, header)
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
}

// withOptions copies the recording at src to a new file with the header's
// mode options replaced by options, and returns its path.
func withOptions(t *testing.T, src string, options map[string]string) string {
	t.Helper()
	header, entries := readRecording(t, src)
	header = proto.Clone(header).(*pb.RecordHeader)
	header.Options = options
	dst := filepath.Join(t.TempDir(), "options.twrec")
	writeRecording(t, dst, header, entries)
	return dst
}

// replayOf runs tickctl replay -json on path.
func replayOf(t *testing.T, s *server, path string) (result, replayJSON) {
	t.Helper()
	r := s.tickctl(t, "replay", path, "-json")
	var rep replayJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("replay -json: exit %d, %q %q: %v", r.code, r.stdout, r.stderr, err)
	}
	return r, rep
}

// recordedOptions returns the header's options of the recording at path.
func recordedOptions(t *testing.T, path string) map[string]string {
	t.Helper()
	header, _ := readRecording(t, path)
	if header.GetMode() != "drones" {
		t.Fatalf("recorded mode %q, want drones", header.GetMode())
	}
	return maps.Clone(header.GetOptions())
}

// TestRecordAndReplayDrones records 5 s of drones played by pilots with
// tickctl record and replays it with tickctl replay: every checksum
// matches. The header carries every option of the mode; a replay with one
// that changes the rules (a lower top speed) finds a mismatch, and one with
// an option the mode refuses or does not have fails with an error naming
// it.
func TestRecordAndReplayDrones(t *testing.T) {
	s := startServer(t, "s3cret")
	_, room := startModeBots(t, s, "drones", 4)
	path := filepath.Join(t.TempDir(), "drones.twrec")
	if r := s.tickctl(t, "record", room, "-o", path, "-for", "5s"); r.code != 0 {
		t.Fatalf("record: exit %d %q %q", r.code, r.stdout, r.stderr)
	}

	r, rep := replayOf(t, s, path)
	// 5 s at 30 Hz with 15 Hz snapshots: at least 150 ticks, 75 checksums.
	if r.code != 0 || !rep.OK || rep.Mode != "drones" || rep.Mismatches != 0 || rep.Ticks < 150 || rep.Checksums < 75 {
		t.Fatalf("replay: exit %d, report %+v: want all of at least 75 checksums matching", r.code, rep)
	}
	opts := recordedOptions(t, path)
	defaults := drones.Mode("drones").OptionValues()
	if !maps.Equal(opts, defaults) {
		t.Fatalf("recorded options %v, want every option of the mode at its default %v", opts, defaults)
	}

	slower := maps.Clone(opts)
	slower["max-speed"] = "150"
	r, rep = replayOf(t, s, withOptions(t, path, slower))
	if r.code != exitFailure || rep.OK || rep.Mismatches == 0 || rep.FirstMismatchTick == 0 ||
		!strings.Contains(r.stderr, "replay does not match the recording") {
		t.Fatalf("replay with max-speed 150 in the header: exit %d, report %+v, stderr %q: want a mismatch", r.code, rep, r.stderr)
	}

	for _, tt := range []struct {
		name, option, value, want string
	}{
		{"refused value", "view-radius", "0", `mode drones option view-radius="0": want a whole number from 1 to 10000`},
		{"not a number", "max-speed", "fast", `mode drones option max-speed="fast"`},
		{"unknown option", "warp", "9", `mode drones has no option "warp"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := maps.Clone(opts)
			bad[tt.option] = tt.value
			r := s.tickctl(t, "replay", withOptions(t, path, bad))
			if r.code != exitFailure || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stdout, "all checksums match") {
				t.Fatalf("replay with %s=%q: exit %d\nstdout %q\nstderr %q\nwant exit 1 and an error with %q",
					tt.option, tt.value, r.code, r.stdout, r.stderr, tt.want)
			}
		})
	}
}

// TestReplayUsesRecordedOptions: a drones room of a server started with
// options of its own (as -drones.view-radius 300 -drones.max-speed 150 set
// them) records them, and tickctl replay, given no flag, replays with them:
// every checksum matches. Without them in the header the replay plays the
// default rules and disagrees, so the match is the options' doing.
func TestReplayUsesRecordedOptions(t *testing.T) {
	s := startServerModes(t, "s3cret", testModes(t, "-drones.view-radius", "300", "-drones.max-speed", "150"))
	_, room := startModeBots(t, s, "drones", 3)
	path := filepath.Join(t.TempDir(), "options.twrec")
	if r := s.tickctl(t, "record", room, "-o", path, "-for", "3s"); r.code != 0 {
		t.Fatalf("record: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	opts := recordedOptions(t, path)
	if opts["view-radius"] != "300" || opts["max-speed"] != "150" {
		t.Fatalf("recorded options %v, want view-radius 300 and max-speed 150", opts)
	}
	r, rep := replayOf(t, s, path)
	// 3 s at 15 snapshots a second is 45 checksums; a loaded machine's
	// recording loses a few ticks at its start, so ask for 2 s' worth.
	if r.code != 0 || !rep.OK || rep.Mismatches != 0 || rep.Checksums < 30 {
		t.Fatalf("replay: exit %d, report %+v: want all of at least 30 checksums matching", r.code, rep)
	}
	r, rep = replayOf(t, s, withOptions(t, path, nil))
	if r.code != exitFailure || rep.Mismatches == 0 {
		t.Fatalf("replay without the recorded options: exit %d, report %+v: want a mismatch", r.code, rep)
	}
}
