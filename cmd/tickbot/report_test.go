package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestReportJSONKeys pins the report's keys to exactly the list:
// other tools parse them. The modes section appears once some bot joined a
// room, with its own fixed keys per mode.
func TestReportJSONKeys(t *testing.T) {
	var buf bytes.Buffer
	if err := (&report{}).writeJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"bots", "connected", "failed", "duration_s", "rooms", "snapshots_per_bot_per_s",
		"full_snapshots", "down_bytes_per_bot_per_s", "up_bytes_per_bot_per_s", "rtt_ms", "input_ack_ms",
		"desyncs", "disconnects", "reconnects", "errors", "chat_sent", "chat_received", "chat_ms", "notices"}
	if got := sortedKeys(m); !slices.Equal(got, sorted(want)) {
		t.Errorf("keys = %v\nwant   %v", got, sorted(want))
	}

	buf.Reset()
	if err := (&report{Modes: map[string]modeReport{"arena": {}, "drones": {}}}).writeJSON(&buf); err != nil {
		t.Fatal(err)
	}
	clear(m)
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if got := sortedKeys(m); !slices.Equal(got, sorted(append(want, "modes"))) {
		t.Errorf("keys with modes = %v\nwant   %v", got, sorted(append(want, "modes")))
	}
	var modes map[string]map[string]json.RawMessage
	if err := json.Unmarshal(m["modes"], &modes); err != nil {
		t.Fatalf("modes: %v", err)
	}
	if got := sortedKeys(modes); !slices.Equal(got, []string{"arena", "drones"}) {
		t.Errorf("modes = %v, want arena and drones", got)
	}
	wantMode := []string{"bots", "snapshot_hz", "snapshots_per_bot_per_s", "down_bytes_per_bot_per_s",
		"up_bytes_per_bot_per_s", "desyncs"}
	for name, mode := range modes {
		if got := sortedKeys(mode); !slices.Equal(got, sorted(wantMode)) {
			t.Errorf("modes.%s keys = %v\nwant   %v", name, got, sorted(wantMode))
		}
	}
	for _, lat := range []string{"rtt_ms", "input_ack_ms"} {
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(m[lat], &inner); err != nil {
			t.Fatalf("%s: %v", lat, err)
		}
		if got := sortedKeys(inner); !slices.Equal(got, []string{"max", "p50", "p95", "p99"}) {
			t.Errorf("%s keys = %v, want max p50 p95 p99", lat, got)
		}
	}
}

func TestBuildReport(t *testing.T) {
	c := config{bots: 2, inputHz: 30, behavior: behaviorIdle, modes: []string{""}}
	f := newFleet(c, nil)
	now := time.Now()
	// Bot 0: seated 10 s, 200 snapshots; bot 1 failed to connect.
	b := f.bots[0]
	b.seated(now.Add(-10*time.Second), &pb.Joined{Mode: "arena", SnapshotHz: 20})
	b.unseated(now)
	st := b.stats
	st.Snapshots, st.FullSnapshots, st.BytesIn, st.BytesOut, st.Desyncs = 200, 1, 10000, 3000, 2
	b.publish(st)
	f.tally.connect()
	f.tally.room("r1")
	f.tally.fail("timed out")
	for _, d := range []time.Duration{10, 20, 30, 40} {
		f.tally.ack(d * time.Millisecond)
	}
	f.tally.roundTrip(time.Millisecond)
	f.tally.unexpected("connection ended: closed: CLOSE_REASON_KICKED")

	r := buildReport(f, 12*time.Second, now)
	if r.Bots != 2 || r.Connected != 1 || r.Failed != 1 || r.Rooms != 1 || r.DurationS != 12 {
		t.Errorf("counts = %+v", r)
	}
	if r.SnapshotsPerBotPerS != 20 || r.DownBytesPerBotPerS != 1000 || r.UpBytesPerBotPerS != 300 {
		t.Errorf("rates = %v %v %v, want 20 1000 300", r.SnapshotsPerBotPerS, r.DownBytesPerBotPerS, r.UpBytesPerBotPerS)
	}
	if r.Desyncs != 2 || r.Errors != 1 || r.FullSnapshots != 1 {
		t.Errorf("desyncs %d errors %d full %d, want 2 1 1", r.Desyncs, r.Errors, r.FullSnapshots)
	}
	if len(r.Modes) != 1 || r.Modes["arena"] != (modeReport{Bots: 1, SnapshotHz: 20, SnapshotsPerBotPerS: 20,
		DownBytesPerBotPerS: 1000, UpBytesPerBotPerS: 300, Desyncs: 2}) {
		t.Errorf("modes = %+v, want arena alone with bot 0's figures", r.Modes)
	}
	if r.InputAckMs.P50 < 20 || r.InputAckMs.P50 > 20.2 || r.InputAckMs.Max < 40 || r.InputAckMs.Max > 40.4 {
		t.Errorf("input_ack_ms = %+v, want p50 20 and max 40", r.InputAckMs)
	}
	var sum bytes.Buffer
	if err := r.writeSummary(&sum); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tickbot FAIL", "failed to connect", "timed out", "CLOSE_REASON_KICKED", "input→ack"} {
		if !strings.Contains(sum.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, sum.String())
		}
	}
}

func TestReportExitCode(t *testing.T) {
	tests := []struct {
		name string
		r    report
		want int
	}{
		{"clean", report{Bots: 4, Connected: 4}, exitOK},
		{"one failed", report{Bots: 4, Connected: 3, Failed: 1}, exitFail},
		{"not all started", report{Bots: 4, Connected: 3}, exitFail},
		{"desync", report{Bots: 4, Connected: 4, Desyncs: 1}, exitFail},
		{"error", report{Bots: 4, Connected: 4, Errors: 1}, exitFail},
		{"disconnects alone are fine", report{Bots: 4, Connected: 4, Disconnects: 3, Reconnects: 3}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.exitCode(); got != tt.want {
				t.Errorf("exit = %d, want %d", got, tt.want)
			}
		})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return sorted(keys)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
