package main

import (
	"flag"
	"fmt"

	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/game"
)

// defineTalkFlags defines the budgets of chat and game messages (every
// room's game.TalkConfig) on fs and returns their section of -h.
func defineTalkFlags(fs *flag.FlagSet, t *game.TalkConfig) cli.Section {
	fs.Float64Var(&t.ChatRate, "chat-rate", game.DefaultChatRate, "chat lines a second each player may send")
	fs.IntVar(&t.ChatBurst, "chat-burst", game.DefaultChatBurst, "chat lines a player may send at once, beyond -chat-rate")
	fs.IntVar(&t.ChatMaxChars, "chat-max-chars", game.DefaultChatMaxChars, "longest chat line, in characters after trimming")
	fs.IntVar(&t.ChatHistory, "chat-history", game.DefaultChatHistory, fmt.Sprintf("recent chat lines a room keeps and sends to a player who joins or resumes, at most %d (-1 = none)", game.MaxChatHistory))
	fs.Float64Var(&t.MessageRate, "message-rate", game.DefaultMessageRate, "game messages a second each player may send")
	fs.IntVar(&t.MessageBurst, "message-burst", game.DefaultMessageBurst, "game messages a player may send at once, beyond -message-rate")
	return cli.Section{Title: "Chat and game messages", Flags: []string{"chat-rate", "chat-burst", "chat-max-chars", "chat-history", "message-rate", "message-burst"}}
}

// validateTalk checks the chat and message flags; zero would silently mean
// the default in game.TalkConfig, so it is refused too.
func validateTalk(t game.TalkConfig) error {
	switch {
	case !(t.ChatRate > 0):
		return fmt.Errorf("-chat-rate %v: want more than 0", t.ChatRate)
	case t.ChatBurst < 1:
		return fmt.Errorf("-chat-burst %d: want at least 1", t.ChatBurst)
	case t.ChatMaxChars < 1:
		return fmt.Errorf("-chat-max-chars %d: want at least 1", t.ChatMaxChars)
	case t.ChatHistory < -1 || t.ChatHistory == 0 || t.ChatHistory > game.MaxChatHistory:
		return fmt.Errorf("-chat-history %d: want -1 (none) or 1 to %d (a join sends them at once)", t.ChatHistory, game.MaxChatHistory)
	case !(t.MessageRate > 0):
		return fmt.Errorf("-message-rate %v: want more than 0", t.MessageRate)
	case t.MessageBurst < 1:
		return fmt.Errorf("-message-burst %d: want at least 1", t.MessageBurst)
	}
	return nil
}
