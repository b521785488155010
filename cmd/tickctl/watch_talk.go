package main

import (
	"fmt"
	"strings"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// recentTalk is how many chat lines and notices watch shows.
const recentTalk = 10

// watchTalk is a chat line or notice line of watch -json.
type watchTalk struct {
	Type string `json:"type"` // "chat" or "notice"
	// Chat: the room's number of the line, its channel and sender.
	Seq     uint64 `json:"seq,omitempty"`
	Channel string `json:"channel,omitempty"`
	Player  uint32 `json:"player,omitempty"`
	Name    string `json:"name,omitempty"`
	// Notice: its severity and scope.
	Severity string `json:"severity,omitempty"`
	Scope    string `json:"scope,omitempty"`
	Text     string `json:"text"`
}

// talk takes in a chat line or notice of the watch stream and returns its
// -json line and its text line, or nil for another message.
func (v *watchView) talk(msg *pb.ServerMessage) (*watchTalk, string) {
	var t *watchTalk
	var text string
	switch {
	case msg.GetChat() != nil:
		c := msg.GetChat()
		channel := strings.ToLower(strings.TrimPrefix(c.GetChannel().String(), "CHAT_CHANNEL_"))
		t = &watchTalk{Type: "chat", Seq: c.GetSeq(), Channel: channel, Player: c.GetFromPlayer(), Name: c.GetName(), Text: c.GetText()}
		team := ""
		if c.GetChannel() == pb.ChatChannel_CHAT_CHANNEL_TEAM {
			team = " (team)"
		}
		text = fmt.Sprintf("chat #%d %s [%d]%s: %s", c.GetSeq(), c.GetName(), c.GetFromPlayer(), team, c.GetText())
	case msg.GetNotice() != nil:
		n := msg.GetNotice()
		severity := strings.ToLower(strings.TrimPrefix(n.GetSeverity().String(), "NOTICE_SEVERITY_"))
		scope := strings.ToLower(strings.TrimPrefix(n.GetScope().String(), "NOTICE_SCOPE_"))
		t = &watchTalk{Type: "notice", Severity: severity, Scope: scope, Text: n.GetText()}
		text = fmt.Sprintf("NOTICE %s (%s): %s", strings.ToUpper(severity), scope, n.GetText())
	default:
		return nil, ""
	}
	v.talkLines = append(v.talkLines, text)
	if len(v.talkLines) > recentTalk {
		v.talkLines = v.talkLines[len(v.talkLines)-recentTalk:]
	}
	return t, text
}
