package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/admin"
)

// TestFinding9RecordLogBudget: each room kept up to 16 MiB of recorded
// input with no server-wide bound, so 1,000 rooms could take 16 GiB. Now
// the logs of all rooms share -record-log-budget: with room for two logs'
// first chunks, three rooms (made by clients from three addresses) hold
// exactly the budget, the third drops its log (counted, and the admin API
// cannot record it), and the budget comes back when the rooms end.
func TestFinding9RecordLogBudget(t *testing.T) {
	const chunk = 16 << 10 // what a log takes from the budget to open a chunk
	const token = "finding-9-admin-token-of-32-chars"
	s := startRun(t, nil, "-record-log-budget", strconv.Itoa(2*chunk), "-admin-token", token, "-log-level", "error")
	const dropped = `tickwire_recording_dropped_total{reason="budget"}`
	const held = "tickwire_recording_log_bytes"
	droppedBefore, heldBefore := s.metric(t, dropped), s.metric(t, held)

	for i := range 3 {
		c := dialFrom(t, s, fmt.Sprintf("127.0.0.%d", 2+i), fmt.Sprintf("p%d", i))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _, err := c.CreateRoom(ctx, "arena", 2, true)
		cancel()
		if err != nil {
			t.Fatalf("create room %d: %v", i, err)
		}
	}
	// Every room records its first tick at once.
	eventually(t, "a log dropped for the budget", func() bool { return s.metric(t, dropped)-droppedBefore == 1 })
	if got := s.metric(t, held) - heldBefore; got != 2*chunk {
		t.Fatalf("logs hold %v bytes, want the whole budget, %d", got, 2*chunk)
	}

	var list admin.RoomList
	s.adminGet(t, "/v1/admin/rooms", token, &list)
	if len(list.Rooms) != 3 {
		t.Fatalf("%d rooms, want 3", len(list.Rooms))
	}
	auth := map[string]string{"Authorization": "Bearer " + token}
	codes := map[int]int{}
	for _, r := range list.Rooms {
		code, b := send(t, request{method: "GET", url: "http://" + s.admin + "/v1/admin/rooms/" + r.ID + "/record?for=100ms", header: auth})
		codes[code]++
		if code == http.StatusConflict && !strings.Contains(string(b), "unavailable") {
			t.Errorf("record of room %s: %d %s, want the log named unavailable", r.ID, code, b)
		}
	}
	if codes[http.StatusOK] != 2 || codes[http.StatusConflict] != 1 {
		t.Fatalf("record answers %v, want two recordings and one 409", codes)
	}

	for _, r := range list.Rooms {
		code, b := send(t, request{method: "POST", url: "http://" + s.admin + "/v1/admin/rooms/" + r.ID + "/close", header: auth, body: map[string]string{}})
		if code != http.StatusAccepted {
			t.Fatalf("close %s: %d %s", r.ID, code, b)
		}
	}
	eventually(t, "the budget back", func() bool { return s.metric(t, held) == heldBefore })
}
