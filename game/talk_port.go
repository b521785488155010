package game

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Refusal is why a room refused a player's chat line or game message: the
// error code and text to tell the client (docs/protocol.md, "Limits and
// errors") and the reason label of the refusal's metric. Every chat
// refusal is CHAT_REFUSED and every message refusal MESSAGE_REFUSED, the
// rate limits' too (their text says "rate limited" and the budget): a
// client tells them from the answers to its requests, which are answered
// in order, by the code alone.
type Refusal struct {
	// Code is the error code the client is sent.
	Code pb.ErrorCode
	// Reason is the label of tickwire_chat_refused_total or
	// tickwire_game_messages_refused_total.
	Reason string
	// Text says what was refused and why.
	Text string
	// Quiet is set for a repeated refusal of the same budget less than a
	// second after one the client was told of: counted, but not worth
	// another error frame.
	Quiet bool
}

// Error implements error.
func (r *Refusal) Error() string { return r.Text }

// talkRules are what the ports of a room check chat lines and game
// messages against; shared and read-only.
type talkRules struct {
	cfg        TalkConfig
	schema     *wire.Schema
	room, mode string
	clock      Clock
	messages   bool // the game is a Messenger
	teams      bool // the game is a ChatTeams
	// queue is the room's queue of accepted lines and messages, in the
	// order the room received them.
	queue *fifo[talkItem]
}

// talkItem is one accepted chat line or game message on its way to the
// room goroutine.
type talkItem struct {
	port    *InputPort
	chat    bool
	channel pb.ChatChannel
	text    string
	msg     Message
}

// seatTalk is a seat's share of the room's talk queue, its mute, and its
// chat and message budgets. The budgets are the seat's rather than a
// connection's, so that reconnecting does not refill them (a
// rate.Limiter is safe for a replaced connection's reader and its
// successor's at once).
type seatTalk struct {
	queued         atomic.Int32 // items of the seat in the room's queue
	muted          atomic.Bool
	chat, messages *rate.Limiter // nil when the room takes no talk
}

// fillBudgets gives t full budgets under rules (none for nil rules). Room
// goroutine, before the seat's first port.
func (t *seatTalk) fillBudgets(rules *talkRules) {
	if rules == nil {
		return
	}
	c := rules.cfg
	t.chat = rate.NewLimiter(rate.Limit(c.ChatRate), c.ChatBurst)
	t.messages = rate.NewLimiter(rate.Limit(c.MessageRate), c.MessageBurst)
}

// portTalk is what one connection's reader keeps of its refusals.
type portTalk struct {
	// told is when the client was last told of a rate refusal, per
	// budget (chat, messages).
	told [2]time.Duration
}

// Budgets of portTalk.told.
const (
	budgetChat = iota
	budgetMessages
)

// PushChat checks a chat line of the port's player and queues it for the
// room, which numbers it and sends it to the room (or the sender's team)
// at its next tick. A refused line returns a *Refusal, counted in
// tickwire_chat_refused_total. Only the connection's reader may call it.
func (p *InputPort) PushChat(channel pb.ChatChannel, text string) error {
	rules := p.seat.talk
	text = strings.TrimSpace(text)
	var ref *Refusal
	switch n := utf8.RuneCountInString(text); {
	case rules == nil:
		ref = chatRefusal(chatRefusedNotInRoom, "this room takes no chat")
	case !p.Attached():
		ref = chatRefusal(chatRefusedNotInRoom, "chat: not in a room")
	case n == 0:
		ref = chatRefusal(chatRefusedEmpty, "chat: empty line")
	case n > rules.cfg.ChatMaxChars:
		ref = chatRefusal(chatRefusedTooLong, fmt.Sprintf("chat: line of %d characters, at most %d", n, rules.cfg.ChatMaxChars))
	case !utf8.ValidString(text):
		ref = chatRefusal(chatRefusedControl, "chat: not valid UTF-8")
	case hasControl(text):
		ref = chatRefusal(chatRefusedControl, "chat: control characters are not allowed")
	case channel != pb.ChatChannel_CHAT_CHANNEL_ROOM && channel != pb.ChatChannel_CHAT_CHANNEL_TEAM:
		ref = chatRefusal(chatRefusedChannel, fmt.Sprintf("chat: unknown channel %d", channel))
	case channel == pb.ChatChannel_CHAT_CHANNEL_TEAM && !rules.teams:
		ref = chatRefusal(chatRefusedChannel, "chat: this mode has no team chat")
	case p.seat.talkState.muted.Load():
		ref = chatRefusal(chatRefusedMuted, "chat: you are muted in this room")
	case !p.seat.talkState.chat.AllowN(p.budgetTime(rules), 1):
		ref = p.rateRefusal(rules, budgetChat, chatRefusal(chatRefusedRate, fmt.Sprintf(
			"chat: rate limited: at most %g lines a second (burst %d)", rules.cfg.ChatRate, rules.cfg.ChatBurst)))
	}
	if ref == nil && rules.cfg.Moderate != nil {
		line := ChatLine{Room: rules.room, Mode: rules.mode, Player: p.seat.player, Name: p.seat.name,
			Team: channel == pb.ChatChannel_CHAT_CHANNEL_TEAM, Text: text}
		moderated, ok := rules.cfg.Moderate(line)
		if !ok {
			ref = chatRefusal(chatRefusedModeration, "chat: refused by moderation")
		}
		text = moderated
	}
	if ref == nil {
		ref = p.queueTalk(talkItem{port: p, chat: true, channel: channel, text: text}, chatRefusal(chatRefusedQueue, "chat"))
	}
	if ref != nil {
		chatRefused.WithLabelValues(ref.Reason).Inc()
		return ref
	}
	return nil
}

// PushMessage checks a game message of the port's player, clamps its
// values into their fields' ranges and queues it for the game, which takes
// it at the room's next tick (Messenger). A refused message returns a
// *Refusal, counted in tickwire_game_messages_refused_total. Only the
// connection's reader may call it.
func (p *InputPort) PushMessage(m *pb.GameMessage) error {
	rules := p.seat.talk
	var ref *Refusal
	var kind *wire.MessageKind
	if rules != nil {
		kind = rules.schema.Message(m.GetKind())
	}
	switch {
	case rules == nil || !rules.messages:
		ref = messageRefusal(messageRefusedNoMessages, "game message: this mode takes no game messages")
	case !p.Attached():
		ref = messageRefusal(messageRefusedNotInRoom, "game message: not in a room")
	case kind == nil:
		ref = messageRefusal(messageRefusedKind, fmt.Sprintf("game message: unknown kind %d", m.GetKind()))
	case len(m.GetValues()) > len(kind.Values):
		ref = messageRefusal(messageRefusedValues, fmt.Sprintf("game message %q: %d values, at most %d",
			kind.Name, len(m.GetValues()), len(kind.Values)))
	case !p.seat.talkState.messages.AllowN(p.budgetTime(rules), 1):
		ref = p.rateRefusal(rules, budgetMessages, messageRefusal(messageRefusedRate, fmt.Sprintf(
			"game message: rate limited: at most %g a second (burst %d)", rules.cfg.MessageRate, rules.cfg.MessageBurst)))
	}
	if ref == nil {
		msg := Message{Kind: kind.Kind}
		for i, v := range m.GetValues() {
			msg.Values[i] = kind.Values[i].Clamp(v)
		}
		ref = p.queueTalk(talkItem{port: p, msg: msg}, messageRefusal(messageRefusedQueue, "game message"))
	}
	if ref != nil {
		messagesRefused.WithLabelValues(ref.Reason).Inc()
		return ref
	}
	return nil
}

// queueTalk hands it to the room unless the seat has its queue's worth
// waiting already (or the room's queue is full); full is the refusal then,
// its text the prefix of the refusal's.
func (p *InputPort) queueTalk(it talkItem, full *Refusal) *Refusal {
	st := &p.seat.talkState
	if st.queued.Add(1) > int32(p.seat.talk.cfg.Queue) {
		st.queued.Add(-1)
		full.Text = fmt.Sprintf("%s: too many chat lines and game messages waiting for the room (at most %d)", full.Text, p.seat.talk.cfg.Queue)
		return full
	}
	if !p.seat.talk.queue.tryPush(it) {
		// The room's queue holds (nearly) every seat's share: the room
		// is far behind.
		st.queued.Add(-1)
		full.Text += ": the room's queue is full"
		return full
	}
	return nil
}

// budgetTime is the room clock's reading as the time the rate limiters
// count in.
func (p *InputPort) budgetTime(rules *talkRules) time.Time {
	return time.Unix(0, 0).Add(rules.clock.Now())
}

// rateRefusal returns ref, a refusal of budget b, quiet when the client
// was told of one less than talkRefusalEvery ago.
func (p *InputPort) rateRefusal(rules *talkRules, b int, ref *Refusal) *Refusal {
	now := rules.clock.Now()
	if p.talk.told[b] != 0 && now-p.talk.told[b] < talkRefusalEvery {
		ref.Quiet = true
	} else {
		p.talk.told[b] = max(now, 1)
	}
	return ref
}

// chatRefusal returns a CHAT_REFUSED refusal.
func chatRefusal(reason, text string) *Refusal {
	return &Refusal{Code: pb.ErrorCode_ERROR_CODE_CHAT_REFUSED, Reason: reason, Text: text}
}

// messageRefusal returns a MESSAGE_REFUSED refusal.
func messageRefusal(reason, text string) *Refusal {
	return &Refusal{Code: pb.ErrorCode_ERROR_CODE_MESSAGE_REFUSED, Reason: reason, Text: text}
}

// hasControl reports whether s holds a control character (Unicode Cc:
// newlines and tabs too, for a chat line is one line) or a bidirectional
// override or isolate, which could make a line display as another.
func hasControl(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return true
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return true
		}
	}
	return false
}
