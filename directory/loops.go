package directory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// heartbeat writes the node's record with a fresh TTL.
func (d *Redis) heartbeat(ctx context.Context) error {
	_, err := d.renew(ctx)
	return err
}

// renew writes the node's record with a fresh TTL and reports whether the
// record had lapsed: then other nodes may have reaped this node's rooms
// (a pause longer than the TTL), and the caller registers them again.
func (d *Redis) renew(ctx context.Context) (lapsed bool, err error) {
	d.mu.Lock()
	self, hooks, draining := d.self, d.hooks, d.draining
	d.mu.Unlock()
	players, rooms := 0, 0
	if hooks.LocalRooms != nil {
		for _, r := range hooks.LocalRooms() {
			players += r.Players
			rooms++
		}
	}
	res, err := renewScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, self.ID, d.token, self.URL, flag(draining),
		self.MaxRooms, players, rooms, d.cfg.TTL.Milliseconds()).StringSlice()
	if err != nil {
		return false, err
	}
	if len(res) != 2 {
		return false, fmt.Errorf("heartbeat: unexpected reply %q", res)
	}
	if res[0] == "taken" {
		return false, &takenError{url: res[1]}
	}
	return res[1] == "0", nil
}

// takenError is a heartbeat's finding that another node, at url, has
// claimed this node's id.
type takenError struct{ url string }

func (e *takenError) Error() string { return "node id taken over by the node at " + e.url }

func (e *takenError) Unwrap() error { return ErrNodeTaken }

// idLost returns, while another node holds this node's id, the error the
// calls that place or seat players give: the node refuses matchmaking
// then, as in an outage. (From the takeover to the heartbeat that finds
// it, they still run.)
func (d *Redis) idLost() error {
	d.mu.Lock()
	url := d.takenBy
	d.mu.Unlock()
	if url == "" {
		return nil
	}
	return unavailable(&takenError{url: url})
}

// lostID records that another node took this node's id over while this
// node was silent past the TTL. The node then stays out of the directory,
// its matchmaking refusing as in an outage, until that node leaves and a
// heartbeat finds the id free again.
func (d *Redis) lostID(err *takenError) {
	errorsTotal.WithLabelValues("node_taken").Inc()
	d.mu.Lock()
	first := d.takenBy != err.url
	d.takenBy = err.url
	d.mu.Unlock()
	d.setHealthy(false)
	if first {
		d.log.Error("another node took this node's id while this node was silent; this node stays out of the directory until that node leaves: give each node its own -node-id",
			"node", d.Self().ID, "other_url", err.url)
	}
}

// beat is the heartbeat goroutine: it renews the node, notices the store
// coming back (and registers the node's rooms again), reaps dead nodes and
// sweeps rooms placed here that never opened.
func (d *Redis) beat(life context.Context) {
	defer d.wg.Done()
	t := time.NewTicker(d.cfg.Heartbeat)
	defer t.Stop()
	for {
		select {
		case <-life.Done():
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(life, opTimeout)
		d.tick(ctx)
		cancel()
	}
}

// tick is one heartbeat.
func (d *Redis) tick(ctx context.Context) {
	lapsed, err := d.renew(ctx)
	var taken *takenError
	if errors.As(err, &taken) {
		d.lostID(taken)
		return
	}
	if err != nil {
		_ = d.fail("heartbeat", err)
		return
	}
	d.mu.Lock()
	d.takenBy = ""
	d.mu.Unlock()
	if lapsed && d.healthyNow() {
		// Alive all along, but silent past the TTL: the rooms may have
		// been reaped.
		lapses.Inc()
		d.log.Warn("this node's directory record had lapsed: registering its rooms again")
		if err := d.reregister(ctx); err != nil {
			_ = d.fail("reregister", err)
			return
		}
	}
	if !d.healthyNow() {
		if err := d.reregister(ctx); err != nil {
			_ = d.fail("reregister", err)
			return
		}
		d.setHealthy(true)
		recoveries.Inc()
		d.log.Info("room directory reachable again: node and rooms registered again")
		if h := d.hooksNow(); h.Reconnected != nil {
			h.Reconnected()
		}
	}
	if _, err := d.reap(ctx); err != nil {
		_ = d.fail("reap", err)
		return
	}
	if err := d.sweep(ctx); err != nil {
		_ = d.fail("sweep", err)
	}
}

func (d *Redis) hooksNow() Hooks {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hooks
}

// reregister records every local room again, as it is now. It runs on
// the write goroutine, after the writes queued before it (which the rooms'
// state already reflects), with the node's placements paused: a seat the
// directory counted in but the node has not yet, or the reverse, would
// otherwise be lost or counted twice by the absolute counts it writes.
func (d *Redis) reregister(ctx context.Context) error {
	done := make(chan error, 1)
	f := func(ctx context.Context) error {
		err := d.registerAll(ctx)
		done <- err
		return err
	}
	select {
	case d.writes <- f:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// registerAll writes every local room, placements paused.
func (d *Redis) registerAll(ctx context.Context) error {
	h := d.hooksNow()
	if h.LocalRooms == nil {
		return nil
	}
	if h.Pause != nil {
		defer h.Pause()()
	}
	for _, r := range h.LocalRooms() {
		if err := d.register(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// reap takes the nodes silent for twice the TTL and their rooms out, and
// relays the rooms' closing. (A leaving node takes itself out: Close.)
func (d *Redis) reap(ctx context.Context) (int, error) {
	grace := 2 * d.cfg.TTL
	res, err := reapScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, grace.Milliseconds()).StringSlice()
	if err != nil {
		return 0, err
	}
	return d.relayClosed(ctx, res), nil
}

// relayClosed counts and relays the closing of the rooms a script took
// out, given as {room id, mode, node} triples, and returns how many.
func (d *Redis) relayClosed(ctx context.Context, triples []string) int {
	n := 0
	for i := 0; i+2 < len(triples); i += 3 {
		n++
		roomsReaped.Inc()
		d.publish(ctx, Update{Kind: UpdateClosed, Room: Room{ID: triples[i], Mode: triples[i+1], Node: triples[i+2], Phase: "ended"}})
	}
	if n > 0 {
		d.log.Info("took the rooms of dead or departed nodes out of the directory", "rooms", n)
	}
	return n
}

// sweep takes out the rooms placed on this node that it does not run and
// that are older than PendingGrace: placements whose players never came,
// or rooms whose closing was lost in an outage.
func (d *Redis) sweep(ctx context.Context) error {
	h := d.hooksNow()
	if h.LocalRooms == nil {
		return nil
	}
	ids, err := d.rdb.SMembers(ctx, d.key("noderooms", d.Self().ID)).Result()
	if err != nil {
		return err
	}
	local := make(map[string]bool)
	for _, r := range h.LocalRooms() {
		local[r.ID] = true
	}
	cutoff := time.Now().Add(-d.cfg.PendingGrace).UnixMilli()
	for _, id := range ids {
		if local[id] {
			continue
		}
		created, err := d.rdb.HGet(ctx, d.key("room", id), "created").Int64()
		if err == redis.Nil || (err == nil && created < cutoff) {
			if err := d.closeRoom(ctx, id); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// listen is the subscriber goroutine: it hands other nodes' room updates
// and session claims to the hooks. go-redis resubscribes by itself after
// the store comes back.
func (d *Redis) listen(life context.Context, sub *redis.PubSub) {
	defer d.wg.Done()
	self := d.Self().ID
	hooks := d.hooksNow()
	ch := sub.Channel()
	for {
		select {
		case <-life.Done():
			closeSubscription(sub, ch)
			return
		case msg, ok := <-ch:
			if !ok {
				return
			}
			switch msg.Channel {
			case d.key("updates"):
				var u Update
				if err := json.Unmarshal([]byte(msg.Payload), &u); err != nil {
					d.log.Warn("undecodable room update", "err", err)
					continue
				}
				if u.Room.Node != self && hooks.Update != nil {
					hooks.Update(u)
				}
			case d.key("sessions"):
				node, sid, _ := strings.Cut(msg.Payload, " ")
				if node != self && hooks.SessionClaimed != nil {
					hooks.SessionClaimed(sid)
				}
			}
		}
	}
}

// closeSubscription closes sub and drains ch until go-redis closes it:
// its reader goroutine may be blocked handing over one last message, and
// would otherwise outlive the directory (for up to a minute).
func closeSubscription(sub *redis.PubSub, ch <-chan *redis.Message) {
	_ = sub.Close()
	safety := time.NewTimer(5 * time.Second)
	defer safety.Stop()
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-safety.C:
			return
		}
	}
}

// queue hands a write to the write goroutine without blocking; while the
// store is unreachable writes are dropped (counted): re-registration
// restores the node's rooms when it is back.
func (d *Redis) queue(f func(context.Context) error) {
	if !d.healthyNow() {
		writesDropped.WithLabelValues("unavailable").Inc()
		return
	}
	select {
	case d.writes <- f:
	default:
		writesDropped.WithLabelValues("queue_full").Inc()
	}
}

// drain is the write goroutine.
func (d *Redis) drain(life context.Context) {
	defer d.wg.Done()
	for {
		select {
		case <-life.Done():
			return
		case f := <-d.writes:
			ctx, cancel := context.WithTimeout(life, opTimeout)
			var taken *takenError
			if err := f(ctx); errors.As(err, &taken) {
				d.lostID(taken) // a draining node's heartbeat
			} else if err != nil && life.Err() == nil {
				_ = d.fail("write", err)
			}
			cancel()
		}
	}
}

// publish relays a room update to every node.
func (d *Redis) publish(ctx context.Context, u Update) {
	b, err := json.Marshal(u)
	if err != nil {
		return
	}
	if err := d.rdb.Publish(ctx, d.key("updates"), b).Err(); err != nil {
		errorsTotal.WithLabelValues("publish").Inc()
	}
}

// publishRoom reads room id and relays it as an update of kind.
func (d *Redis) publishRoom(ctx context.Context, id, kind string) error {
	r, ok, err := d.room(ctx, id)
	if err != nil || !ok {
		return err
	}
	d.publish(ctx, Update{Kind: kind, Room: r})
	return nil
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
