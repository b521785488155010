package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// chatPrefix starts every line a bot says: "tb <bot> <unix ns>", so that
// the bots of one run, sharing one clock, measure each line's delivery.
const chatPrefix = "tb "

// chatTally counts the run's chat and notices; the tally's mutex guards it.
type chatTally struct {
	sent, received, notices uint64
	latency                 histogram // say → another bot's OnChat
}

// chatSent records a line a bot said.
func (t *tally) chatSent() {
	t.mu.Lock()
	t.chat.sent++
	t.mu.Unlock()
}

// chatLine records a line bot self received: lines of other bots, live
// (not the history a join sends), count, with their delivery time.
func (t *tally) chatLine(self int, line *pb.ChatLine, now time.Time) {
	from, at, ok := parseChat(line.GetText())
	if !ok || from == self || line.GetReplay() {
		return
	}
	t.mu.Lock()
	t.chat.received++
	t.chat.latency.add(now.Sub(at))
	t.mu.Unlock()
}

// notice records a notice a bot received.
func (t *tally) notice() {
	t.mu.Lock()
	t.chat.notices++
	t.mu.Unlock()
}

// chatText is bot's line said at now.
func chatText(bot int, now time.Time) string {
	return fmt.Sprintf("%s%d %d", chatPrefix, bot, now.UnixNano())
}

// parseChat reads a bot's line back; ok is false for anyone else's.
func parseChat(text string) (bot int, at time.Time, ok bool) {
	rest, found := strings.CutPrefix(text, chatPrefix)
	if !found {
		return 0, time.Time{}, false
	}
	b, ns, found := strings.Cut(rest, " ")
	if !found {
		return 0, time.Time{}, false
	}
	bot, err1 := strconv.Atoi(b)
	n, err2 := strconv.ParseInt(ns, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, time.Time{}, false
	}
	return bot, time.Unix(0, n), true
}

// chatOptions makes a bot's client count chat lines and notices, and
// refused lines as errors.
func chatOptions(cfg *client.ClientConfig, f *fleet, b *bot) {
	cfg.OnChat = func(line *pb.ChatLine) { f.tally.chatLine(b.id, line, time.Now()) }
	cfg.OnNotice = func(*pb.Notice) { f.tally.notice() }
}

// chatTicker returns the ticker of a bot's lines at -chat a second, nil
// (whose channel never fires) when the bots do not chat.
func chatTicker(c config) (*time.Ticker, <-chan time.Time) {
	if c.chatRate <= 0 {
		return nil, nil
	}
	t := time.NewTicker(time.Duration(float64(time.Second) / c.chatRate))
	return t, t.C
}

// say makes the bot say a line.
func (b *bot) say(f *fleet, c *client.Client, now time.Time) {
	if c.Joined() == nil {
		return
	}
	if err := c.Chat(chatText(b.id, now)); err != nil {
		if !ignorableSendError(err) {
			f.log.Debug("chat", "bot", b.name, "err", err)
		}
		return
	}
	f.tally.chatSent()
}

// talkRefused reports whether e refuses a bot's chat line: an error of the
// run (a -chat above the server's budget, say).
func talkRefused(e *pb.Error) bool {
	return e.GetCode() == pb.ErrorCode_ERROR_CODE_CHAT_REFUSED
}
