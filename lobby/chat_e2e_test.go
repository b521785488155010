package lobby

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tickwire/tickwire/game/catalog"
	"github.com/tickwire/tickwire/game/drones"
	"github.com/tickwire/tickwire/game/record"
	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// chatLog is what one client saw of its room's chat and errors.
type chatLog struct {
	mu     sync.Mutex
	lines  []*pb.ChatLine
	at     []time.Time
	errors []*pb.Error
}

func (l *chatLog) onChat(line *pb.ChatLine) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	l.at = append(l.at, time.Now())
}

func (l *chatLog) onMessage(m *pb.ServerMessage) {
	if e := m.GetError(); e != nil {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.errors = append(l.errors, e)
	}
}

// texts returns the texts of the lines seen, in order.
func (l *chatLog) texts() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		out = append(out, line.GetText())
	}
	return out
}

func (l *chatLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

func (l *chatLog) errorsSeen() []*pb.Error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.errors)
}

// dialChat dials a client that logs its chat, with tweak applied.
func dialChat(t *testing.T, url, name string, tweak func(*client.ClientConfig)) (*client.Client, *chatLog) {
	t.Helper()
	log := &chatLog{}
	c := dial(t, url, name, func(cfg *client.ClientConfig) {
		cfg.OnChat = log.onChat
		cfg.OnMessage = log.onMessage
		if tweak != nil {
			tweak(cfg)
		}
	})
	return c, log
}

// TestChatSixteenPlayers has 16 players of one room chat at 2 lines a
// second each for 10 s over real loopback WebSockets: every line reaches
// every member (the sender too) exactly once, all in the one order the
// room numbered them. The delivery latency is logged; its bound is the
// tickbot run's to check, on a machine not shared with other tests.
func TestChatSixteenPlayers(t *testing.T) {
	const (
		players = 16
		perSec  = 2
		window  = 10 * time.Second
	)
	ts := startServer(t, nil)
	ctx := timeout(t, 60*time.Second)
	clients := make([]*client.Client, players)
	logs := make([]*chatLog, players)
	room := ""
	for i := range players {
		clients[i], logs[i] = dialChat(t, ts.url, fmt.Sprintf("p%02d", i), nil)
		j, err := clients[i].Join(ctx, "", room)
		if err != nil {
			t.Fatalf("join %d: %v", i, err)
		}
		room = j.GetRoomId()
	}
	var sentMu sync.Mutex
	sentAt := make(map[string]time.Time)
	lines := int(window.Seconds()) * perSec
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			tick := time.NewTicker(time.Second / perSec)
			defer tick.Stop()
			// Spread the senders over the first interval.
			time.Sleep(time.Duration(i) * time.Second / perSec / players)
			for k := range lines {
				text := fmt.Sprintf("p%02d line %d", i, k)
				sentMu.Lock()
				sentAt[text] = time.Now()
				sentMu.Unlock()
				if err := c.Chat(text); err != nil {
					t.Errorf("chat %q: %v", text, err)
					return
				}
				<-tick.C
			}
		})
	}
	wg.Wait()
	total := players * lines
	for i, l := range logs {
		waitFor(t, fmt.Sprintf("player %d to see %d lines", i, total), func() bool { return l.count() >= total })
	}
	time.Sleep(100 * time.Millisecond) // a duplicate would come now
	first := logs[0].texts()
	var latencies []time.Duration
	for i, l := range logs {
		l.mu.Lock()
		if len(l.lines) != total {
			t.Errorf("player %d saw %d lines, want %d", i, len(l.lines), total)
		}
		seen := make(map[string]bool, total)
		for k, line := range l.lines {
			if line.GetSeq() != uint64(k+1) {
				t.Fatalf("player %d: line %d has seq %d, want %d (in the room's order, none missing)", i, k, line.GetSeq(), k+1)
			}
			if seen[line.GetText()] {
				t.Fatalf("player %d saw %q twice", i, line.GetText())
			}
			seen[line.GetText()] = true
			if line.GetReplay() {
				t.Errorf("player %d: live line %d marked replay", i, line.GetSeq())
			}
			sentMu.Lock()
			latencies = append(latencies, l.at[k].Sub(sentAt[line.GetText()]))
			sentMu.Unlock()
		}
		l.mu.Unlock()
		if got := l.texts(); !slices.Equal(got, first) {
			t.Fatalf("player %d saw another order than player 0", i)
		}
		if errs := l.errorsSeen(); len(errs) > 0 {
			t.Errorf("player %d got errors %v", i, errs)
		}
	}
	slices.Sort(latencies)
	p99 := pct(latencies, 99)
	t.Logf("chat delivery of %d lines to %d players: p50 %v, p95 %v, p99 %v, max %v",
		total, players, pct(latencies, 50), pct(latencies, 95), p99, latencies[len(latencies)-1])
	// Loose: the machine is shared; tickbot -chat checks the real figure.
	if p99 > time.Second {
		t.Errorf("p99 chat delivery %v, want well under a second", p99)
	}
}

// TestChatResumeGetsMissedLines drops a player's connection while the room
// chats: once it resumes within the grace it gets the lines it missed,
// each once, after those it saw.
func TestChatResumeGetsMissedLines(t *testing.T) {
	ts := startServer(t, nil)
	ctx := timeout(t, 30*time.Second)
	ann, annLog := dialChat(t, ts.url, "ann", nil)
	bob, bobLog := dialChat(t, ts.url, "bob", func(c *client.ClientConfig) {
		c.Reconnect.Enabled = true
		// Long enough for ann's lines to be said while bob is away.
		c.Reconnect.MinBackoff = 300 * time.Millisecond
		c.Reconnect.MaxBackoff = 300 * time.Millisecond
	})
	j, err := ann.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Join(ctx, "", j.GetRoomId()); err != nil {
		t.Fatal(err)
	}
	say := func(text string) {
		t.Helper()
		if err := ann.Chat(text); err != nil {
			t.Fatal(err)
		}
	}
	say("before")
	waitFor(t, "bob to see the first line", func() bool { return bobLog.count() == 1 })
	bob.DropConnection()
	waitFor(t, "bob's seat to be held", func() bool { return ts.Counters().HeldSeats == 1 })
	say("while away 1")
	say("while away 2")
	waitFor(t, "ann to see her lines", func() bool { return annLog.count() == 3 })
	waitFor(t, "bob to see the lines he missed", func() bool { return bobLog.count() >= 3 })
	say("after")
	waitFor(t, "bob to see the last line", func() bool { return bobLog.count() >= 4 })
	time.Sleep(50 * time.Millisecond)
	if got, want := bobLog.texts(), []string{"before", "while away 1", "while away 2", "after"}; !slices.Equal(got, want) {
		t.Fatalf("bob saw %q, want %q", got, want)
	}
	bobLog.mu.Lock()
	defer bobLog.mu.Unlock()
	for k, replay := range []bool{false, true, true, false} {
		if bobLog.lines[k].GetReplay() != replay {
			t.Errorf("bob's line %d: replay %t, want %t", k, bobLog.lines[k].GetReplay(), replay)
		}
	}
}

// counterValue returns the value of the counter name with label reason
// from the default registry.
func counterValue(t *testing.T, name, reason string) float64 {
	t.Helper()
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestChatLimitsAndFlood checks the limits over the wire (each refusal an
// Error with its precise text, and a metric), and that one player flooding
// the chat leaves everyone's snapshots at the room's rate.
func TestChatLimitsAndFlood(t *testing.T) {
	ts := startServer(t, nil)
	ctx := timeout(t, 30*time.Second)
	ann, annLog := dialChat(t, ts.url, "ann", nil)
	bob, bobLog := dialChat(t, ts.url, "bob", nil)
	j, err := ann.Join(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Join(ctx, "", j.GetRoomId()); err != nil {
		t.Fatal(err)
	}
	waitSnapshots(t, bob, 5)

	long, ctrl, rate := counterValue(t, "tickwire_chat_refused_total", "too_long"),
		counterValue(t, "tickwire_chat_refused_total", "control_characters"),
		counterValue(t, "tickwire_chat_refused_total", "rate")
	for _, text := range []string{strings.Repeat("é", 201), "two\nlines"} {
		if err := ann.Chat(text); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "two refusals", func() bool { return len(annLog.errorsSeen()) == 2 })
	errs := annLog.errorsSeen()
	for k, want := range []string{"chat: line of 201 characters, at most 200", "chat: control characters are not allowed"} {
		if errs[k].GetCode() != pb.ErrorCode_ERROR_CODE_CHAT_REFUSED || errs[k].GetMessage() != want {
			t.Errorf("refusal %d: %v, want CHAT_REFUSED %q", k, errs[k], want)
		}
	}
	if d := counterValue(t, "tickwire_chat_refused_total", "too_long") - long; d != 1 {
		t.Errorf("too_long refusals counted %v, want 1", d)
	}
	if d := counterValue(t, "tickwire_chat_refused_total", "control_characters") - ctrl; d != 1 {
		t.Errorf("control_characters refusals counted %v, want 1", d)
	}

	// The flood: 50 lines a second for 3 s against a budget of 2 (burst
	// 5), while bob counts his snapshots against the room's snapshot
	// ticks meanwhile (the nominal rate in the room's own time, which a
	// busy machine may slow for reasons of its own).
	const flood = 3 * time.Second
	hz := float64(j.GetSnapshotHz())
	interval := j.GetTickHz() / j.GetSnapshotHz()
	before := bob.Stats().Snapshots
	tickBefore, _ := bob.State()
	start := time.Now()
	tick := time.NewTicker(20 * time.Millisecond)
	sent := 0
	for time.Since(start) < flood {
		if err := ann.Chat(fmt.Sprintf("flood %d", sent)); err != nil {
			t.Fatal(err)
		}
		sent++
		<-tick.C
	}
	tick.Stop()
	received := bob.Stats().Snapshots - before
	tickAfter, _ := bob.State()
	elapsed := time.Since(start)
	nominal := float64(tickAfter-tickBefore) / float64(interval)
	t.Logf("flood of %d lines in %v: bob got %d snapshots of %.0f snapshot ticks (%.1f a second, nominal %v)",
		sent, elapsed, received, nominal, float64(received)/elapsed.Seconds(), hz)
	if float64(received) < nominal*0.95 {
		t.Errorf("bob got %d snapshots of %.0f snapshot ticks during the flood, want at least 95%%", received, nominal)
	}
	if rate := float64(received) / elapsed.Seconds(); rate < hz*0.8 {
		t.Errorf("bob got %.1f snapshots a second during the flood, want about %v", rate, hz)
	}
	refused := counterValue(t, "tickwire_chat_refused_total", "rate") - rate
	if refused < float64(sent)/2 {
		t.Errorf("%v of %d flood lines counted refused for rate, want most", refused, sent)
	}
	// The flooder heard of it, once a second or so, not once a line.
	var told int
	for _, e := range annLog.errorsSeen()[2:] {
		if e.GetCode() != pb.ErrorCode_ERROR_CODE_CHAT_REFUSED || !strings.Contains(e.GetMessage(), "rate limited: at most 2 lines a second (burst 5)") {
			t.Errorf("flood refusal %v", e)
		}
		told++
	}
	if told == 0 || told > 5 {
		t.Errorf("flooder told of %d rate refusals, want 1 to 5", told)
	}
	if ann.Err() != nil {
		t.Errorf("the flooder's connection ended: %v", ann.Err())
	}
	// Bob saw the burst and the lines the budget let through, in order.
	waitFor(t, "bob's lines", func() bool { return bobLog.count() >= 5 })
	if bobLog.count() > 5+int(flood.Seconds()*2)+2 {
		t.Errorf("bob saw %d flood lines, more than the budget lets through", bobLog.count())
	}
	if len(bobLog.errorsSeen()) > 0 {
		t.Errorf("bob got errors %v", bobLog.errorsSeen())
	}
}

// TestDronesReadyVote plays the drones ready vote end to end: a player
// votes, the game answers that player only with its vote and everyone with
// the ready count; the room's recording, game messages included, replays
// with every checksum matching.
func TestDronesReadyVote(t *testing.T) {
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, catalog.Builtin())
	ctx := timeout(t, 30*time.Second)
	type voter struct {
		c    *client.Client
		mu   sync.Mutex
		msgs []*pb.GameMessage
	}
	got := func(v *voter) []string {
		v.mu.Lock()
		defer v.mu.Unlock()
		var out []string
		for _, m := range v.msgs {
			out = append(out, fmt.Sprint(m.GetKind(), m.GetValues()))
		}
		return out
	}
	voters := make([]*voter, 2)
	room := ""
	for i := range voters {
		v := &voter{}
		v.c = dial(t, ts.url, []string{"ada", "bob"}[i], func(c *client.ClientConfig) {
			c.OnGameMessage = func(m *pb.GameMessage) {
				v.mu.Lock()
				defer v.mu.Unlock()
				v.msgs = append(v.msgs, m)
			}
		})
		j, err := v.c.Join(ctx, "drones", room)
		if err != nil {
			t.Fatal(err)
		}
		room = j.GetRoomId()
		voters[i] = v
	}
	live, ok := ts.Room(room)
	if !ok {
		t.Fatal("room not live")
	}
	var rec bytes.Buffer
	if err := live.Recorder.Start(ctx, &rec); err != nil {
		t.Fatal(err)
	}
	// Ada's join made the count 0 of 1, bob's 0 of 2.
	count := func(ready, players int) string {
		return fmt.Sprint(drones.MsgReadyCount, []int32{int32(ready), int32(players)})
	}
	for _, v := range voters {
		waitFor(t, "the count of two", func() bool { return slices.Contains(got(v), count(0, 2)) })
	}
	for _, v := range voters {
		v.mu.Lock()
		v.msgs = nil
		v.mu.Unlock()
	}
	if err := voters[0].c.SendMessage(drones.MsgReady, 1); err != nil {
		t.Fatal(err)
	}
	vote := fmt.Sprint(drones.MsgVote, []int32{1})
	waitFor(t, "ada's answer", func() bool { return len(got(voters[0])) == 2 })
	waitFor(t, "bob's count", func() bool { return len(got(voters[1])) == 1 })
	if g, want := got(voters[0]), []string{vote, count(1, 2)}; !slices.Equal(g, want) {
		t.Errorf("ada got %q, want %q", g, want)
	}
	if g, want := got(voters[1]), []string{count(1, 2)}; !slices.Equal(g, want) {
		t.Errorf("bob got %q, want %q (the vote answers the voter only)", g, want)
	}
	if err := voters[1].c.SendMessage(drones.MsgReady, 1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two ready", func() bool { return slices.Contains(got(voters[0]), count(2, 2)) })
	waitSnapshots(t, voters[0].c, 5) // a few checksums past the votes
	if err := live.Recorder.Stop(ctx); err != nil {
		t.Fatal(err)
	}

	rd, err := record.NewReader(bytes.NewReader(rec.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	messages := 0
	for {
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if e.GetMessage() != nil {
			messages++
		}
	}
	if messages != 2 {
		t.Errorf("the recording holds %d game messages, want 2", messages)
	}
	rep, err := record.Replay(bytes.NewReader(rec.Bytes()), catalog.Builtin(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("replay: %+v, want every checksum matching", rep)
	}
	t.Logf("replayed %d entries, %d ticks, %d checksums matching", rep.Entries, rep.Ticks, rep.Checksums)

}
