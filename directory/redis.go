package directory

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix starts every key; its {hash tag} puts them all in one slot
// of a Redis Cluster, which the scripts need.
const DefaultPrefix = "{tickwire}:"

// RedisConfig tunes a Redis directory; zero fields take the defaults.
type RedisConfig struct {
	// Prefix starts every key (DefaultPrefix); clusters sharing one Redis
	// use different prefixes.
	Prefix string
	// Heartbeat is how often the node renews its record (1 s); TTL is how
	// long the record outlives the last renewal (5 s): a node that dies
	// leaves listings and placements within TTL, and the directory, rooms
	// and all, after twice the TTL (so a node only paused keeps them).
	Heartbeat, TTL time.Duration
	// ReservationTTL is how long a seat reserved for a client on its way
	// to another node is kept for it (10 s).
	ReservationTTL time.Duration
	// SessionTTL is how long a session's record outlives its last change
	// (24 h, the session tokens' lifetime).
	SessionTTL time.Duration
	// PendingGrace is how long a room placed on this node may wait for
	// its first player before the node takes it out (30 s).
	PendingGrace time.Duration
}

func (c RedisConfig) withDefaults() RedisConfig {
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = time.Second
	}
	if c.TTL <= 0 {
		c.TTL = 5 * time.Second
	}
	if c.ReservationTTL <= 0 {
		c.ReservationTTL = 10 * time.Second
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 24 * time.Hour
	}
	if c.PendingGrace <= 0 {
		c.PendingGrace = 30 * time.Second
	}
	return c
}

// Redis is the Directory on a Redis server.
type Redis struct {
	rdb redis.UniversalClient
	cfg RedisConfig
	log *slog.Logger

	// token tells this process's record of its node id from another
	// node's under the same id (claim, renew).
	token string

	mu       sync.Mutex
	self     Node
	hooks    Hooks
	healthy  bool
	started  bool
	draining bool
	// takenBy is the url of the node that took this node's id over while
	// this node was silent, "" while the id is this node's.
	takenBy string

	writes chan func(context.Context) error
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// writeQueue bounds the async writes waiting for the store; past it a
// write is dropped and counted (re-registration repairs the counts).
const writeQueue = 4096

// NewClient returns a go-redis universal client for a directory URL:
// redis:// or rediss:// for one server (redis://[user:pass@]host:port/db);
// with ?master_name=NAME the host is a Sentinel and more sentinels follow
// as &addr=host:port; with &addr=host:port parameters and no master_name
// the addresses are the seeds of a Redis Cluster.
func NewClient(rawURL string) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("directory url: %w", err)
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("directory url %q: scheme %q, want redis or rediss", redact(u), u.Scheme)
	}
	q := u.Query()
	switch {
	case q.Get("master_name") != "":
		o, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("directory url %q: %w", redact(u), err)
		}
		return redis.NewFailoverClient(o), nil
	case q.Has("addr"):
		o, err := redis.ParseClusterURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("directory url %q: %w", redact(u), err)
		}
		return redis.NewClusterClient(o), nil
	default:
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("directory url %q: %w", redact(u), err)
		}
		return redis.NewClient(o), nil
	}
}

// redact returns u without its password, for messages.
func redact(u *url.URL) string { return u.Redacted() }

// NewRedis returns a directory on rdb, which it closes on Close.
func NewRedis(rdb redis.UniversalClient, cfg RedisConfig, log *slog.Logger) *Redis {
	// go-redis has one logger per process; the first directory's wins.
	setRedisLog.Do(func() { redis.SetLogger(redisLog{log.With("component", "go-redis")}) })
	return &Redis{rdb: rdb, cfg: cfg.withDefaults(), log: log.With("component", "directory"),
		token: newID(8), writes: make(chan func(context.Context) error, writeQueue)}
}

// Config returns the directory's settings, defaults filled in.
func (d *Redis) Config() RedisConfig { return d.cfg }

func (d *Redis) key(parts ...string) string { return d.cfg.Prefix + strings.Join(parts, ":") }

// seqKey is KEYS[1] of every script (see scripts.go).
func (d *Redis) seqKey() []string { return []string{d.key("seq")} }

// Self returns this node.
func (d *Redis) Self() Node {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.self
}

// SetDraining marks this node as taking no new rooms; the next heartbeat
// tells the cluster.
func (d *Redis) SetDraining(draining bool) {
	d.mu.Lock()
	d.draining = draining
	d.mu.Unlock()
	d.queue(d.heartbeat)
}

// Start registers the node, then runs the heartbeat loop, the write queue
// and the subscription to other nodes' updates until Close. It fails when
// the store cannot be reached now: a node starts with a working
// directory, and only then survives outages.
func (d *Redis) Start(ctx context.Context, self Node, hooks Hooks) error {
	d.mu.Lock()
	if d.started {
		d.mu.Unlock()
		return errors.New("directory already started")
	}
	d.self, d.hooks, d.started = self, hooks, true
	d.mu.Unlock()
	if err := d.claim(ctx, self); err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, opTimeout)
	err := d.heartbeat(cctx)
	cancel()
	if err != nil {
		return fmt.Errorf("register node %s: %w", self.ID, err)
	}
	d.setHealthy(true)
	// Subscribe before anything of this node can change, so no update of
	// another node is missed from here on.
	sub := d.rdb.Subscribe(ctx, d.key("updates"), d.key("sessions"))
	cctx, cancel = context.WithTimeout(ctx, opTimeout)
	_, err = sub.Receive(cctx)
	cancel()
	if err != nil {
		sub.Close()
		return fmt.Errorf("subscribe to room updates: %w", unavailable(err))
	}
	life, stop := context.WithCancel(context.Background())
	d.cancel = stop
	d.wg.Add(3)
	go d.beat(life)
	go d.drain(life)
	go d.listen(life, sub)
	d.log.Info("joined the room directory", "node", self.ID, "url", self.URL)
	return nil
}

// claimPoll is how often claim looks again at a record of the node's id
// that another URL holds.
const claimPoll = 50 * time.Millisecond

// claim takes self's id in the store unless a live node holds it at
// another URL, and takes out the rooms a dead process left under the id.
// A record of the same URL is this node's own from before a restart. A
// record a node left when it died lapses within the TTL, so claim waits
// that long (and a heartbeat more); a record renewed meanwhile (its time
// to live grew), or one with no time to live, is a live node's, and claim
// fails at once. The claim is one script, so of two nodes starting
// together under one id only one gets it.
func (d *Redis) claim(ctx context.Context, self Node) error {
	giveUp := time.Now().Add(d.cfg.TTL + d.cfg.Heartbeat)
	lastTTL := int64(-1) // ms, as PTTL gives it
	for {
		// Read before the call: a record still there at a time past
		// giveUp was renewed, however long the call took.
		asked := time.Now()
		cctx, cancel := context.WithTimeout(ctx, opTimeout)
		res, err := claimScript.Run(cctx, d.rdb, d.seqKey(), d.cfg.Prefix, self.ID, self.URL, d.token, d.cfg.TTL.Milliseconds()).StringSlice()
		if err == nil && len(res) > 0 && res[0] == "claimed" {
			d.relayClosed(cctx, res[1:])
		}
		cancel()
		if err == nil && (len(res) == 0 || (res[0] == "taken" && len(res) != 3)) {
			err = fmt.Errorf("unexpected reply %q", res)
		}
		if err != nil {
			return fmt.Errorf("register node %s: %w", self.ID, unavailable(err))
		}
		if res[0] != "taken" {
			return nil
		}
		other := res[1]
		ttl, _ := strconv.ParseInt(res[2], 10, 64) // -1: no expiry; -2: gone meanwhile
		if ttl == -1 || (lastTTL >= 0 && ttl > lastTTL) || asked.After(giveUp) {
			return fmt.Errorf("%w: %s is the id of the node at %s; give each node its own -node-id", ErrNodeTaken, self.ID, other)
		}
		lastTTL = ttl
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(claimPoll):
		}
	}
}

// Close stops the loops and takes the node and its rooms out of the
// directory, so other nodes stop placing players here.
func (d *Redis) Close(ctx context.Context) error {
	d.mu.Lock()
	started := d.started
	d.started = false
	d.mu.Unlock()
	if started && d.cancel != nil {
		d.cancel()
		d.wg.Wait()
		cctx, cancel := context.WithTimeout(ctx, opTimeout)
		// Leaving: this node's rooms go now, not after the grace, in the
		// same script as the record. (A node that took the id over keeps
		// its record and rooms.)
		res, err := releaseScript.Run(cctx, d.rdb, d.seqKey(), d.cfg.Prefix, d.self.ID, d.token).StringSlice()
		if err == nil && len(res) > 0 && res[0] == "released" {
			d.relayClosed(cctx, res[1:])
		}
		cancel()
		if err != nil {
			d.log.Warn("could not leave the room directory; other nodes reap this node after its ttl", "err", err)
		}
	}
	return d.rdb.Close()
}

// healthyNow reports whether the last call to the store worked.
func (d *Redis) healthyNow() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.healthy
}

// setHealthy records the store's state and reports whether it changed.
func (d *Redis) setHealthy(ok bool) bool {
	d.mu.Lock()
	changed := d.healthy != ok
	d.healthy = ok
	d.mu.Unlock()
	if ok {
		up.Set(1)
	} else {
		up.Set(0)
	}
	return changed
}

// unavailable wraps a store error in ErrUnavailable.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// fail counts a failed call of op and returns err as ErrUnavailable.
func (d *Redis) fail(op string, err error) error {
	errorsTotal.WithLabelValues(op).Inc()
	if d.setHealthy(false) {
		d.log.Error("room directory unreachable: matchmaking refuses until it is back; rooms keep running", "op", op, "err", err)
	}
	return unavailable(err)
}

// newID returns a random hex id of n bytes.
func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// redisLog sends go-redis's own messages (a failed dial, every time) to
// slog at debug level: the directory logs an outage once, at error level.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, fmt.Sprintf(format, v...))
}

var setRedisLog sync.Once
