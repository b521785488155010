package game

import (
	"fmt"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
)

// Message is one game message (docs/protocol.md, "Game messages"): a kind
// of the mode's schema (wire.Schema.Messages) and its values in that kind's
// order. From a client, each value is already clamped into its field's
// range and values the client did not send are 0; it stays integer so the
// simulation stays deterministic.
type Message struct {
	// Kind is one of the schema's message kinds.
	Kind uint32
	// Values are the message's values in the kind's order.
	Values [wire.MaxMessageValues]int32
}

// Outgoing is a message a Game sends its players.
type Outgoing struct {
	// To lists the players it goes to; nil (or empty) means every
	// connected player of the room.
	To []PlayerID
	// Message is what is sent; its kind must be one of the schema's
	// message kinds (a message of another kind is dropped and counted).
	Message Message
}

// Messenger is an optional interface of a Game that takes game messages:
// reliable, ordered messages beside the per-tick input, such as a "ready"
// toggle, a vote or a purchase. The room calls HandleMessage on its
// goroutine at the start of a tick, after the tick's inputs and before
// Step, once for every message that arrived since the last tick, in the
// order the room received them; the calls are recorded and replayed like
// inputs, so they may change the simulation. After every Step the room
// calls DrainMessages and sends what it returns, reliably and in order.
// What a Game sends is not part of any checksum: a replay drains and
// discards it.
type Messenger interface {
	// HandleMessage takes message m of player p.
	HandleMessage(p PlayerID, m Message)
	// DrainMessages appends the messages to send since the last call to
	// dst and forgets them.
	DrainMessages(dst []Outgoing) []Outgoing
}

// ChatTeams is an optional interface of a Game whose players chat in
// teams: a line sent to the team channel reaches the players whose Team
// equals the sender's. Without it, team lines are refused.
type ChatTeams interface {
	// Team returns p's chat team; the room asks when it delivers a line.
	Team(p PlayerID) uint32
}

// ChatModerator is an optional interface of a Game that moderates its
// room's chat. The room calls ModerateChat on its goroutine for every
// line it accepted, before it numbers and sends it: ok false drops the
// line (the sender is told), else text replaces it. Chat is not recorded,
// so ModerateChat must not change the simulation.
type ChatModerator interface {
	ModerateChat(p PlayerID, text string) (replaced string, ok bool)
}

// ChatLine is a chat line as a server-wide moderation hook sees it
// (TalkConfig.Moderate).
type ChatLine struct {
	// Room and Mode are the room's id and mode.
	Room, Mode string
	// Player and Name are the sender's.
	Player PlayerID
	Name   string
	// Team is set for a line to the sender's team.
	Team bool
	// Text is the line, trimmed and checked.
	Text string
}

// Defaults of TalkConfig.
const (
	// DefaultChatRate and DefaultChatBurst are each player's chat budget:
	// lines a second, and the lines that may come at once.
	DefaultChatRate  = 2.0
	DefaultChatBurst = 5
	// DefaultChatMaxChars is the longest chat line, in characters
	// (Unicode code points) after trimming.
	DefaultChatMaxChars = 200
	// DefaultChatHistory is how many recent lines a room keeps and sends
	// a player who joins or resumes.
	DefaultChatHistory = 50
	// MaxChatHistory is the most lines a room may keep. A player who
	// joins or resumes gets them all at once after Joined, into the
	// reliable queue of the connection (64 messages by default; a full
	// queue closes the connection as a slow consumer), which must keep
	// room for what else a join sends.
	MaxChatHistory = 56
	// DefaultMessageRate and DefaultMessageBurst are each player's game
	// message budget.
	DefaultMessageRate  = 20.0
	DefaultMessageBurst = 20
	// DefaultTalkQueue is how many chat lines and game messages of one
	// player may wait for the room's next tick.
	DefaultTalkQueue = 16
	// talkRefusalEvery is how often a player is told of refusals for the
	// same budget: the refusals in between are only counted, so that a
	// flood cannot fill the player's own reliable queue with errors.
	talkRefusalEvery = time.Second
)

// TalkConfig is a room's budgets and hooks for game messages and chat;
// zero fields take the defaults above.
type TalkConfig struct {
	// ChatRate (lines a second) and ChatBurst bound each player's chat.
	ChatRate  float64
	ChatBurst int
	// ChatMaxChars is the longest line in characters after trimming.
	ChatMaxChars int
	// ChatHistory is how many recent lines are kept and sent to a player
	// who joins or resumes, at most MaxChatHistory; negative keeps none.
	ChatHistory int
	// MessageRate (a second) and MessageBurst bound each player's game
	// messages.
	MessageRate  float64
	MessageBurst int
	// Queue is how many lines and messages of one player may wait for
	// the next tick.
	Queue int
	// Moderate, if set, sees every chat line a player sends once it
	// passed the checks, on that player's connection goroutine (so it
	// must be safe for concurrent use and quick): ok false refuses the
	// line, else text replaces it.
	Moderate func(ChatLine) (text string, ok bool)
}

// withDefaults fills the zero fields of c, or names the first invalid one.
func (c TalkConfig) withDefaults() (TalkConfig, error) {
	switch {
	case c.ChatRate < 0 || c.MessageRate < 0:
		return c, fmt.Errorf("talk config: negative rate (chat %v, messages %v)", c.ChatRate, c.MessageRate)
	case c.ChatBurst < 0 || c.MessageBurst < 0 || c.Queue < 0 || c.ChatMaxChars < 0:
		return c, fmt.Errorf("talk config: negative burst, queue or length")
	case c.ChatHistory > MaxChatHistory:
		return c, fmt.Errorf("talk config: chat history of %d lines, at most %d (a join sends them at once)", c.ChatHistory, MaxChatHistory)
	}
	if c.ChatRate == 0 {
		c.ChatRate = DefaultChatRate
	}
	if c.ChatBurst == 0 {
		c.ChatBurst = DefaultChatBurst
	}
	if c.ChatMaxChars == 0 {
		c.ChatMaxChars = DefaultChatMaxChars
	}
	if c.ChatHistory == 0 {
		c.ChatHistory = DefaultChatHistory
	}
	if c.MessageRate == 0 {
		c.MessageRate = DefaultMessageRate
	}
	if c.MessageBurst == 0 {
		c.MessageBurst = DefaultMessageBurst
	}
	if c.Queue == 0 {
		c.Queue = DefaultTalkQueue
	}
	return c, nil
}
