package game

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// maxTalkQueue bounds a room's queue of lines and messages.
const maxTalkQueue = 1024

// roomTalk is a room's side of game messages, chat and notices. Room
// goroutine only, but for rules, which the ports read.
type roomTalk struct {
	rules     talkRules
	messenger Messenger     // the game, if it takes messages
	teams     ChatTeams     // the game, if it has chat teams
	moderator ChatModerator // the game, if it moderates chat
	outgoing  []Outgoing    // scratch for DrainMessages
	taken     []talkItem    // scratch for takeTalk
	// seq numbers the room's chat lines; log keeps the last
	// cfg.ChatHistory of them, oldest first, from head on.
	seq  uint64
	log  []chatEntry
	head int
}

// chatEntry is a line of the room's chat log.
type chatEntry struct {
	msg    *pb.ServerMessage // the line as sent live
	replay *pb.ServerMessage // the line with replay set, made when first needed
	team   uint32            // the sender's team, for team lines
}

// newRoomTalk returns the talk state of a room of cfg running g.
func newRoomTalk(cfg RoomConfig, g Game) roomTalk {
	t := roomTalk{rules: talkRules{
		cfg:    cfg.Talk,
		schema: cfg.Schema,
		room:   cfg.ID,
		mode:   cfg.Mode,
		clock:  cfg.Clock,
		queue:  new(fifo[talkItem]),
	}}
	// Every seat's share, up to a bound for the largest rooms: a
	// player's items rarely find the queue itself full.
	t.rules.queue.init(min(cfg.MaxPlayers*cfg.Talk.Queue, maxTalkQueue))
	t.messenger, t.rules.messages = g.(Messenger)
	t.teams, t.rules.teams = g.(ChatTeams)
	t.moderator, _ = g.(ChatModerator)
	return t
}

// takeTalk hands the game messages and chat lines that arrived since the
// last tick on, in the order they arrived. Room goroutine only.
func (r *Room) takeTalk() {
	r.talk.taken = r.talk.rules.queue.drain(r.talk.taken[:0])
	for _, it := range r.talk.taken {
		r.takeItem(it)
	}
	clear(r.talk.taken) // hold no departed port or text until the next tick
}

// takeItem hands one line or message on, unless its sender is gone.
func (r *Room) takeItem(it talkItem) {
	seat := it.port.seat
	seat.talkState.queued.Add(-1)
	if !it.port.Attached() || r.seatIndex(seat) < 0 {
		talkDropped.WithLabelValues(talkDroppedLeft).Inc()
		return
	}
	if it.chat {
		r.calling = CallChat
		r.chat(seat, it.channel, it.text)
		r.calling = ""
		return
	}
	r.calling = CallHandleMessage
	r.talk.messenger.HandleMessage(seat.player, it.msg)
	r.calling = ""
	r.rec.Message(seat.player, it.msg)
	gameMessagesIn.Inc()
}

// sendGameMessages sends what the game drained, reliably and in order.
// Room goroutine only.
func (r *Room) sendGameMessages() {
	t := &r.talk
	if t.messenger == nil {
		return
	}
	r.calling = CallDrainMessages
	t.outgoing = t.messenger.DrainMessages(t.outgoing[:0])
	r.calling = ""
	for i := range t.outgoing {
		out := &t.outgoing[i]
		kind := r.cfg.Schema.Message(out.Message.Kind)
		if kind == nil {
			talkDropped.WithLabelValues(talkDroppedBadKind).Inc()
			r.cfg.Logger.Debug("game sent a message of an unknown kind", "room", r.cfg.ID, "kind", out.Message.Kind)
			continue
		}
		msg := &pb.ServerMessage{Body: &pb.ServerMessage_GameMessage{GameMessage: &pb.GameMessage{
			Kind: kind.Kind, Values: trimZeros(out.Message.Values[:len(kind.Values)]),
		}}}
		n := proto.Size(msg)
		if len(out.To) == 0 {
			for _, s := range r.seats {
				if s.sendable() {
					s.send(msg, n)
					gameMessagesOut.Inc()
				}
			}
			continue
		}
		for _, p := range out.To {
			if s := r.seatOf(p); s != nil && s.sendable() {
				s.send(msg, n)
				gameMessagesOut.Inc()
			} else {
				talkDropped.WithLabelValues(talkDroppedNoSeat).Inc()
			}
		}
	}
	clear(t.outgoing) // the To slices are the game's
}

// trimZeros returns vs without its trailing zeros, copied.
func trimZeros(vs []int32) []int32 {
	n := len(vs)
	for n > 0 && vs[n-1] == 0 {
		n--
	}
	if n == 0 {
		return nil
	}
	return append([]int32(nil), vs[:n]...)
}

// chat numbers a line of seat, keeps it in the log and sends it to the
// room (or the sender's team) and its spectators.
func (r *Room) chat(seat *Seat, channel pb.ChatChannel, text string) {
	t := &r.talk
	if t.moderator != nil {
		replaced, ok := t.moderator.ModerateChat(seat.player, text)
		if !ok {
			chatRefused.WithLabelValues(chatRefusedModeration).Inc()
			if seat.sendable() {
				msg := wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_CHAT_REFUSED, "chat: refused by the game's moderation")
				seat.send(msg, proto.Size(msg))
			}
			return
		}
		text = replaced
	}
	t.seq++
	e := chatEntry{msg: &pb.ServerMessage{Body: &pb.ServerMessage_Chat{Chat: &pb.ChatLine{
		Seq:          t.seq,
		Channel:      channel,
		FromPlayer:   uint32(seat.player),
		Name:         seat.name,
		Text:         text,
		ServerTimeUs: r.cfg.Clock.Now().Microseconds(),
	}}}}
	team := channel == pb.ChatChannel_CHAT_CHANNEL_TEAM
	if team {
		e.team = t.teams.Team(seat.player)
	}
	n := proto.Size(e.msg)
	for _, s := range r.seats {
		if s.sendable() && (!team || t.teams.Team(s.player) == e.team) {
			s.send(e.msg, n)
		}
	}
	for _, sp := range r.spectators {
		sp.link.Send(e.msg)
	}
	chatLines.Inc()
	r.keepChat(e)
}

// keepChat adds e to the log, forgetting the oldest line past
// cfg.ChatHistory.
func (r *Room) keepChat(e chatEntry) {
	t := &r.talk
	size := t.rules.cfg.ChatHistory
	switch {
	case size <= 0:
	case len(t.log) < size:
		t.log = append(t.log, e)
	default:
		t.log[t.head] = e
		t.head = (t.head + 1) % size
	}
}

// sendChatHistory sends seat the log's lines it may see, oldest first,
// with replay set: after Joined, so that a player who joins or resumes
// misses none of the recent lines.
func (r *Room) sendChatHistory(seat *Seat) {
	t := &r.talk
	for i := range t.log {
		e := &t.log[(t.head+i)%len(t.log)]
		line := e.msg.GetChat()
		if line.Channel == pb.ChatChannel_CHAT_CHANNEL_TEAM && t.teams.Team(seat.player) != e.team {
			continue
		}
		if e.replay == nil {
			c := proto.Clone(line).(*pb.ChatLine)
			c.Replay = true
			e.replay = &pb.ServerMessage{Body: &pb.ServerMessage_Chat{Chat: c}}
		}
		seat.send(e.replay, proto.Size(e.replay))
	}
}

// Mute mutes player p's chat in the room (muted false lifts it): the
// player's lines are refused with CHAT_REFUSED until then. It returns
// ErrUnknownPlayer when no seat has p, ErrRoomClosed once Run has
// returned, or ctx's error.
func (r *Room) Mute(ctx context.Context, p PlayerID, muted bool) error {
	_, err := do(ctx, r, "mute", func() (struct{}, error) {
		seat := r.seatOf(p)
		if seat == nil {
			adminRefused.WithLabelValues(refuseUnknownPlayer).Inc()
			return struct{}{}, fmt.Errorf("mute player %d: %w", p, ErrUnknownPlayer)
		}
		seat.talkState.muted.Store(muted)
		r.cfg.Logger.Info("player muted", "room", r.cfg.ID, "player", p, "muted", muted)
		return struct{}{}, nil
	})
	return err
}

// Notify sends n to player p of the room, or with p Observer to every
// connected player and spectator, and returns how many it reached. It
// returns ErrUnknownPlayer when no seat has p, ErrRoomClosed once Run has
// returned, or ctx's error.
func (r *Room) Notify(ctx context.Context, p PlayerID, n *pb.Notice) (int, error) {
	msg := &pb.ServerMessage{Body: &pb.ServerMessage_Notice{Notice: n}}
	size := proto.Size(msg)
	return do(ctx, r, "notify", func() (int, error) {
		if p != Observer {
			seat := r.seatOf(p)
			if seat == nil {
				adminRefused.WithLabelValues(refuseUnknownPlayer).Inc()
				return 0, fmt.Errorf("notify player %d: %w", p, ErrUnknownPlayer)
			}
			if !seat.sendable() {
				return 0, nil
			}
			seat.send(msg, size)
			noticesSent.Inc()
			return 1, nil
		}
		reached := 0
		for _, s := range r.seats {
			if s.sendable() {
				s.send(msg, size)
				reached++
			}
		}
		for _, sp := range r.spectators {
			sp.link.Send(msg)
			reached++
		}
		noticesSent.Add(float64(reached))
		return reached, nil
	})
}

// NotifySpectators sends n to the room's spectators, who are no
// connections of the lobby's: the way a notice to the whole server
// reaches them. It returns once the request is queued.
func (r *Room) NotifySpectators(n *pb.Notice) {
	msg := &pb.ServerMessage{Body: &pb.ServerMessage_Notice{Notice: n}}
	r.enqueue(func() {
		for _, sp := range r.spectators {
			sp.link.Send(msg)
			noticesSent.Inc()
		}
	})
}
