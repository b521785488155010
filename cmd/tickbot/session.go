package main

import (
	"context"
	"errors"

	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// errNotSupported marks a flag this build's client library cannot honour.
var errNotSupported = errors.New("not supported by this build")

// The client library features -room and -chaos-disconnect depend on; kept
// as switches so a client without them refuses the flags clearly.
const (
	supportsJoinCode = true
	supportsResume   = true
)

// resumeOptions turns on the client's reconnection for the bots whose
// connections the run drops on purpose: every bot under -chaos-disconnect,
// and slow bots, which the server may close as slow consumers. Every other
// bot keeps reconnection off, so a lost connection ends it and counts as
// an error instead of hiding behind a resume.
func resumeOptions(cfg *client.ClientConfig, f *fleet, b *bot) {
	if f.cfg.chaosDisconnect == 0 && !b.plan.slow {
		return
	}
	cfg.Reconnect = client.ReconnectPolicy{Enabled: true}
	cfg.OnDisconnect = func(err error) { b.lost(f, err) }
	cfg.OnReconnect = func(resumed bool) { b.reconnected(f, resumed) }
}

// lost judges a connection loss the client is about to redial after.
func (b *bot) lost(f *fleet, err error) {
	var ce *wire.CloseError
	switch {
	case b.dropping.Swap(false):
		// The bot cut it itself (chaos drop), already counted.
	case b.plan.slow && errors.As(err, &ce) && ce.Reason == pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER:
		f.tally.expect("slow bot closed as slow consumer")
	default:
		f.tally.unexpected("connection lost: " + failReason(err))
		f.log.Warn("bot connection lost", "bot", b.name, "err", err)
	}
}

// reconnected records a redial; a session that did not get its seat back
// is the server's failure to resume, unless the server refused the
// session's token (it restarted with another secret, or revoked the
// session) and the client signed in again: the seat went with the
// session. Either way the bot goes back to quick play.
func (b *bot) reconnected(f *fleet, resumed bool) {
	if resumed {
		f.tally.expect("session resumed")
		return
	}
	if c := b.client.Load(); c != nil && c.Stats().SignIns > b.signIns {
		b.signIns = c.Stats().SignIns
		f.tally.expect("signed in again: the server refused the session's token")
	} else {
		f.tally.unexpected("reconnected without the held seat")
	}
	select {
	case b.lostSeat <- struct{}{}:
	default:
	}
}

// joinRoom takes a seat: by the -room join code, else by quick play in
// mode.
func joinRoom(ctx context.Context, c *client.Client, cfg config, mode string) (*pb.Joined, error) {
	if cfg.room != "" {
		return c.JoinCode(ctx, cfg.room)
	}
	return c.Join(ctx, mode, "")
}

// dropConnection cuts the client's socket without a close frame, as a
// network failure would; the client must notice, redial and resume. It
// reports false while the client is already redialing.
func dropConnection(b *bot, c *client.Client) bool {
	if c.Reconnecting() {
		return false
	}
	b.dropping.Store(true)
	c.DropConnection()
	return true
}

// reconnectCounts returns the client's disconnect and reconnect counters.
func reconnectCounts(st client.ClientStats) (disconnects, reconnects uint64) {
	return st.Disconnects, st.Reconnects
}
