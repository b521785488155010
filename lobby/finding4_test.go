package lobby

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// crashingGame is an arena game whose Step panics from its crashAt-th call.
type crashingGame struct {
	game.Game
	steps, crashAt int
}

func (g *crashingGame) Step(tick uint32) {
	if g.steps++; g.steps >= g.crashAt {
		panic("arena exploded")
	}
	g.Game.Step(tick)
}

// panicModes returns the arena beside "boom", an arena whose factory
// panics, and "crash", an arena whose game panics a few ticks in.
func panicModes() game.Modes {
	modes := game.NewModes()
	modes.Register(arena.Mode("arena"))
	boom := arena.Mode("boom")
	boom.New = func(game.Config) (game.Game, error) { panic("factory exploded") }
	modes.Register(boom)
	crash := arena.Mode("crash")
	newArena := crash.New
	crash.New = func(cfg game.Config) (game.Game, error) {
		g, err := newArena(cfg)
		return &crashingGame{Game: g, crashAt: 10}, err
	}
	modes.Register(crash)
	return modes
}

// TestFinding4FactoryPanic reproduces finding 4 of the hardening review end
// to end: a mode's factory that panicked killed the process. Now a player
// asking for a room of that mode is refused (JOIN_REFUSED "internal error",
// nothing of the panic), a room whose game panics tells its players
// (Left ROOM_CLOSED "internal error") and ends alone, and the server goes
// on serving: /healthz answers and a room of another mode plays.
func TestFinding4FactoryPanic(t *testing.T) {
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, panicModes())
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	factoryBefore := metricValue(t, "tickwire_game_panics_total", "where", game.CallFactory)
	stepBefore := metricValue(t, "tickwire_game_panics_total", "where", game.CallStep)

	a := dial(t, ts.url, "ann", nil)
	_, err := a.Join(ctx, "boom", "")
	var se *client.ServerError
	if !errors.As(err, &se) || se.Code != pb.ErrorCode_ERROR_CODE_JOIN_REFUSED ||
		!strings.Contains(se.Message, game.InternalErrorMessage) || strings.Contains(se.Message, "exploded") {
		t.Fatalf("join of a mode whose factory panics: %v, want JOIN_REFUSED saying %q and no more", err, game.InternalErrorMessage)
	}

	var left atomic.Pointer[pb.Left]
	b := dial(t, ts.url, "bob", func(c *client.ClientConfig) {
		c.OnMessage = func(m *pb.ServerMessage) {
			if l := m.GetLeft(); l != nil {
				left.Store(l)
			}
		}
	})
	if _, err := b.Join(ctx, "crash", ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Left from the crashed room", func() bool { return left.Load() != nil })
	if l := left.Load(); l.GetReason() != pb.CloseReason_CLOSE_REASON_ROOM_CLOSED || l.GetMessage() != game.InternalErrorMessage {
		t.Errorf("Left %v, want ROOM_CLOSED %q", l, game.InternalErrorMessage)
	}

	c := dial(t, ts.url, "cid", nil)
	if _, err := c.Join(ctx, "arena", ""); err != nil {
		t.Fatalf("join of a healthy mode after the panics: %v", err)
	}
	eventually(t, "snapshots in the healthy room", func() bool { return c.Stats().Snapshots >= 3 })
	resp, err := http.Get(ts.http.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz after the panics: %v %v", resp, err)
	}
	resp.Body.Close()
	// b is back in the lobby, and may play on.
	if _, err := b.Join(ctx, "arena", ""); err != nil {
		t.Errorf("join after the crashed room: %v", err)
	}
	if d := metricValue(t, "tickwire_game_panics_total", "where", game.CallFactory) - factoryBefore; d != 1 {
		t.Errorf("factory panics counted %v, want 1", d)
	}
	if d := metricValue(t, "tickwire_game_panics_total", "where", game.CallStep) - stepBefore; d != 1 {
		t.Errorf("step panics counted %v, want 1", d)
	}
}
