package lobby

import (
	"slices"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

// sight is a game mode made for testing what a player may see: each player
// is a marker on a line, placed where its input says, that sees only the
// markers within sightReach of its own. Every step each marker pings (an
// event naming it as Actor) and the world beats (an event naming nobody),
// so a test can tell which events crossed the line of sight.
const (
	sightModeName = "sight"
	// sightReach is how far a marker sees along the line.
	sightReach = 100
	// sightSpacing places a new marker at player id × sightSpacing, so
	// markers start out of each other's sight.
	sightSpacing = 1000
	// sightMaxX bounds the input, so that distances never overflow.
	sightMaxX = 1_000_000

	sightKindMarker uint32 = 1
	sightEventPing  uint32 = 1
	sightEventBeat  uint32 = 2
)

// Fields of a marker row (after the kind).
const (
	sightX = iota
	sightOwner
)

// sightSchema is the sight mode's schema.
var sightSchema = &wire.Schema{
	Entities: []wire.EntityKind{
		{Kind: sightKindMarker, Name: "marker", Fields: []wire.Field{
			sightX:     {Name: "x", Type: wire.TypeInt, Interp: wire.InterpLinear, Role: wire.RolePositionX},
			sightOwner: {Name: "owner", Type: wire.TypeUint, Role: wire.RoleOwner},
		}},
	},
	Input: []wire.Field{{Name: "x", Type: wire.TypeInt, Min: -sightMaxX, Max: sightMaxX}},
	Events: []wire.EventKind{
		{Kind: sightEventPing, Name: "ping", Actor: "marker", Values: []wire.Field{{Name: "x", Type: wire.TypeInt}}},
		{Kind: sightEventBeat, Name: "beat", Values: []wire.Field{{Name: "tick", Type: wire.TypeUint}}},
	},
}

// sightMode returns the sight mode: 60 ticks and 20 snapshots a second, and
// no countdown.
func sightMode() game.Mode {
	return game.Mode{
		Name:     sightModeName,
		Schema:   sightSchema,
		New:      func(game.Config) (game.Game, error) { return &sightGame{}, nil },
		Settings: game.Settings{TickHz: 60, SnapshotHz: 20, MaxPlayers: 4, MinPlayers: 1},
	}
}

// sightMarker is one player's marker.
type sightMarker struct {
	player game.PlayerID
	x      int32
}

// sightGame is the sight mode's game. Its markers' entity ids are their
// players' ids, and it keeps them sorted by id, so views come out in id
// order.
type sightGame struct {
	markers []sightMarker
	events  []wire.Event
}

func (g *sightGame) find(p game.PlayerID) (int, bool) {
	return slices.BinarySearchFunc(g.markers, p, func(m sightMarker, p game.PlayerID) int {
		return int(m.player) - int(p)
	})
}

func (g *sightGame) Join(p game.PlayerID, _ string) (uint32, error) {
	i, ok := g.find(p)
	if !ok {
		g.markers = slices.Insert(g.markers, i, sightMarker{player: p, x: int32(p) * sightSpacing})
	}
	return uint32(p), nil
}

func (g *sightGame) Leave(p game.PlayerID) {
	if i, ok := g.find(p); ok {
		g.markers = slices.Delete(g.markers, i, i+1)
	}
}

func (g *sightGame) ApplyInput(p game.PlayerID, in game.Input) {
	if i, ok := g.find(p); ok {
		g.markers[i].x = in.Values[0]
	}
}

func (g *sightGame) Step(tick uint32) {
	for _, m := range g.markers {
		g.events = append(g.events, wire.Event{Kind: sightEventPing, Actor: uint32(m.player), Values: [4]int32{m.x}})
	}
	g.events = append(g.events, wire.Event{Kind: sightEventBeat, Values: [4]int32{int32(tick)}})
}

// View appends every marker for Observer; for a player, its own marker and
// those within sightReach of it; nothing for a player without a marker.
func (g *sightGame) View(p game.PlayerID, dst *wire.Rows) {
	self := int64(0)
	if p != game.Observer {
		i, ok := g.find(p)
		if !ok {
			return
		}
		self = int64(g.markers[i].x)
	}
	for _, m := range g.markers {
		if d := int64(m.x) - self; p != game.Observer && (d > sightReach || d < -sightReach) {
			continue
		}
		f := dst.Append(uint32(m.player), sightKindMarker)
		f[sightX] = m.x
		f[sightOwner] = int32(m.player)
	}
}

func (g *sightGame) DrainEvents(dst []wire.Event) []wire.Event {
	dst = append(dst, g.events...)
	g.events = g.events[:0]
	return dst
}

func (g *sightGame) Results() ([]game.PlayerResult, bool) { return nil, false }
