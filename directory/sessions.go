package directory

import (
	"context"
	"sort"
	"time"

	"github.com/redis/go-redis/v9"
)

// ClaimSession makes this node the holder of the session's live
// connection and tells the other nodes, whose connections of the session
// are then replaced.
func (d *Redis) ClaimSession(ctx context.Context, sessionID string) error {
	if err := d.idLost(); err != nil {
		return err
	}
	self := d.Self().ID
	key := d.key("session", sessionID)
	_, err := d.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, "conn", self)
		p.PExpire(ctx, key, d.cfg.SessionTTL)
		p.Publish(ctx, d.key("sessions"), self+" "+sessionID)
		return nil
	})
	if err != nil {
		return d.fail("claim_session", err)
	}
	return nil
}

// Seat returns where the session's seat was last taken, and whether that
// node is alive with the room still in the directory.
func (d *Redis) Seat(ctx context.Context, sessionID string) (SessionSeat, error) {
	h, err := d.rdb.HMGet(ctx, d.key("session", sessionID), "room", "node").Result()
	if err != nil {
		return SessionSeat{}, d.fail("seat", err)
	}
	room, _ := h[0].(string)
	node, _ := h[1].(string)
	s := SessionSeat{Room: room, Node: node}
	if room == "" {
		return s, nil
	}
	url, err := d.rdb.HGet(ctx, d.key("node", node), "url").Result()
	if err != nil && err != redis.Nil {
		return SessionSeat{}, d.fail("seat", err)
	}
	n, err := d.rdb.Exists(ctx, d.key("room", room)).Result()
	if err != nil {
		return SessionSeat{}, d.fail("seat", err)
	}
	s.NodeURL, s.Alive = url, url != "" && n == 1
	return s, nil
}

// SetSeat records that the session took a seat in room id of this node,
// or (id empty) that it has none (async).
func (d *Redis) SetSeat(sessionID, id string) {
	self := d.Self().ID
	key := d.key("session", sessionID)
	d.queue(func(ctx context.Context) error {
		_, err := d.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			if id == "" {
				p.HDel(ctx, key, "room", "node")
			} else {
				p.HSet(ctx, key, "room", id, "node", self)
			}
			p.PExpire(ctx, key, d.cfg.SessionTTL)
			return nil
		})
		return err
	})
}

// endSessionScript: KEYS[1] a session's record; ARGV self, keep ms. It
// takes the record out (keep 0) or shortens its life to keep, unless
// another node holds the session's connection. (A session new to the
// cluster is never claimed: its record has no holder.)
var endSessionScript = redis.NewScript(`
local conn = redis.call('HGET', KEYS[1], 'conn')
if conn and conn ~= ARGV[1] then return 0 end
local keep = tonumber(ARGV[2])
if keep <= 0 then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], keep) end
return 1
`)

// EndSession takes the session's record out, or keeps it only keep more,
// unless another node has claimed the session (async).
func (d *Redis) EndSession(sessionID string, keep time.Duration) {
	self := d.Self().ID
	key := d.key("session", sessionID)
	d.queue(func(ctx context.Context) error {
		return endSessionScript.Run(ctx, d.rdb, []string{key}, self, keep.Milliseconds()).Err()
	})
}

func sortNodes(n []Node) { sort.Slice(n, func(i, j int) bool { return n[i].ID < n[j].ID }) }
