package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/lobby"
)

// TestRecordFromTheLogFile: a recording started once the room's input log
// has put chunks in its file (-record-log-dir) still holds the match from
// tick 0, read back from the file: its replay runs from the first tick and
// every checksum matches.
func TestRecordFromTheLogFile(t *testing.T) {
	if _, err := os.ReadDir("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd to see the log's file by:", err)
	}
	dir := t.TempDir()
	s := startServerConfig(t, "s3cret", testModes(t), func(c *lobby.Config) { c.Rooms.RecordLogDir = dir })
	_, room := startBots(t, s, 8)
	// Eight players fill a 16 KiB chunk in a few seconds.
	start := time.Now()
	deadline := start.Add(30 * time.Second) // only turns a hang into a failure
	for logFilesOpen(t, dir) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the room's log never opened its file")
		}
		time.Sleep(100 * time.Millisecond)
	}
	sealedAfter := time.Since(start)
	path := filepath.Join(t.TempDir(), "match.twrec")
	r := s.tickctl(t, "record", room, "-o", path, "-for", "1s")
	if r.code != 0 || !strings.Contains(r.stdout, "recorded room "+room) {
		t.Fatalf("record: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r, rep := replayOf(t, s, path)
	// The match ran at least as long as its first chunk took to fill, at
	// 60 ticks a second, before the 1 s recorded live.
	minTicks := int(sealedAfter.Seconds() * 60 * 0.8)
	if r.code != 0 || !rep.OK || rep.Mismatches != 0 || rep.Ticks < minTicks {
		t.Fatalf("replay: exit %d, report %+v: want every checksum matching over at least %d ticks", r.code, rep, minTicks)
	}
	if names, err := os.ReadDir(dir); err != nil || len(names) != 0 {
		t.Fatalf("the log directory lists %v (%v), want nothing: the log's file is removed when made", names, err)
	}
}

// logFilesOpen counts this process's open files that are rooms' log files
// made in dir (and removed from it).
func logFilesOpen(t *testing.T, dir string) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, filepath.Join(dir, "tickwire-log-")) {
			n++
		}
	}
	return n
}
