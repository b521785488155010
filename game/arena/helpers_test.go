package arena

import (
	"slices"
	"testing"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// layout is the row layout of Schema, shared by every test view.
var layout = wire.NewLayout(Schema)

// newTestGame returns a game with n players (ids 1..n) joined.
func newTestGame(t testing.TB, cfg game.Config, opts Options, n int) *Game {
	t.Helper()
	g := NewWithOptions(cfg, opts)
	for i := 1; i <= n; i++ {
		if _, err := g.Join(game.PlayerID(i), "p"); err != nil {
			t.Fatalf("join %d: %v", i, err)
		}
	}
	return g
}

// place puts player p at world position (x, y), at rest.
func place(t testing.TB, g *Game, p game.PlayerID, x, y int64) {
	t.Helper()
	pl, ok := g.byPlayer[p]
	if !ok {
		t.Fatalf("place: no player %d", p)
	}
	pl.body = body{x: x * g.w.unit, y: y * g.w.unit}
}

// viewOf returns what player p sees now; viewOf(g, game.Observer) is the
// whole world. Building it proves the view ascends by id, as Rows.Append
// panics otherwise.
func viewOf(g *Game, p game.PlayerID) *wire.Rows {
	rows := wire.NewRows(layout, 0)
	g.View(p, rows)
	return rows
}

// worldView returns the whole world's view.
func worldView(g *Game) *wire.Rows { return viewOf(g, game.Observer) }

// ids returns the entity ids of rows in order.
func ids(rows *wire.Rows) []uint32 {
	out := make([]uint32, rows.Len())
	for i := range out {
		out[i] = rows.ID(i)
	}
	return out
}

// fieldsOf returns a copy of player p's fields in the world's view.
func fieldsOf(t testing.TB, g *Game, p game.PlayerID) []int32 {
	t.Helper()
	pl, ok := g.byPlayer[p]
	if !ok {
		t.Fatalf("fieldsOf: no player %d", p)
	}
	rows := worldView(g)
	i, ok := rows.Find(pl.ent)
	if !ok {
		t.Fatalf("fieldsOf: player %d (entity %d) not in view", p, pl.ent)
	}
	if k := rows.Kind(i); k != KindPlayer {
		t.Fatalf("fieldsOf: player %d's entity %d has kind %d", p, pl.ent, k)
	}
	return slices.Clone(rows.Fields(i))
}

// seqInput returns in as the room hands it to the game: seq, then every
// value clamped into its schema field, as the room's seats do.
func seqInput(seq uint32, in Input) game.Input {
	gin := game.Input{Seq: seq}
	for i, v := range in.Values() {
		gin.Values[i] = Schema.Input[i].Clamp(v)
	}
	return gin
}

// gameInput is seqInput with seq 0, for tests that do not care.
func gameInput(in Input) game.Input { return seqInput(0, in) }

// protoInput returns in as a client sends it.
func protoInput(seq uint32, in Input) *pb.Input {
	return &pb.Input{Seq: seq, Values: in.Values()}
}

// event returns an arena event with one value (0 for none).
func event(kind, actor, target uint32, value int32) wire.Event {
	return wire.Event{Kind: kind, Actor: actor, Target: target, Values: [wire.MaxEventValues]int32{value}}
}

func countEvents(evs []wire.Event, kind uint32) int {
	n := 0
	for _, e := range evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// right moves at full speed toward +x.
func right() Input { return Input{MoveX: MoveAxisMax} }
