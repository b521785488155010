package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/netcode/client"
)

// TestCorruptSnapshotIsADesync: a server that sends some snapshots with a
// wrong checksum (the codec's test hook) makes the bots count desyncs and
// tickbot exit 1.
func TestCorruptSnapshotIsADesync(t *testing.T) {
	url := startServer(t, func(c *lobby.Config) {
		c.Rooms.TestCorruptChecksum = func(tick uint32) bool { return tick%2 == 0 }
	})
	res := runTickbot(t, "-server", url, "-bots", "4", "-ramp", "200", "-duration", "1s", "-progress", "0")
	if got := num(t, res.report, "desyncs"); got == 0 {
		t.Errorf("desyncs = 0 with corrupted checksums\n%s", res.stdout)
	}
	if got := num(t, res.report, "connected"); got != 4 {
		t.Errorf("connected = %v, want 4", got)
	}
	if res.code != exitFail {
		t.Errorf("exit status %d, want %d", res.code, exitFail)
	}
	if !strings.Contains(res.stdout, "tickbot FAIL") {
		t.Errorf("summary does not say FAIL:\n%s", res.stdout)
	}
}

// TestChaosDisconnectResumes: bots that cut their own connections redial
// and get their seats back; the report counts the drops and resumes and
// the run passes.
func TestChaosDisconnectResumes(t *testing.T) {
	url := startServer(t, nil)
	res := runTickbot(t, "-server", url, "-bots", "4", "-ramp", "200", "-duration", "3s",
		"-chaos-disconnect", "0.5", "-seed", "2", "-progress", "0")
	if res.code != exitOK {
		t.Errorf("exit status %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	d, r := num(t, res.report, "disconnects"), num(t, res.report, "reconnects")
	if d == 0 || r == 0 || r > d {
		t.Errorf("disconnects %v reconnects %v, want some of each and no more reconnects than drops", d, r)
	}
	if got := num(t, res.report, "errors"); got != 0 {
		t.Errorf("errors = %v, want 0\n%s", got, res.stdout)
	}
	if !strings.Contains(res.stdout, "session resumed") {
		t.Errorf("summary lists no resumed session:\n%s", res.stdout)
	}
}

// TestJoinByRoomCode: -room seats every bot in the room of a join code.
func TestJoinByRoomCode(t *testing.T) {
	url := startServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	owner, err := client.Dial(ctx, client.ClientConfig{URL: url, Name: "owner", Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	created, _, err := owner.CreateRoom(ctx, "", 0, true)
	if err != nil {
		t.Fatal(err)
	}
	res := runTickbot(t, "-server", url, "-bots", "3", "-ramp", "200", "-duration", "1s",
		"-room", created.GetJoinCode(), "-progress", "0")
	if res.code != exitOK {
		t.Errorf("exit status %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	if got := num(t, res.report, "rooms"); got != 1 {
		t.Errorf("rooms = %v, want the one room of the code", got)
	}
	if got := num(t, res.report, "connected"); got != 3 {
		t.Errorf("connected = %v, want 3", got)
	}
}
