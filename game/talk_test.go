package game

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// talkSchema is fakeSchema with two message kinds.
var talkSchema = func() *wire.Schema {
	s := *fakeSchema
	s.Messages = []wire.MessageKind{
		{Kind: 1, Name: "ask", Values: []wire.Field{{Name: "n", Type: wire.TypeInt, Min: -10, Max: 10}, {Name: "m", Type: wire.TypeInt}}},
		{Kind: 2, Name: "answer", Values: []wire.Field{{Name: "n", Type: wire.TypeInt}}},
	}
	return &s
}()

// talkGame is a fakeGame that takes messages (answering the asker with
// kind 2 and, for n = 0, everyone), chats in teams (odd and even
// players) and moderates lines saying "darn".
type talkGame struct {
	*fakeGame
	tmu    sync.Mutex
	got    []string
	outbox []Outgoing
}

func (g *talkGame) HandleMessage(p PlayerID, m Message) {
	g.tmu.Lock()
	defer g.tmu.Unlock()
	g.got = append(g.got, strings.Join([]string{string(rune('0' + p)), string(rune('0' + m.Kind)), itoa(m.Values[0]), itoa(m.Values[1])}, " "))
	out := Outgoing{Message: Message{Kind: 2}}
	out.Message.Values[0] = m.Values[0]
	if m.Values[0] != 0 {
		out.To = []PlayerID{p}
	}
	g.outbox = append(g.outbox, out, Outgoing{Message: Message{Kind: 99}})
}

func (g *talkGame) DrainMessages(dst []Outgoing) []Outgoing {
	g.tmu.Lock()
	defer g.tmu.Unlock()
	dst = append(dst, g.outbox...)
	g.outbox = g.outbox[:0]
	return dst
}

func (g *talkGame) Team(p PlayerID) uint32 { return uint32(p % 2) }

func (g *talkGame) ModerateChat(_ PlayerID, text string) (string, bool) {
	return text, !strings.Contains(text, "darn")
}

func (g *talkGame) messages() []string {
	g.tmu.Lock()
	defer g.tmu.Unlock()
	return slices.Clone(g.got)
}

func itoa(v int32) string {
	if v < 0 {
		return "-" + itoa(-v)
	}
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}

// talkCfg is runCfg for talkSchema with four seats.
func talkCfg() RoomConfig {
	cfg := runCfg(NewManualClock(0))
	cfg.Schema, cfg.MaxPlayers = talkSchema, 4
	return cfg
}

// startTalkRoom runs a talkGame room.
func startTalkRoom(t *testing.T, cfg RoomConfig) (*running, *talkGame) {
	t.Helper()
	g := &talkGame{fakeGame: newFakeGame()}
	rr := runRoom(t, context.Background(), g, cfg)
	rr.g = g.fakeGame
	return rr, g
}

// gameMessages returns the game messages l received.
func (l *fakeLink) gameMessages() []*pb.GameMessage {
	return received(l, (*pb.ServerMessage).GetGameMessage)
}

// chatLines returns the chat lines l received.
func (l *fakeLink) chatLines() []*pb.ChatLine {
	return received(l, (*pb.ServerMessage).GetChat)
}

// errorMessages returns the error messages l received.
func (l *fakeLink) errorMessages() []*pb.Error {
	return received(l, (*pb.ServerMessage).GetError)
}

func TestGameMessagesInOrderAnsweredAndRecorded(t *testing.T) {
	cfg := talkCfg()
	rec := &fakeRecorder{}
	cfg.Recorder = rec
	rr, g := startTalkRoom(t, cfg)
	ctx := context.Background()
	la, lb := newFakeLink(t), newFakeLink(t)
	a, err := rr.r.Join(ctx, "ann", la)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rr.r.Join(ctx, "bob", lb)
	if err != nil {
		t.Fatal(err)
	}
	for _, push := range []func() error{
		func() error { return a.PushMessage(&pb.GameMessage{Kind: 1, Values: []int32{3, 7}}) },
		func() error { return b.PushMessage(&pb.GameMessage{Kind: 1, Values: []int32{99}}) }, // clamped to 10
		func() error { return a.PushMessage(&pb.GameMessage{Kind: 1}) },                      // to everyone
	} {
		if err := push(); err != nil {
			t.Fatal(err)
		}
	}
	rr.tick(1)
	if got, want := g.messages(), []string{"1 1 3 7", "2 1 10 0", "1 1 0 0"}; !slices.Equal(got, want) {
		t.Fatalf("game got %q, want %q", got, want)
	}
	values := func(ms []*pb.GameMessage) [][]int32 {
		var out [][]int32
		for _, m := range ms {
			if m.GetKind() != 2 {
				t.Errorf("a message of kind %d reached a player", m.GetKind())
			}
			out = append(out, m.GetValues())
		}
		return out
	}
	// Kind 99 is no kind of the schema: dropped. n = 0 trims to no values.
	if got := values(la.gameMessages()); len(got) != 2 || got[0][0] != 3 || len(got[1]) != 0 {
		t.Errorf("ann got %v, want her answer 3 and the broadcast", got)
	}
	if got := values(lb.gameMessages()); len(got) != 2 || got[0][0] != 10 || len(got[1]) != 0 {
		t.Errorf("bob got %v, want his answer 10 and the broadcast", got)
	}
	var recorded []string
	for _, c := range rec.all() {
		if strings.HasPrefix(c, "message") {
			recorded = append(recorded, c)
		}
	}
	if want := []string{"message 1 1 3", "message 2 1 10", "message 1 1 0"}; !slices.Equal(recorded, want) {
		t.Errorf("recorded %q, want %q", recorded, want)
	}
}

func TestGameMessageRefusals(t *testing.T) {
	cfg := talkCfg()
	cfg.Talk.MessageRate, cfg.Talk.MessageBurst = 1, 2
	rr, _ := startTalkRoom(t, cfg)
	a, err := rr.r.Join(context.Background(), "ann", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		msg    *pb.GameMessage
		code   pb.ErrorCode
		reason string
		text   string
		quiet  bool
	}{
		{"unknown kind", &pb.GameMessage{Kind: 5}, pb.ErrorCode_ERROR_CODE_MESSAGE_REFUSED, messageRefusedKind, "unknown kind 5", false},
		{"too many values", &pb.GameMessage{Kind: 2, Values: []int32{1, 2}}, pb.ErrorCode_ERROR_CODE_MESSAGE_REFUSED, messageRefusedValues, `"answer": 2 values, at most 1`, false},
		{"first of burst", &pb.GameMessage{Kind: 1}, 0, "", "", false},
		{"second of burst", &pb.GameMessage{Kind: 1}, 0, "", "", false},
		{"past the budget", &pb.GameMessage{Kind: 1}, pb.ErrorCode_ERROR_CODE_MESSAGE_REFUSED, messageRefusedRate, "rate limited: at most 1 a second (burst 2)", false},
		{"again, quietly", &pb.GameMessage{Kind: 1}, pb.ErrorCode_ERROR_CODE_MESSAGE_REFUSED, messageRefusedRate, "at most 1 a second", true},
	}
	for _, tt := range tests {
		err := a.PushMessage(tt.msg)
		var ref *Refusal
		switch {
		case tt.code == 0 && err != nil:
			t.Errorf("%s: %v, want accepted", tt.name, err)
		case tt.code == 0:
		case !errors.As(err, &ref):
			t.Errorf("%s: %v, want a refusal", tt.name, err)
		case ref.Code != tt.code || ref.Reason != tt.reason || !strings.Contains(ref.Text, tt.text) || ref.Quiet != tt.quiet:
			t.Errorf("%s: refusal %+v, want code %v reason %s text ~%q quiet %t", tt.name, ref, tt.code, tt.reason, tt.text, tt.quiet)
		}
	}
	// The budget refills with the room clock.
	rr.tick(100) // one second
	if err := a.PushMessage(&pb.GameMessage{Kind: 1}); err != nil {
		t.Errorf("after a second: %v, want accepted", err)
	}
	// A game without messages refuses them all.
	plain := startRoom(t, context.Background(), newFakeGame(), runCfg(NewManualClock(0)))
	p, err := plain.r.Join(context.Background(), "cy", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	var ref *Refusal
	if err := p.PushMessage(&pb.GameMessage{Kind: 1}); !errors.As(err, &ref) || ref.Reason != messageRefusedNoMessages {
		t.Errorf("message to a game without messages: %v, want no_messages", err)
	}
}

func TestChatLinesNumberedTeamsAndHistory(t *testing.T) {
	cfg := talkCfg()
	cfg.Talk.ChatHistory = 3
	rr, _ := startTalkRoom(t, cfg)
	ctx := context.Background()
	links := []*fakeLink{newFakeLink(t), newFakeLink(t), newFakeLink(t)}
	var ports []*InputPort
	for i, name := range []string{"ann", "bob", "cy"} {
		p, err := rr.r.Join(ctx, name, links[i])
		if err != nil {
			t.Fatal(err)
		}
		ports = append(ports, p)
	}
	say := func(p *InputPort, ch pb.ChatChannel, text string) {
		t.Helper()
		if err := p.PushChat(ch, text); err != nil {
			t.Fatalf("chat %q: %v", text, err)
		}
	}
	say(ports[0], pb.ChatChannel_CHAT_CHANNEL_ROOM, "  hello  ")
	say(ports[1], pb.ChatChannel_CHAT_CHANNEL_ROOM, "hi ann")
	say(ports[2], pb.ChatChannel_CHAT_CHANNEL_TEAM, "psst ann") // players 1 and 3 are a team
	say(ports[1], pb.ChatChannel_CHAT_CHANNEL_ROOM, "darn")     // the game's moderation drops it
	rr.tick(1)
	texts := func(lines []*pb.ChatLine) []string {
		var out []string
		for _, l := range lines {
			out = append(out, itoa(int32(l.GetSeq()))+" "+l.GetName()+": "+l.GetText())
		}
		return out
	}
	want := map[int][]string{
		0: {"1 ann: hello", "2 bob: hi ann", "3 cy: psst ann"},
		1: {"1 ann: hello", "2 bob: hi ann"},
		2: {"1 ann: hello", "2 bob: hi ann", "3 cy: psst ann"},
	}
	for i, l := range links {
		if got := texts(l.chatLines()); !slices.Equal(got, want[i]) {
			t.Errorf("player %d got %q, want %q", i+1, got, want[i])
		}
	}
	if errs := links[1].errorMessages(); len(errs) != 1 || errs[0].GetCode() != pb.ErrorCode_ERROR_CODE_CHAT_REFUSED {
		t.Errorf("bob's moderated line: errors %v, want one CHAT_REFUSED", errs)
	}
	// A resumed seat gets the lines it may see again, marked replay.
	rr.r.Disconnect(ports[1])
	say(ports[0], pb.ChatChannel_CHAT_CHANNEL_ROOM, "bob?")
	rr.tick(1)
	back := newFakeLink(t)
	if _, err := rr.r.Resume(ctx, ports[1].Seat(), back); err != nil {
		t.Fatal(err)
	}
	lines := back.chatLines()
	// Three lines are kept (2, 3, 4), and 3 was to the other team.
	if got, want := texts(lines), []string{"2 bob: hi ann", "4 ann: bob?"}; !slices.Equal(got, want) {
		t.Errorf("resumed bob got %q, want %q", got, want)
	}
	for _, l := range lines {
		if !l.GetReplay() {
			t.Errorf("history line %d without replay", l.GetSeq())
		}
	}
	// So does a new player (4, team 0, as bob).
	ld := newFakeLink(t)
	if _, err := rr.r.Join(ctx, "dee", ld); err != nil {
		t.Fatal(err)
	}
	if got, want := texts(ld.chatLines()), []string{"2 bob: hi ann", "4 ann: bob?"}; !slices.Equal(got, want) {
		t.Errorf("new player got %q, want %q", got, want)
	}
}

func TestChatRefusals(t *testing.T) {
	cfg := talkCfg()
	cfg.Talk.ChatMaxChars = 5
	cfg.Talk.Moderate = func(l ChatLine) (string, bool) {
		return strings.ReplaceAll(l.Text, "heck", "h**k"), l.Text != "spam"
	}
	rr, _ := startTalkRoom(t, cfg)
	ctx := context.Background()
	a, err := rr.r.Join(ctx, "ann", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := rr.r.Join(ctx, "bob", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := rr.r.Mute(ctx, 2, true); err != nil {
		t.Fatal(err)
	}
	if err := rr.r.Mute(ctx, 9, true); !errors.Is(err, ErrUnknownPlayer) {
		t.Errorf("mute of player 9: %v, want ErrUnknownPlayer", err)
	}
	chatRefusedCode := pb.ErrorCode_ERROR_CODE_CHAT_REFUSED
	tests := []struct {
		name   string
		port   *InputPort
		ch     pb.ChatChannel
		text   string
		code   pb.ErrorCode
		reason string
		msg    string
	}{
		{"empty", a, 0, "   ", chatRefusedCode, chatRefusedEmpty, "empty line"},
		{"too long", a, 0, "héllo!", chatRefusedCode, chatRefusedTooLong, "line of 6 characters, at most 5"},
		{"newline", a, 0, "a\nb", chatRefusedCode, chatRefusedControl, "control characters"},
		{"bidi override", a, 0, "a\u202eb", chatRefusedCode, chatRefusedControl, "control characters"},
		{"unknown channel", a, 7, "hi", chatRefusedCode, chatRefusedChannel, "unknown channel 7"},
		{"muted", b, 0, "hi", chatRefusedCode, chatRefusedMuted, "muted"},
		{"moderation", a, 0, "spam", chatRefusedCode, chatRefusedModeration, "moderation"},
		{"five characters", a, 0, "héllo", 0, "", ""},
		{"replaced", a, 0, "heck", 0, "", ""},
		{"third", a, 0, "3", 0, "", ""},
		{"fourth", a, 0, "4", 0, "", ""},
		// The line moderation refused counted: this is the sixth.
		{"past the budget", a, 0, "5", chatRefusedCode, chatRefusedRate, "rate limited: at most 2 lines a second (burst 5)"},
	}
	for _, tt := range tests {
		err := tt.port.PushChat(tt.ch, tt.text)
		var ref *Refusal
		switch {
		case tt.code == 0 && err != nil:
			t.Errorf("%s: %v, want accepted", tt.name, err)
		case tt.code == 0:
		case !errors.As(err, &ref):
			t.Errorf("%s: %v, want a refusal", tt.name, err)
		case ref.Code != tt.code || ref.Reason != tt.reason || !strings.Contains(ref.Text, tt.msg):
			t.Errorf("%s: refusal %+v, want code %v reason %s text ~%q", tt.name, ref, tt.code, tt.reason, tt.msg)
		}
	}
	rr.tick(1)
	if err := rr.r.Mute(ctx, 2, false); err != nil {
		t.Fatal(err)
	}
	if err := b.PushChat(0, "free"); err != nil {
		t.Errorf("after the mute was lifted: %v", err)
	}
	rr.tick(1)
	var got []string
	for _, l := range a.seat.link.(*fakeLink).chatLines() {
		got = append(got, l.GetText())
	}
	if want := []string{"héllo", "h**k", "3", "4", "free"}; !slices.Equal(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}
}

func TestNotify(t *testing.T) {
	rr, _ := startTalkRoom(t, talkCfg())
	ctx := context.Background()
	la, lb := newFakeLink(t), newFakeLink(t)
	if _, err := rr.r.Join(ctx, "ann", la); err != nil {
		t.Fatal(err)
	}
	if _, err := rr.r.Join(ctx, "bob", lb); err != nil {
		t.Fatal(err)
	}
	n := &pb.Notice{Text: "maintenance", Scope: pb.NoticeScope_NOTICE_SCOPE_ROOM}
	if got, err := rr.r.Notify(ctx, Observer, n); err != nil || got != 2 {
		t.Fatalf("Notify room = %d, %v; want 2", got, err)
	}
	if got, err := rr.r.Notify(ctx, 2, &pb.Notice{Text: "just bob"}); err != nil || got != 1 {
		t.Fatalf("Notify player 2 = %d, %v; want 1", got, err)
	}
	if _, err := rr.r.Notify(ctx, 7, n); !errors.Is(err, ErrUnknownPlayer) {
		t.Fatalf("Notify player 7: %v, want ErrUnknownPlayer", err)
	}
	count := func(l *fakeLink) (n int) {
		for _, e := range l.all() {
			if e.msg.GetNotice() != nil {
				n++
			}
		}
		return n
	}
	if count(la) != 1 || count(lb) != 2 {
		t.Errorf("notices: ann %d, bob %d; want 1 and 2", count(la), count(lb))
	}
}

// TestTalkBudgetsSurviveResume: chat and message budgets are the seat's,
// so a player who spent them and comes back on a new connection finds
// them spent (each connection used to start with full ones).
func TestTalkBudgetsSurviveResume(t *testing.T) {
	cfg := talkCfg()
	cfg.Talk.ChatBurst, cfg.Talk.MessageBurst = 2, 1
	rr, _ := startTalkRoom(t, cfg)
	ctx := context.Background()
	a, err := rr.r.Join(ctx, "ann", newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := a.PushChat(0, "hi"); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.PushMessage(&pb.GameMessage{Kind: 1}); err != nil {
		t.Fatal(err)
	}
	rr.r.Disconnect(a)
	b, err := rr.r.Resume(ctx, a.Seat(), newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	var ref *Refusal
	if err := b.PushChat(0, "again"); !errors.As(err, &ref) || ref.Reason != chatRefusedRate {
		t.Errorf("chat after a resume with the budget spent: %v, want a rate refusal", err)
	}
	if err := b.PushMessage(&pb.GameMessage{Kind: 1}); !errors.As(err, &ref) || ref.Reason != messageRefusedRate {
		t.Errorf("message after a resume with the budget spent: %v, want a rate refusal", err)
	}
}
