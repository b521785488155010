package drones

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// The game message kinds of drones (Schema.Messages): a "ready" vote
// before the match, the worked example of docs/game-guide.md.
const (
	// MsgReady, from a player: its vote, values {ready}.
	MsgReady uint32 = 1
	// MsgVote, from the game to the voter only: the vote as the game
	// took it, values {ready}.
	MsgVote uint32 = 2
	// MsgReadyCount, from the game to everyone, whenever a vote or the
	// seats change: values {ready, players}.
	MsgReadyCount uint32 = 3
)

// messages is Schema.Messages.
var messages = []wire.MessageKind{
	{Kind: MsgReady, Name: "ready", Values: []wire.Field{{Name: "ready", Type: wire.TypeBool}}},
	{Kind: MsgVote, Name: "vote", Values: []wire.Field{{Name: "ready", Type: wire.TypeBool}}},
	{Kind: MsgReadyCount, Name: "ready_count", Values: []wire.Field{
		{Name: "ready", Type: wire.TypeUint}, {Name: "players", Type: wire.TypeUint}}},
}

var _ game.Messenger = (*Game)(nil)

// HandleMessage takes a player's ready vote: the voter is answered with
// its vote, everyone with the new count. Other kinds are ignored (the room
// refuses kinds the schema does not declare, and the game's own kinds are
// not the players' to send).
func (g *Game) HandleMessage(p game.PlayerID, m game.Message) {
	d, ok := g.byPlayer[p]
	if !ok || m.Kind != MsgReady {
		return
	}
	d.ready = m.Values[0] != 0
	vote := game.Message{Kind: MsgVote}
	vote.Values[0] = m.Values[0]
	g.outbox = append(g.outbox, game.Outgoing{To: []game.PlayerID{p}, Message: vote})
	g.readyChanged()
}

// DrainMessages implements game.Messenger.
func (g *Game) DrainMessages(dst []game.Outgoing) []game.Outgoing {
	dst = append(dst, g.outbox...)
	clear(g.outbox)
	g.outbox = g.outbox[:0]
	return dst
}

// Ready returns how many drones voted ready.
func (g *Game) Ready() int {
	n := 0
	for _, d := range g.drones {
		if d.ready {
			n++
		}
	}
	return n
}

// readyChanged tells everyone the ready count.
func (g *Game) readyChanged() {
	count := game.Message{Kind: MsgReadyCount}
	count.Values[0], count.Values[1] = int32(g.Ready()), int32(len(g.drones))
	g.outbox = append(g.outbox, game.Outgoing{Message: count})
}
