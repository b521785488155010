package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tickwire/tickwire/admin"
)

// TestPrintRoomsNamesNodes: a node of a cluster lists every node's rooms
// with a NODE column, and no timings for another node's rooms.
func TestPrintRoomsNamesNodes(t *testing.T) {
	var b bytes.Buffer
	err := printRooms(&b, []admin.Room{
		{ID: "aaa", Node: "n0", Mode: "arena", State: "running", Players: 3, MaxPlayers: 16, Tick: 42},
		{ID: "bbb", Node: "n1", Remote: true, Mode: "arena", State: "waiting", Players: 1, MaxPlayers: 16},
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "NODE") {
		t.Fatalf("table:\n%s", b.String())
	}
	if f := strings.Fields(lines[1]); f[0] != "n0" || f[1] != "aaa" || f[5] != "42" {
		t.Errorf("local room line %q", lines[1])
	}
	if f := strings.Fields(lines[2]); f[0] != "n1" || f[1] != "bbb" || f[5] != "-" {
		t.Errorf("remote room line %q", lines[2])
	}

	b.Reset()
	if err := printRooms(&b, []admin.Room{{ID: "aaa", Mode: "arena"}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "NODE") {
		t.Errorf("a server alone shows a NODE column:\n%s", b.String())
	}
}
