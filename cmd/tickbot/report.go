package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// latencyJSON is a latency distribution in milliseconds.
type latencyJSON struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// report is the run's result. Its JSON keys are a contract other tools
// depend on (issue 4): change none of them.
type report struct {
	Bots                int         `json:"bots"`
	Connected           int         `json:"connected"`
	Failed              int         `json:"failed"`
	DurationS           float64     `json:"duration_s"`
	Rooms               int         `json:"rooms"`
	SnapshotsPerBotPerS float64     `json:"snapshots_per_bot_per_s"`
	FullSnapshots       uint64      `json:"full_snapshots"`
	DownBytesPerBotPerS float64     `json:"down_bytes_per_bot_per_s"`
	UpBytesPerBotPerS   float64     `json:"up_bytes_per_bot_per_s"`
	RTTMs               latencyJSON `json:"rtt_ms"`
	InputAckMs          latencyJSON `json:"input_ack_ms"`
	Desyncs             uint64      `json:"desyncs"`
	Disconnects         uint64      `json:"disconnects"`
	Reconnects          uint64      `json:"reconnects"`
	Errors              uint64      `json:"errors"`
	// Chat: lines said, other bots' lines received, their delivery time,
	// and notices received (issue 13).
	ChatSent     uint64      `json:"chat_sent"`
	ChatReceived uint64      `json:"chat_received"`
	ChatMs       latencyJSON `json:"chat_ms"`
	Notices      uint64      `json:"notices"`
	// Modes breaks the figures down by game mode, for runs that spread
	// bots over several (-mode a,b).
	Modes map[string]modeReport `json:"modes,omitempty"`

	// For the summary table only.
	failureReasons  map[string]int
	errorReasons    map[string]int
	expectedReasons map[string]int
	rttSamples      uint64
	ackSamples      uint64
	chatSamples     uint64
}

// modeReport is one mode's part of the report.
type modeReport struct {
	Bots int `json:"bots"`
	// SnapshotHz is the rooms' nominal snapshot rate, from Joined.
	SnapshotHz          uint32  `json:"snapshot_hz"`
	SnapshotsPerBotPerS float64 `json:"snapshots_per_bot_per_s"`
	DownBytesPerBotPerS float64 `json:"down_bytes_per_bot_per_s"`
	UpBytesPerBotPerS   float64 `json:"up_bytes_per_bot_per_s"`
	Desyncs             uint64  `json:"desyncs"`
}

// ok reports whether the run passed: every bot connected, no desync, no
// unexpected error.
func (r *report) ok() bool {
	return r.Connected == r.Bots && r.Failed == 0 && r.Desyncs == 0 && r.Errors == 0
}

// exitCode is the process status the report asks for.
func (r *report) exitCode() int {
	if r.ok() {
		return 0
	}
	return 1
}

// buildReport turns the fleet's counters into the report. Per-bot rates
// divide the playing bots' summed counters by their summed seated time,
// so ramp and join time do not dilute them.
func buildReport(f *fleet, elapsed time.Duration, now time.Time) *report {
	t := f.sum(now)
	tl := f.tally
	tl.mu.Lock()
	defer tl.mu.Unlock()
	r := &report{
		Bots:            len(f.bots),
		Connected:       tl.connected,
		Failed:          tl.failed,
		DurationS:       round(elapsed.Seconds(), 3),
		Rooms:           len(tl.rooms),
		FullSnapshots:   t.fullSnapshots,
		RTTMs:           latencyOf(&tl.rtt),
		InputAckMs:      latencyOf(&tl.inputAck),
		Desyncs:         t.desyncs,
		Disconnects:     t.disconnects + uint64(tl.drops),
		Reconnects:      t.reconnects,
		Errors:          uint64(sumCounts(tl.errors)) + t.decodeErrors,
		failureReasons:  copyCounts(tl.failures),
		errorReasons:    copyCounts(tl.errors),
		expectedReasons: copyCounts(tl.expected),
		rttSamples:      tl.rtt.count(),
		ackSamples:      tl.inputAck.count(),
		ChatSent:        tl.chat.sent,
		ChatReceived:    tl.chat.received,
		ChatMs:          latencyOf(&tl.chat.latency),
		Notices:         tl.chat.notices,
		chatSamples:     tl.chat.latency.count(),
	}
	if t.decodeErrors > 0 {
		r.errorReasons["undecodable server frame"] += int(t.decodeErrors)
	}
	r.SnapshotsPerBotPerS, r.DownBytesPerBotPerS, r.UpBytesPerBotPerS = t.rates()
	for mode, mt := range f.sumByMode(now) {
		if r.Modes == nil {
			r.Modes = make(map[string]modeReport)
		}
		m := modeReport{Bots: mt.bots, SnapshotHz: mt.snapshotHz, Desyncs: mt.desyncs}
		m.SnapshotsPerBotPerS, m.DownBytesPerBotPerS, m.UpBytesPerBotPerS = mt.rates()
		r.Modes[mode] = m
	}
	return r
}

// rates returns snapshots and bytes down and up per bot-second seated.
func (t totals) rates() (snapshots, down, up float64) {
	s := t.seated.Seconds()
	if s <= 0 {
		return 0, 0, 0
	}
	return round(float64(t.snapshots)/s, 3), round(float64(t.bytesIn)/s, 1), round(float64(t.bytesOut)/s, 1)
}

func latencyOf(h *histogram) latencyJSON {
	return latencyJSON{
		P50: ms(h.percentile(50)), P95: ms(h.percentile(95)),
		P99: ms(h.percentile(99)), Max: ms(h.percentile(100)),
	}
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 3) }

// round rounds v to places decimals, so the JSON shows measured precision
// rather than float noise.
func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

func copyCounts(m map[string]int) map[string]int {
	c := make(map[string]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// writeJSON writes the report as one indented JSON object.
func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// writeSummary writes the human summary table.
func (r *report) writeSummary(w io.Writer) error {
	verdict := "PASS"
	if !r.ok() {
		verdict = "FAIL"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "tickbot %s: %d bots, %.1f s, %d rooms\n", verdict, r.Bots, r.DurationS, r.Rooms)
	fmt.Fprintf(&b, "  %-14s %d of %d (failed %d, not started %d)\n", "connected",
		r.Connected, r.Bots, r.Failed, max(0, r.Bots-r.Connected-r.Failed))
	fmt.Fprintf(&b, "  %-14s %.2f /bot/s (full %d)\n", "snapshots", r.SnapshotsPerBotPerS, r.FullSnapshots)
	fmt.Fprintf(&b, "  %-14s down %.0f B/bot/s, up %.0f B/bot/s\n", "payload", r.DownBytesPerBotPerS, r.UpBytesPerBotPerS)
	fmt.Fprintf(&b, "  %-14s desyncs %d, disconnects %d, reconnects %d, errors %d\n", "problems",
		r.Desyncs, r.Disconnects, r.Reconnects, r.Errors)
	fmt.Fprintf(&b, "  %-14s sent %d, received %d, notices %d\n\n", "chat", r.ChatSent, r.ChatReceived, r.Notices)
	if len(r.Modes) > 1 {
		modes := make([]string, 0, len(r.Modes))
		for m := range r.Modes {
			modes = append(modes, m)
		}
		sort.Strings(modes)
		for _, name := range modes {
			m := r.Modes[name]
			fmt.Fprintf(&b, "  %-14s %d bots, %.2f snapshots/bot/s of %d, down %.0f B/bot/s, desyncs %d\n", "mode "+name,
				m.Bots, m.SnapshotsPerBotPerS, m.SnapshotHz, m.DownBytesPerBotPerS, m.Desyncs)
		}
		b.WriteString("\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  %-10s\tp50\tp95\tp99\tmax\tsamples\t\n", "latency ms")
	for _, l := range []struct {
		name string
		v    latencyJSON
		n    uint64
	}{{"rtt", r.RTTMs, r.rttSamples}, {"input→ack", r.InputAckMs, r.ackSamples}, {"chat", r.ChatMs, r.chatSamples}} {
		fmt.Fprintf(tw, "  %-10s\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t\n", l.name, l.v.P50, l.v.P95, l.v.P99, l.v.Max, l.n)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	writeReasons(&b, "failed to connect", r.failureReasons)
	writeReasons(&b, "errors", r.errorReasons)
	writeReasons(&b, "chaos (expected)", r.expectedReasons)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// writeReasons lists counts by reason, most frequent first.
func writeReasons(b *strings.Builder, title string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	fmt.Fprintf(b, "  %s:\n", title)
	for _, k := range keys {
		fmt.Fprintf(b, "    %6d  %s\n", m[k], k)
	}
}
