package game

import (
	"slices"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// lineGame is a Game on a line: player p's entity (id p) stands at x, set
// by the first input value, and a player sees the entities within reach
// of its own. Every step each entity emits an event naming itself; views
// counts its View calls.
type lineGame struct {
	x      map[PlayerID]int32
	reach  int32
	views  int
	events []wire.Event
}

func newLineGame(reach int32) *lineGame {
	return &lineGame{x: make(map[PlayerID]int32), reach: reach}
}

func (g *lineGame) Join(p PlayerID, _ string) (uint32, error) { g.x[p] = 0; return uint32(p), nil }
func (g *lineGame) Leave(p PlayerID)                          { delete(g.x, p) }
func (g *lineGame) ApplyInput(p PlayerID, in Input)           { g.x[p] = in.Values[1] }
func (g *lineGame) Step(uint32) {
	for p := PlayerID(1); p < 100; p++ {
		if _, ok := g.x[p]; ok {
			g.events = append(g.events, wire.Event{Kind: 1, Actor: uint32(p)})
		}
	}
	// One event names nobody: it reaches everyone.
	g.events = append(g.events, wire.Event{Kind: 2})
}
func (g *lineGame) View(viewer PlayerID, dst *wire.Rows) {
	g.views++
	for p := PlayerID(1); p < 100; p++ {
		x, ok := g.x[p]
		if !ok {
			continue
		}
		if vx, seated := g.x[viewer]; viewer != Observer && seated && abs(x-vx) > g.reach {
			continue
		}
		f := dst.Append(uint32(p), 1)
		f[fakeX], f[fakeOwner] = x, int32(p)
	}
}
func (g *lineGame) DrainEvents(dst []wire.Event) []wire.Event {
	dst = append(dst, g.events...)
	g.events = g.events[:0]
	return dst
}
func (g *lineGame) Results() ([]PlayerResult, bool) { return nil, false }

func abs(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// groupedLineGame is a lineGame that tells its view groups.
type groupedLineGame struct{ *lineGame }

func (g groupedLineGame) ViewGroup(p PlayerID) uint64 { return uint64(p) }

// moveTo queues an input putting port's player at x.
func moveTo(port *InputPort, seq uint32, x int32) {
	port.PushInputs([]*pb.Input{{Seq: seq, Values: []int32{0, x}}})
}

// seen returns the entity ids of a snapshot's view, applied on a replica.
func seen(c *replica, s *pb.Snapshot) []uint32 {
	v := c.apply(s)
	var ids []uint32
	for i := range v.Len() {
		ids = append(ids, v.ID(i))
	}
	return ids
}

// actors returns the actors of a snapshot's kind-1 events.
func actors(s *pb.Snapshot) []uint32 {
	var ids []uint32
	for _, e := range s.GetEvents() {
		if e.GetKind() == 1 {
			ids = append(ids, e.GetActor())
		}
	}
	return ids
}

// TestViewsArePerPlayer: players far apart neither see each other's
// entities nor get events naming them, in full snapshots and deltas; once
// they meet they do, and when they part the other entity is removed.
func TestViewsArePerPlayer(t *testing.T) {
	g := newLineGame(100)
	r, err := NewRoom(testConfig(), g)
	if err != nil {
		t.Fatal(err)
	}
	ann, annLink := mustJoin(t, r, "ann")
	bob, bobLink := mustJoin(t, r, "bob")
	annView, bobView := newReplica(t), newReplica(t)
	moveTo(ann, 1, 0)
	moveTo(bob, 1, 1000)

	check := func(when string, wantAnn, wantBob []uint32) {
		t.Helper()
		steps(t, r, 3)
		for _, c := range []struct {
			name string
			link *fakeLink
			rep  *replica
			port *InputPort
			want []uint32
		}{{"ann", annLink, annView, ann, wantAnn}, {"bob", bobLink, bobView, bob, wantBob}} {
			s, _ := c.link.lastSnapshot(t)
			if got := seen(c.rep, s); !slices.Equal(got, c.want) {
				t.Errorf("%s: %s sees %v, want %v", when, c.name, got, c.want)
			}
			for _, a := range actors(s) {
				if !slices.Contains(c.want, a) {
					t.Errorf("%s: %s got an event naming entity %d, out of its view", when, c.name, a)
				}
			}
			if len(actors(s)) == 0 {
				t.Errorf("%s: %s got no event of its own entity", when, c.name)
			}
			nobody := 0
			for _, e := range s.GetEvents() {
				if e.GetKind() == 2 {
					nobody++
				}
			}
			if nobody == 0 {
				t.Errorf("%s: %s did not get the events that name nobody", when, c.name)
			}
			c.port.Ack(s.GetTick())
		}
	}
	check("apart, full", []uint32{1}, []uint32{2})
	check("apart, delta", []uint32{1}, []uint32{2})
	moveTo(bob, 2, 50)
	check("met", []uint32{1, 2}, []uint32{1, 2})
	moveTo(bob, 3, -500)
	check("parted", []uint32{1}, []uint32{2})

	// The observer sees everything.
	view := wire.NewRows(fakeLayout, 0)
	g.View(Observer, view)
	if view.Len() != 2 {
		t.Errorf("observer sees %d entities, want 2", view.Len())
	}
}

// TestViewsShareEncodings: players whose views coincide share one
// encoding, with or without ViewGrouper; a ViewGrouper saves View calls.
func TestViewsShareEncodings(t *testing.T) {
	tests := []struct {
		name string
		game func(g *lineGame) Game
		// calls is the View calls per snapshot tick with four players and
		// the observer, whose whole-world view the room's recorder
		// checksums.
		calls   int
		encodes float64
		// unrecorded rooms have no recorder, so no observer view unless
		// someone watches.
		unrecorded bool
	}{
		// Without groups every player's view is built, and equal ones
		// shared: players 1-3 stand together, 4 apart.
		{"content", func(g *lineGame) Game { return g }, 5, 2, false},
		// With groups of one each the same, as the game says.
		{"groups", func(g *lineGame) Game { return groupedLineGame{g} }, 5, 2, false},
		{"content, unrecorded", func(g *lineGame) Game { return g }, 4, 2, true},
		// fakeGame puts everyone in group 0: one View for all.
		{"one group", nil, 1, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lg := newLineGame(100)
			var g Game = newFakeGame()
			if tt.game != nil {
				g = tt.game(lg)
			}
			cfg := testConfig()
			if !tt.unrecorded {
				cfg.Recorder = &fakeRecorder{wantSums: true}
			}
			r, err := NewRoom(cfg, g)
			if err != nil {
				t.Fatal(err)
			}
			var ports []*InputPort
			for i, x := range []int32{0, 10, 20, 900} {
				p, _ := mustJoin(t, r, string(rune('a'+i)))
				moveTo(p, 1, x)
				ports = append(ports, p)
			}
			steps(t, r, 3)
			for _, p := range ports {
				p.Ack(3)
			}
			lg.views = 0
			full0, delta0 := encodeCounts()
			steps(t, r, 3)
			full1, delta1 := encodeCounts()
			if tt.game != nil && lg.views != tt.calls {
				t.Errorf("%d View calls in a snapshot tick, want %d", lg.views, tt.calls)
			}
			if got := full1 - full0 + delta1 - delta0; got != tt.encodes {
				t.Errorf("%v encodings for four players, want %v", got, tt.encodes)
			}
		})
	}
}
