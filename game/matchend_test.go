package game

import (
	"context"
	"sync"
	"testing"
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestMatchEndReports checks what a room reports to OnEnd, once, for each
// way it ends, and that a room nobody played in reports nothing.
func TestMatchEndReports(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		join   bool
		end    func(rr *running, g *fakeGame, port *InputPort)
		reason string // "" = no report
		scores bool   // the game's results, not seat lines
	}{
		{name: "match over", join: true, end: func(rr *running, g *fakeGame, _ *InputPort) {
			g.endAt.Store(rr.r.Stats().Tick + 1)
			rr.advance(2)
		}, reason: EndMatchOver, scores: true},
		{name: "drained", join: true, end: func(rr *running, _ *fakeGame, _ *InputPort) { rr.r.Drain() }, reason: EndDrained},
		{name: "closed with results", join: true, end: func(rr *running, _ *fakeGame, _ *InputPort) { rr.r.CloseWithResults("bye") }, reason: EndClosed},
		{name: "shutdown", join: true, end: func(rr *running, _ *fakeGame, _ *InputPort) {
			rr.r.Close(pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN)
		}, reason: EndShutdown},
		{name: "abandoned", join: true, end: func(rr *running, _ *fakeGame, port *InputPort) {
			rr.r.Leave(port.Seat())
			for range 3 {
				rr.advance(1)
			}
		}, reason: EndAbandoned},
		{name: "nobody played", end: func(rr *running, _ *fakeGame, _ *InputPort) { rr.r.Drain() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var ends []MatchEnd
			g := newFakeGame()
			cfg := runCfg(NewManualClock(0))
			cfg.EmptyTimeout = runPeriod
			cfg.OnEnd = func(m MatchEnd) {
				mu.Lock()
				defer mu.Unlock()
				ends = append(ends, m)
			}
			rr := startGenericCfg(t, g, cfg)
			var port *InputPort
			if tt.join {
				var err error
				if port, err = rr.r.Join(ctx, "ann", newFakeLink(t)); err != nil {
					t.Fatal(err)
				}
				rr.advance(1)
			}
			tt.end(rr, g, port)
			<-rr.r.Done()
			mu.Lock()
			defer mu.Unlock()
			if tt.reason == "" {
				if len(ends) != 0 {
					t.Fatalf("reports %+v, want none", ends)
				}
				return
			}
			if len(ends) != 1 {
				t.Fatalf("%d reports %+v, want 1", len(ends), ends)
			}
			m := ends[0]
			if m.Reason != tt.reason || !m.Started || m.RoomID != cfg.ID || m.ResultNames[0] != "steps" {
				t.Errorf("report %+v, want reason %s of a started match", m, tt.reason)
			}
			if tt.reason != EndAbandoned && (len(m.Results) != 1 || m.Results[0].Player != 1) {
				t.Errorf("results %+v, want player 1's line", m.Results)
			}
			if tt.scores && (len(m.Results) != 1 || m.Results[0].Values == nil) {
				t.Errorf("results %+v, want the game's own", m.Results)
			}
			// The match's length counts every tick it stepped, its first
			// and its last (it used to leave one out).
			g.mu.Lock()
			stepped := 0
			for _, tick := range g.steps {
				if tick >= m.StartTick {
					stepped++
				}
			}
			g.mu.Unlock()
			if want := time.Duration(stepped) * time.Second / time.Duration(m.TickHz); m.Ticks() != uint32(stepped) || m.Duration() != want {
				t.Errorf("match of %d ticks (%d to %d) lasted %v, want %d ticks stepped, %v", m.Ticks(), m.StartTick, m.EndTick, m.Duration(), stepped, want)
			}
		})
	}
}
