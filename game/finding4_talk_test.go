package game

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// panicTalkGame is a talkGame that panics in the talk call named by where,
// once armed.
type panicTalkGame struct {
	*talkGame
	where string
	armed atomic.Bool
}

func (g *panicTalkGame) at(where string) {
	if g.armed.Load() && g.where == where {
		panic("boom in " + where)
	}
}

func (g *panicTalkGame) HandleMessage(p PlayerID, m Message) {
	g.at(CallHandleMessage)
	g.talkGame.HandleMessage(p, m)
}

func (g *panicTalkGame) DrainMessages(dst []Outgoing) []Outgoing {
	g.at(CallDrainMessages)
	return g.talkGame.DrainMessages(dst)
}

func (g *panicTalkGame) ModerateChat(p PlayerID, text string) (string, bool) {
	g.at(CallChat)
	return g.talkGame.ModerateChat(p, text)
}

// TestFinding4TalkPanics extends finding 4 to the game's share of the
// reliable channel: a panic in Messenger's HandleMessage or DrainMessages,
// or in the game's chat moderation, ends that room alone with a
// *PanicError naming the call, counted by where.
func TestFinding4TalkPanics(t *testing.T) {
	for _, tt := range []struct {
		where string
		send  func(p *InputPort) error
	}{
		{CallHandleMessage, func(p *InputPort) error { return p.PushMessage(&pb.GameMessage{Kind: 1, Values: []int32{1}}) }},
		{CallDrainMessages, func(p *InputPort) error { return p.PushMessage(&pb.GameMessage{Kind: 1, Values: []int32{1}}) }},
		{CallChat, func(p *InputPort) error { return p.PushChat(pb.ChatChannel_CHAT_CHANNEL_ROOM, "hello") }},
	} {
		t.Run(tt.where, func(t *testing.T) {
			g := &panicTalkGame{talkGame: &talkGame{fakeGame: newFakeGame()}, where: tt.where}
			rr := startGenericCfg(t, g, talkCfg())
			port, err := rr.r.Join(context.Background(), "ann", newFakeLink(t))
			if err != nil {
				t.Fatal(err)
			}
			rr.idle()
			before := testutil.ToFloat64(gamePanics.WithLabelValues(tt.where))
			g.armed.Store(true)
			if err := tt.send(port); err != nil {
				t.Fatal(err)
			}
			rr.advance(1)
			var pe *PanicError
			if err := rr.wait(); !errors.As(err, &pe) || pe.Where != tt.where {
				t.Fatalf("Run returned %v, want a *PanicError in %s", err, tt.where)
			}
			if d := testutil.ToFloat64(gamePanics.WithLabelValues(tt.where)) - before; d != 1 {
				t.Errorf("tickwire_game_panics_total{where=%q} rose by %v, want 1", tt.where, d)
			}
		})
	}
}
