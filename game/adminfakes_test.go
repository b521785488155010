package game

import (
	"errors"
	"sync"
	"time"
)

// clockGame is a fakeGame whose Step takes work(tick) of the room's
// ManualClock, so tick durations are known exactly.
type clockGame struct {
	*fakeGame
	clk  *ManualClock
	work func(tick uint32) time.Duration
}

func (g *clockGame) Step(tick uint32) {
	g.clk.Advance(g.work(tick))
	g.fakeGame.Step(tick)
}

// debugGame is a fakeGame with debug commands: "fail" fails, anything else
// is echoed; every command is recorded.
type debugGame struct {
	*fakeGame
	mu       sync.Mutex
	commands []string
}

func (g *debugGame) HandleDebug(command string) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.commands = append(g.commands, command)
	if command == "fail" {
		return "", errors.New("it failed")
	}
	return "ok " + command, nil
}

// standingsGame is a fakeGame with a StandingsReporter.
type standingsGame struct {
	*fakeGame
	standings []PlayerResult
}

func (g *standingsGame) Standings() []PlayerResult { return g.standings }

// rttFakeLink is a fakeLink that measures a round trip.
type rttFakeLink struct {
	*fakeLink
	rtt time.Duration
}

func (l *rttFakeLink) RTT() time.Duration { return l.rtt }
