package arena

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
)

func TestHandleDebug(t *testing.T) {
	tests := []struct {
		name      string
		command   string
		setup     func(g *Game)
		wantReply string // substring
		wantErr   string // substring; "" = no error
		check     func(t *testing.T, g *Game)
	}{
		{name: "help", command: "help", wantReply: "heal PLAYER|all"},
		{name: "empty", command: "  ", wantErr: "empty"},
		{name: "unknown", command: "fly 3", wantErr: "unknown debug command \"fly\""},
		{name: "standings", command: "standings",
			setup:     func(g *Game) { g.byPlayer[2].score = 3 },
			wantReply: "1. player 2 \"p\""},
		{name: "timer", command: "timer",
			setup:     func(g *Game) { g.Step(1); g.Step(2) },
			wantReply: "58 ticks left (1.0 s) of 60"},
		{name: "heal one", command: "heal 1",
			setup:     func(g *Game) { g.byPlayer[1].health = 10 },
			wantReply: "healed player 1 to 100",
			check: func(t *testing.T, g *Game) {
				if h := g.byPlayer[1].health; h != 100 {
					t.Errorf("health %d after heal, want 100", h)
				}
			}},
		{name: "heal all", command: "heal all",
			setup:     func(g *Game) { g.byPlayer[1].health, g.byPlayer[2].health = 10, 20 },
			wantReply: "healed 2 players",
			check: func(t *testing.T, g *Game) {
				if g.byPlayer[1].health != 100 || g.byPlayer[2].health != 100 {
					t.Errorf("health %d and %d after heal all, want 100", g.byPlayer[1].health, g.byPlayer[2].health)
				}
			}},
		{name: "heal the dead", command: "heal 2",
			setup:   func(g *Game) { g.byPlayer[2].alive, g.byPlayer[2].health = false, 0 },
			wantErr: "dead",
			check: func(t *testing.T, g *Game) {
				if h := g.byPlayer[2].health; h != 0 {
					t.Errorf("a dead player's health became %d", h)
				}
			}},
		{name: "heal nobody", command: "heal 9", wantErr: "no player 9"},
		{name: "heal garbage", command: "heal x", wantErr: "not a number"},
		{name: "heal without argument", command: "heal", wantErr: "usage"},
		{name: "end", command: "end",
			setup:     func(g *Game) { g.byPlayer[1].kills, g.byPlayer[1].score = 1, 1 },
			wantReply: "match ended",
			check: func(t *testing.T, g *Game) {
				res, ended := g.Results()
				if !ended || len(res) != 2 || res[0].Player != 1 || res[0].Score != 1 || res[0].Values[ResultKills] != 1 {
					t.Errorf("after end: results %+v ended %t, want player 1 first with 1 kill", res, ended)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGame(t, game.Config{TickHz: 60, Seed: 1}, Options{MatchDuration: time.Second}, 2)
			if tt.setup != nil {
				tt.setup(g)
			}
			reply, err := g.HandleDebug(tt.command)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("HandleDebug(%q): %v", tt.command, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("HandleDebug(%q) error %v, want one about %q", tt.command, err, tt.wantErr)
			}
			if !strings.Contains(reply, tt.wantReply) {
				t.Errorf("HandleDebug(%q) = %q, want it to contain %q", tt.command, reply, tt.wantReply)
			}
			if tt.check != nil {
				tt.check(t, g)
			}
		})
	}
}

func TestHandleDebugUnknownIsErrUnknownCommand(t *testing.T) {
	g := newTestGame(t, game.Config{TickHz: 60, Seed: 1}, Options{}, 1)
	if _, err := g.HandleDebug("teleport"); !errors.Is(err, ErrUnknownCommand) {
		t.Fatalf("unknown command: %v, want ErrUnknownCommand", err)
	}
}

func TestDebugEndFreezesTheWorld(t *testing.T) {
	g := newTestGame(t, game.Config{TickHz: 60, Seed: 1}, Options{}, 2)
	g.ApplyInput(1, gameInput(right()))
	g.Step(1)
	if _, err := g.HandleDebug("end"); err != nil {
		t.Fatal(err)
	}
	before := fieldsOf(t, g, 1)
	g.ApplyInput(1, gameInput(right()))
	g.Step(2)
	if after := fieldsOf(t, g, 1); !slices.Equal(after, before) {
		t.Errorf("player moved after end: %v -> %v", before, after)
	}
	if reply, _ := g.HandleDebug("end"); reply != "match already ended" {
		t.Errorf("second end replied %q", reply)
	}
}
