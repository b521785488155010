package drones

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// ErrFull refuses a seat when the room already has MaxPlayers drones.
var ErrFull = errors.New("drones game is full")

// ErrAlreadyJoined refuses a second seat for the same player id.
var ErrAlreadyJoined = errors.New("player already joined")

// Game is the drones simulation. Like every game.Game it is driven from one
// goroutine and is not safe for concurrent use.
type Game struct {
	cfg  game.Config
	opts Options
	w    world
	rng  *rand.Rand

	// drones and cores are each sorted by entity id: ids only grow and
	// both are appended in creation order, so View is a plain merge.
	drones   []*drone
	byPlayer map[game.PlayerID]*drone
	cores    []core
	nextID   uint32
	events   []wire.Event

	// Derived per-tick quantities of the options.
	durationTicks, stunTicks, lingerTicks int64
	fullEnergy                            int64
	drag                                  int64 // per tick, in 1/q16
	cruiseAccel, boostAccel               int64 // sub-units per tick per tick
	boostV                                int64 // sub-units per tick
	viewR                                 int64 // sub-units; -1 for the whole box

	match match
	// outbox holds the game messages not yet drained (ready.go).
	outbox []game.Outgoing
}

// drone is one seat's drone and bookkeeping.
type drone struct {
	id   game.PlayerID
	name string
	ent  uint32
	body body
	// yaw is 0..AngleSteps-1; pitch is signed, within ±PitchLimit.
	yaw, pitch int32
	in         Input
	// energy is the boost tank, 0..Game.fullEnergy: boosting drains
	// energyDrain a tick, resting refills one.
	energy   int64
	boosting bool
	// stunLeft counts the ticks of stun left.
	stunLeft int64
	cores    int32
	tags     int32 // tags made
	tagged   int32 // times tagged
	pickups  int32 // cores collected from the field
	// ready is the player's ready vote (ready.go).
	ready bool
}

// stunned reports whether d is out of control after a tag.
func (d *drone) stunned() bool { return d.stunLeft > 0 }

var _ game.Game = (*Game)(nil)

// New returns a drones game with cfg.Options (an Options or *Options; nil
// means DefaultOptions); it is a game.Factory.
func New(cfg game.Config) (game.Game, error) {
	opts, err := game.OptionsOf[Options](cfg)
	if err != nil {
		return nil, fmt.Errorf("drones: %w", err)
	}
	return NewWithOptions(cfg, opts), nil
}

// NewWithOptions returns a drones game with opts (zero fields take
// defaults) and its first CoreCount cores. A zero TickHz or MaxPlayers
// takes game.DefaultTickHz or game.DefaultMaxPlayers; a TickHz above 1000
// is clamped to 1000, the most the fixed-point math allows.
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
		byPlayer:      make(map[game.PlayerID]*drone, cfg.MaxPlayers),
		nextID:        1,
		durationTicks: durationTicks(opts.MatchDuration, cfg.TickHz),
		stunTicks:     durationTicks(opts.StunTime, cfg.TickHz),
		lingerTicks:   durationTicks(coreLinger, cfg.TickHz),
		fullEnergy:    energyDrain * durationTicks(opts.BoostTime, cfg.TickHz),
		viewR:         -1,
	}
	// Drag removes dragPerSecond of the velocity each second; thrust at
	// top speed v balances it, so v is where a drone settles.
	g.drag = min(dragPerSecond*q16/int64(cfg.TickHz), q16/2)
	g.cruiseAccel = accelFor(int64(opts.MaxSpeed)*velScale, g.drag)
	g.boostAccel = accelFor(int64(opts.BoostSpeed)*velScale, g.drag)
	g.boostV = int64(opts.BoostSpeed) * velScale
	if opts.ViewRadius >= 0 {
		g.viewR = int64(opts.ViewRadius) * g.w.unit
	}
	g.fillCores()
	return g
}

// Options returns the options the game runs with, defaults filled in.
func (g *Game) Options() Options { return g.opts }

// Config returns the room config the game runs with, defaults filled in.
func (g *Game) Config() game.Config { return g.cfg }

// newEntityID hands out the next entity id; drones and cores share the
// counter so an id is never reused within 2^32 creations.
func (g *Game) newEntityID() uint32 {
	id := g.nextID
	g.nextID++
	if g.nextID == 0 {
		g.nextID = 1
	}
	return id
}

// Join seats p with a drone at a free point chosen by the seeded RNG.
func (g *Game) Join(p game.PlayerID, name string) (uint32, error) {
	if _, ok := g.byPlayer[p]; ok {
		joinsRefused.WithLabelValues(reasonDuplicate).Inc()
		return 0, fmt.Errorf("join player %d: %w", p, ErrAlreadyJoined)
	}
	if len(g.drones) >= g.cfg.MaxPlayers {
		joinsRefused.WithLabelValues(reasonFull).Inc()
		return 0, fmt.Errorf("join player %d: %w (%d seats)", p, ErrFull, g.cfg.MaxPlayers)
	}
	d := &drone{id: p, name: name, ent: g.newEntityID()}
	g.launch(d, g.drones)
	g.drones = append(g.drones, d)
	g.byPlayer[p] = d
	g.readyChanged()
	return d.ent, nil
}

// Leave removes p's drone and the cores it held.
func (g *Game) Leave(p game.PlayerID) {
	d, ok := g.byPlayer[p]
	if !ok {
		return
	}
	delete(g.byPlayer, p)
	for i, q := range g.drones {
		if q == d {
			g.drones = append(g.drones[:i], g.drones[i+1:]...)
			break
		}
	}
	g.readyChanged()
}

// ApplyInput records p's newest input; Step flies by it.
func (g *Game) ApplyInput(p game.PlayerID, in game.Input) {
	d, ok := g.byPlayer[p]
	if !ok {
		inputsDropped.WithLabelValues(reasonUnknownPlayer).Inc()
		return
	}
	if g.match.ended {
		inputsDropped.WithLabelValues(reasonMatchEnded).Inc()
		return
	}
	d.in = InputOf(in)
}

// Step advances the game by one tick of 1/TickHz seconds: drones fly,
// boosting drones tag the drones they ram, drones bump apart, collect the
// cores they touch, and fresh cores replace the taken ones. After the
// match has ended the world stays frozen.
func (g *Game) Step(uint32) {
	if g.match.ended {
		return
	}
	g.match.elapsed++
	g.expireCores()
	for _, d := range g.drones {
		g.fly(d)
	}
	g.contacts()
	g.collect()
	g.fillCores()
	g.checkEnd()
}

// DrainEvents appends the events since the last call (Tick left 0).
func (g *Game) DrainEvents(dst []wire.Event) []wire.Event {
	dst = append(dst, g.events...)
	g.events = g.events[:0]
	return dst
}

// emit records an event with up to two values.
func (g *Game) emit(kind, actor, target uint32, v0, v1 int32) {
	g.events = append(g.events, wire.Event{Kind: kind, Actor: actor, Target: target,
		Values: [wire.MaxEventValues]int32{v0, v1}})
}
