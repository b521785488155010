package game

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Reasons a chat line is refused (tickwire_chat_refused_total).
const (
	// chatRefusedNotInRoom: the port was retired, or the room takes no chat.
	chatRefusedNotInRoom = "not_in_room"
	// chatRefusedEmpty: nothing left after trimming spaces.
	chatRefusedEmpty = "empty"
	// chatRefusedTooLong: longer than TalkConfig.ChatMaxChars.
	chatRefusedTooLong = "too_long"
	// chatRefusedControl: control characters or invalid UTF-8.
	chatRefusedControl = "control_characters"
	// chatRefusedChannel: an unknown channel, or team chat in a mode
	// without teams.
	chatRefusedChannel = "channel"
	// chatRefusedMuted: an operator muted the player.
	chatRefusedMuted = "muted"
	// chatRefusedRate: past the player's chat budget.
	chatRefusedRate = "rate"
	// chatRefusedQueue: the player's share of the room's queue was full.
	chatRefusedQueue = "queue_full"
	// chatRefusedModeration: the server's or the game's moderation
	// dropped the line.
	chatRefusedModeration = "moderation"
)

// Reasons a game message is refused (tickwire_game_messages_refused_total).
const (
	// messageRefusedNotInRoom: the port was retired.
	messageRefusedNotInRoom = "not_in_room"
	// messageRefusedNoMessages: the mode's game is no Messenger.
	messageRefusedNoMessages = "no_messages"
	// messageRefusedKind: a kind the schema does not declare.
	messageRefusedKind = "unknown_kind"
	// messageRefusedValues: more values than the kind names.
	messageRefusedValues = "too_many_values"
	// messageRefusedRate: past the player's message budget.
	messageRefusedRate = "rate"
	// messageRefusedQueue: the player's share of the room's queue was full.
	messageRefusedQueue = "queue_full"
)

// Reasons an accepted line or message, or one the game sent, is dropped
// (tickwire_talk_dropped_total).
const (
	// talkDroppedLeft: the sender's port was retired before the room's
	// tick took it.
	talkDroppedLeft = "sender_gone"
	// talkDroppedBadKind: the game sent a kind its schema does not declare.
	talkDroppedBadKind = "game_unknown_kind"
	// talkDroppedNoSeat: the game sent to a player with no connected seat.
	talkDroppedNoSeat = "recipient_not_connected"
)

var (
	chatRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_chat_refused_total",
		Help: "Chat lines refused, by reason (not_in_room, empty, too_long, control_characters, channel, muted, rate, queue_full, moderation).",
	}, []string{"reason"})
	messagesRefused = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_game_messages_refused_total",
		Help: "Game messages from clients refused, by reason (not_in_room, no_messages, unknown_kind, too_many_values, rate, queue_full).",
	}, []string{"reason"})
	talkDropped = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_talk_dropped_total",
		Help: "Accepted chat lines and game messages, and messages a game sent, that were not delivered, by reason (sender_gone, game_unknown_kind, recipient_not_connected).",
	}, []string{"reason"})
	chatLines = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_chat_lines_total",
		Help: "Chat lines rooms accepted and sent.",
	})
	gameMessagesIn = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_game_messages_received_total",
		Help: "Game messages handed to games.",
	})
	gameMessagesOut = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_game_messages_sent_total",
		Help: "Game messages games sent, counted once per recipient.",
	})
	noticesSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_room_notices_sent_total",
		Help: "Notices rooms sent to players and spectators, once per recipient.",
	})
)
