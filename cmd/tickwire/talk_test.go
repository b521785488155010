package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tickwire/tickwire/game"
)

func TestTalkFlags(t *testing.T) {
	env := map[string]string{"TICKWIRE_CHAT_HISTORY": "-1"}
	c, err := parseConfig([]string{"-chat-rate", "0.5", "-chat-burst", "2", "-chat-max-chars", "80", "-message-rate", "5", "-message-burst", "7"},
		func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := game.TalkConfig{ChatRate: 0.5, ChatBurst: 2, ChatMaxChars: 80, ChatHistory: -1, MessageRate: 5, MessageBurst: 7}
	if c.talk.ChatRate != want.ChatRate || c.talk.ChatBurst != want.ChatBurst || c.talk.ChatMaxChars != want.ChatMaxChars ||
		c.talk.ChatHistory != want.ChatHistory || c.talk.MessageRate != want.MessageRate || c.talk.MessageBurst != want.MessageBurst {
		t.Errorf("talk %+v, want %+v", c.talk, want)
	}

	d, err := parseConfig(nil, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if d.talk.ChatRate != game.DefaultChatRate || d.talk.ChatHistory != game.DefaultChatHistory || d.talk.MessageBurst != game.DefaultMessageBurst {
		t.Errorf("defaults %+v", d.talk)
	}

	for _, tt := range []struct{ flag, value, want string }{
		{"-chat-rate", "0", "-chat-rate 0: want more than 0"},
		{"-chat-burst", "0", "-chat-burst 0: want at least 1"},
		{"-chat-max-chars", "0", "-chat-max-chars 0: want at least 1"},
		{"-chat-history", "0", "-chat-history 0: want -1 (none) or 1 to 56"},
		{"-chat-history", "57", "-chat-history 57: want -1 (none) or 1 to 56 (a join sends them at once)"},
		{"-message-rate", "-1", "-message-rate -1: want more than 0"},
		{"-message-burst", "0", "-message-burst 0: want at least 1"},
	} {
		var stderr bytes.Buffer
		_, err := parseConfig([]string{tt.flag, tt.value}, func(string) string { return "" }, &stderr)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: %v, want an error with %q", tt.flag, tt.value, err, tt.want)
		}
	}
}
