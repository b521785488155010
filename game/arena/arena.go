package arena

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// ErrFull refuses a seat when the room already has MaxPlayers players.
var ErrFull = errors.New("arena is full")

// ErrAlreadyJoined refuses a second seat for the same player id.
var ErrAlreadyJoined = errors.New("player already joined")

// Game is the arena simulation. Like every game.Game it is driven from one
// goroutine and is not safe for concurrent use.
type Game struct {
	cfg  game.Config
	opts Options
	w    world
	rng  *rand.Rand

	// players and projectiles are each sorted by entity ID: IDs only grow
	// and both are appended in creation order, so View is a plain merge.
	players     []*player
	byPlayer    map[game.PlayerID]*player
	projectiles []projectile
	nextID      uint32
	events      []wire.Event

	// Derived tick counts of the options.
	cooldownTicks, lifetimeTicks, respawnTicks, durationTicks int64
	projSpeed                                                 int64

	match match
}

// player is one seat's avatar and bookkeeping.
type player struct {
	id   game.PlayerID
	name string
	ent  uint32
	body body
	aim  int32
	in   Input
	// fireLatch remembers a fire press that was released before the next
	// Step, so a quick tap is not lost.
	fireLatch bool
	fired     bool
	alive     bool
	health    int32
	score     int32
	kills     uint32
	deaths    uint32
	respawnAt int64
	nextFire  int64
}

var _ game.Game = (*Game)(nil)

// New is the arena's game.Factory: an arena with cfg.Options, which may be
// nil (DefaultOptions), an Options or an *Options (zero fields take
// defaults). Options of any other type refuse the room.
func New(cfg game.Config) (game.Game, error) {
	opts, err := game.OptionsOf[Options](cfg)
	if err != nil {
		return nil, fmt.Errorf("arena: %w", err)
	}
	return NewWithOptions(cfg, opts), nil
}

// NewWithOptions returns an arena with opts (zero fields take defaults).
// A zero TickHz or MaxPlayers takes game.DefaultTickHz or
// game.DefaultMaxPlayers; a TickHz above 1000 is clamped to 1000, the most
// the fixed-point math allows.
func NewWithOptions(cfg game.Config, opts Options) *Game {
	if cfg.TickHz <= 0 {
		cfg.TickHz = game.DefaultTickHz
	}
	cfg.TickHz = min(cfg.TickHz, maxTickHz)
	if cfg.MaxPlayers <= 0 {
		cfg.MaxPlayers = game.DefaultMaxPlayers
	}
	opts = opts.withDefaults()
	seed := uint64(cfg.Seed)
	g := &Game{
		cfg:           cfg,
		opts:          opts,
		w:             newWorld(cfg.TickHz),
		rng:           rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		byPlayer:      make(map[game.PlayerID]*player, cfg.MaxPlayers),
		nextID:        1,
		cooldownTicks: durationTicks(opts.FireCooldown, cfg.TickHz),
		lifetimeTicks: durationTicks(opts.ProjectileLifetime, cfg.TickHz),
		respawnTicks:  durationTicks(opts.RespawnDelay, cfg.TickHz),
		durationTicks: durationTicks(opts.MatchDuration, cfg.TickHz),
		projSpeed:     int64(opts.ProjectileSpeed) * velScale,
	}
	return g
}

// Options returns the options the game runs with, defaults filled in.
func (g *Game) Options() Options { return g.opts }

// Config returns the room config the game runs with, defaults filled in.
func (g *Game) Config() game.Config { return g.cfg }

// newEntityID hands out the next entity ID; players and projectiles share
// the counter so an ID is never reused within 2^32 creations.
func (g *Game) newEntityID() uint32 {
	id := g.nextID
	g.nextID++
	if g.nextID == 0 {
		g.nextID = 1
	}
	return id
}

// Join seats p at a spawn point chosen by the seeded RNG.
func (g *Game) Join(p game.PlayerID, name string) (uint32, error) {
	if _, ok := g.byPlayer[p]; ok {
		joinsRefused.WithLabelValues(reasonDuplicate).Inc()
		return 0, fmt.Errorf("join player %d: %w", p, ErrAlreadyJoined)
	}
	if len(g.players) >= g.cfg.MaxPlayers {
		joinsRefused.WithLabelValues(reasonFull).Inc()
		return 0, fmt.Errorf("join player %d: %w (%d seats)", p, ErrFull, g.cfg.MaxPlayers)
	}
	pl := &player{id: p, name: name, ent: g.newEntityID()}
	g.spawn(pl)
	g.players = append(g.players, pl)
	g.byPlayer[p] = pl
	return pl.ent, nil
}

// Leave removes p's avatar; shots it fired keep flying and can still hit.
func (g *Game) Leave(p game.PlayerID) {
	pl, ok := g.byPlayer[p]
	if !ok {
		return
	}
	delete(g.byPlayer, p)
	for i, q := range g.players {
		if q == pl {
			g.players = append(g.players[:i], g.players[i+1:]...)
			break
		}
	}
}

// ApplyInput records p's newest input; Step acts on it. Movement and aim
// follow the newest input, and a fire press anywhere in between counts.
func (g *Game) ApplyInput(p game.PlayerID, in game.Input) {
	pl, ok := g.byPlayer[p]
	if !ok {
		inputsDropped.WithLabelValues(reasonUnknownPlayer).Inc()
		return
	}
	if g.match.ended {
		inputsDropped.WithLabelValues(reasonMatchEnded).Inc()
		return
	}
	ain := InputOf(in)
	pl.in = ain
	pl.aim = ain.Aim
	if ain.Buttons&ButtonFire != 0 {
		pl.fireLatch = true
	}
}

// Step advances the arena by one tick of 1/TickHz seconds. After the match
// has ended the world stays frozen.
func (g *Game) Step(tick uint32) {
	if g.match.ended {
		return
	}
	g.match.elapsed++
	now := g.match.elapsed
	g.respawnDue(now)
	g.movePlayers()
	g.moveProjectiles(now)
	g.fire(now)
	g.checkEnd()
}

// DrainEvents appends the events since the last call (Tick left 0).
func (g *Game) DrainEvents(dst []wire.Event) []wire.Event {
	dst = append(dst, g.events...)
	g.events = g.events[:0]
	return dst
}

func (g *Game) emit(kind, actor, target uint32, value int32) {
	g.events = append(g.events, wire.Event{Kind: kind, Actor: actor, Target: target, Values: [wire.MaxEventValues]int32{value}})
}
