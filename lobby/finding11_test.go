package lobby

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// lockedBuffer is a results file the test reads after the writer closed.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines decodes the buffer's JSON lines.
func (b *lockedBuffer) lines(t *testing.T) []ResultLine {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []ResultLine
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var l ResultLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("results line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

// drainModes are an arena of one player whose match lasts an hour and
// "quick", one whose match lasts a second; both start at the first join.
func drainModes() game.Modes {
	modes := game.NewModes()
	for name, d := range map[string]time.Duration{"arena": time.Hour, "quick": time.Second} {
		m := arena.Mode(name)
		m.Settings.MinPlayers, m.Settings.Countdown = 1, 0
		m.Options.(*arena.Options).MatchDuration = d
		modes.Register(m)
	}
	return modes
}

// messages collects what a client is sent, for checks after the fact.
type messages struct {
	mu   sync.Mutex
	msgs []*pb.ServerMessage
}

func (m *messages) add(msg *pb.ServerMessage) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
}

// has reports whether a message satisfying match arrived.
func (m *messages) has(match func(*pb.ServerMessage) bool) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, msg := range m.msgs {
		if match(msg) {
			return true
		}
	}
	return false
}

// TestFinding11Drain reproduces the drain half of finding 11 of the
// hardening review: SIGTERM told every client SERVER_SHUTDOWN at once and
// sent no match results. A drain now warns every connection with a
// notice, takes no new players (JoinRoom and
// CreateRoom get SHUTTING_DOWN, /healthz 503) but keeps connections, so a
// player whose socket drops resumes its seat; a running match plays on and
// ends by itself, or is ended with MatchResults and Left{SERVER_SHUTDOWN}
// when the drain's time is up; every ended match is a line of the results
// file, with its end reason.
func TestFinding11Drain(t *testing.T) {
	results := &lockedBuffer{}
	rw := NewResultsWriter(results, nil, 0, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts := startServerModes(t, func(c *Config) {
		c.Rooms.DefaultMode = "arena"
		c.Rooms.OnMatchEnd = rw.Record
	}, drainModes())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	var amsgs, qmsgs messages
	var notices atomic.Int32
	a := dial(t, ts.url, "ann", func(c *client.ClientConfig) {
		c.OnMessage = amsgs.add
		c.OnNotice = func(n *pb.Notice) {
			if n.GetScope() == pb.NoticeScope_NOTICE_SCOPE_SERVER &&
				n.GetSeverity() == pb.NoticeSeverity_NOTICE_SEVERITY_WARNING && strings.Contains(n.GetText(), "shutting down") {
				notices.Add(1)
			}
		}
	})
	if _, err := a.Join(ctx, "arena", ""); err != nil {
		t.Fatal(err)
	}
	q := dial(t, ts.url, "quinn", func(c *client.ClientConfig) { c.OnMessage = qmsgs.add })
	if _, err := q.Join(ctx, "quick", ""); err != nil {
		t.Fatal(err)
	}
	var resumed atomic.Bool
	r := dial(t, ts.url, "rey", func(c *client.ClientConfig) {
		c.Reconnect = client.ReconnectPolicy{Enabled: true, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
		c.OnReconnect = func(ok bool) { resumed.Store(ok) }
	})
	if _, err := r.Join(ctx, "arena", ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "both matches running", func() bool {
		return a.Phase() == pb.RoomPhase_ROOM_PHASE_RUNNING && q.Phase() == pb.RoomPhase_ROOM_PHASE_RUNNING
	})

	dctx, stop := context.WithCancel(context.Background())
	drained := make(chan int, 1)
	go func() { drained <- ts.Drain(dctx) }()
	eventually(t, "/healthz to say the server is stopping", func() bool {
		resp, err := http.Get(ts.http.URL + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusServiceUnavailable
	})
	// Every connection is warned first, with a notice of the server scope.
	eventually(t, "the drain's notice", func() bool { return notices.Load() == 1 })
	late := dial(t, ts.url, "late", nil)
	_, err := late.Join(ctx, "arena", "")
	if se := (*client.ServerError)(nil); !errors.As(err, &se) || se.Code != pb.ErrorCode_ERROR_CODE_SHUTTING_DOWN {
		t.Errorf("join while draining: %v, want SHUTTING_DOWN", err)
	}
	_, _, err = late.CreateRoom(ctx, "arena", 0, false)
	if se := (*client.ServerError)(nil); !errors.As(err, &se) || se.Code != pb.ErrorCode_ERROR_CODE_SHUTTING_DOWN {
		t.Errorf("create while draining: %v, want SHUTTING_DOWN", err)
	}
	// A player whose socket drops comes back to its seat.
	r.DropConnection()
	eventually(t, "the dropped player to resume its seat", resumed.Load)

	// The quick match ends by itself, the arena one waits for the drain.
	eventually(t, "the quick match's results", func() bool {
		return qmsgs.has(func(m *pb.ServerMessage) bool { return m.GetMatchResults() != nil })
	})
	select {
	case <-drained:
		t.Fatal("drain returned while a match still ran")
	default:
	}
	stop()
	if cut := <-drained; cut != 1 {
		t.Errorf("drain cut %d matches short, want 1", cut)
	}
	eventually(t, "the arena match's results and Left", func() bool {
		return amsgs.has(func(m *pb.ServerMessage) bool { return m.GetMatchResults() != nil }) &&
			amsgs.has(func(m *pb.ServerMessage) bool {
				return m.GetLeft().GetReason() == pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN
			})
	})
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	reasons := map[string][]string{}
	for _, l := range results.lines(t) {
		var names []string
		for _, p := range l.Players {
			names = append(names, p.Name)
		}
		reasons[l.Mode+" "+l.Reason] = names
		if _, ok := l.Players[0].Values["kills"]; !ok || !l.Started {
			t.Errorf("line %+v: want a started match with values named by the schema", l)
		}
	}
	if got := reasons["quick "+game.EndMatchOver]; len(got) != 1 || got[0] != "quinn" {
		t.Errorf("results lines %v: want quick ended with quinn", reasons)
	}
	if got := reasons["arena "+game.EndDrained]; len(got) != 2 {
		t.Errorf("results lines %v: want arena drained with ann and rey", reasons)
	}
}

// TestDrainEndsEmptyMatches: a running match nobody is seated in any more
// (its players left, their seats released) has no one to play on for, and
// no one can join it while the server drains, so the drain ends it at once
// rather than wait for -drain-timeout; so does a match that empties while
// the drain waits.
func TestDrainEndsEmptyMatches(t *testing.T) {
	for _, leaveDuringDrain := range []bool{false, true} {
		t.Run(fmt.Sprintf("leaveDuringDrain=%v", leaveDuringDrain), func(t *testing.T) {
			results := &lockedBuffer{}
			rw := NewResultsWriter(results, nil, 0, slog.New(slog.NewTextHandler(io.Discard, nil)))
			ts := startServerModes(t, func(c *Config) {
				c.Rooms.DefaultMode = "arena"
				c.Rooms.OnMatchEnd = rw.Record
				c.Rooms.EmptyTimeout = time.Hour // the room would outlive any drain
			}, drainModes())
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			a := dial(t, ts.url, "ann", nil)
			if _, err := a.Join(ctx, "arena", ""); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the match running", func() bool { return a.Phase() == pb.RoomPhase_ROOM_PHASE_RUNNING })
			seated := func() int {
				n := 0
				for _, r := range ts.Rooms() {
					n += r.Players
				}
				return n
			}
			leave := func() {
				if err := a.Leave(); err != nil {
					t.Fatal(err)
				}
				eventually(t, "the room empty", func() bool { return seated() == 0 })
			}
			if !leaveDuringDrain {
				leave()
			}

			// The drain's own deadline is far off: only the empty room's
			// end can let it return.
			dctx, stop := context.WithTimeout(context.Background(), time.Minute)
			defer stop()
			drained := make(chan int, 1)
			start := time.Now()
			go func() { drained <- ts.Drain(dctx) }()
			if leaveDuringDrain {
				eventually(t, "the drain to start", func() bool {
					ts.mu.Lock()
					defer ts.mu.Unlock()
					return ts.draining
				})
				select {
				case <-drained:
					t.Fatal("drain returned while a player was still seated")
				case <-time.After(300 * time.Millisecond):
				}
				leave()
			}
			select {
			case cut := <-drained:
				if cut != 1 {
					t.Errorf("drain cut %d matches short, want 1", cut)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("drain still waits for a match nobody is seated in")
			}
			t.Logf("drain returned after %v", time.Since(start).Round(time.Millisecond))
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
			lines := results.lines(t)
			if len(lines) != 1 || lines[0].Reason != game.EndDrained {
				t.Errorf("results lines %+v: want the arena match ended as drained", lines)
			}
		})
	}
}
