package client

import (
	"fmt"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// SendMessage sends the room's game a game message of kind (one of the
// schema's Messages) with values in the kind's order. The server answers a
// refusal with an Error of code MESSAGE_REFUSED, which reaches OnMessage;
// the game's own messages reach OnGameMessage.
func (c *Client) SendMessage(kind uint32, values ...int32) error {
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_GameMessage{GameMessage: &pb.GameMessage{Kind: kind, Values: values}}}
	if err := c.send(msg); err != nil {
		return fmt.Errorf("client: game message: %w", err)
	}
	return nil
}

// Chat says text to everyone in the room. The server numbers the line and
// sends it to every member, the sender included, which OnChat then sees;
// a refusal is an Error of code CHAT_REFUSED, which reaches OnMessage.
func (c *Client) Chat(text string) error {
	return c.chat(pb.ChatChannel_CHAT_CHANNEL_ROOM, text)
}

// ChatTeam says text to the player's team, in a mode with chat teams.
func (c *Client) ChatTeam(text string) error {
	return c.chat(pb.ChatChannel_CHAT_CHANNEL_TEAM, text)
}

func (c *Client) chat(channel pb.ChatChannel, text string) error {
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_Chat{Chat: &pb.SendChat{Channel: channel, Text: text}}}
	if err := c.send(msg); err != nil {
		return fmt.Errorf("client: chat: %w", err)
	}
	return nil
}

// talkError reports whether e refuses a chat line or game message:
// those are no answer to a request.
func talkError(e *pb.Error) bool {
	switch e.GetCode() {
	case pb.ErrorCode_ERROR_CODE_CHAT_REFUSED, pb.ErrorCode_ERROR_CODE_MESSAGE_REFUSED:
		return true
	}
	return false
}

// takeChatLocked reports whether line is new to the client: a line the
// server replays on a resume (replay set) that the client saw before it
// lost the connection is not, so OnChat sees every line once.
func (c *Client) takeChatLocked(line *pb.ChatLine) bool {
	if line.GetSeq() <= c.chatSeq {
		return false
	}
	c.chatSeq = line.GetSeq()
	return true
}
