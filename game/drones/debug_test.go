package drones

import (
	"errors"
	"strings"
	"testing"

	"github.com/tickwire/tickwire/game"
)

func TestHandleDebug(t *testing.T) {
	tests := []struct {
		name      string
		command   string
		setup     func(g *Game)
		wantReply string // substring
		wantErr   string // substring; "" = no error
		ended     bool
	}{
		{name: "help", command: "help", wantReply: "cores "},
		{name: "empty", command: "  ", wantErr: "empty"},
		{name: "unknown", command: "fly", wantErr: `unknown debug command "fly"`},
		{name: "arguments", command: "cores 3", wantErr: "takes no arguments"},
		{name: "standings", command: "standings",
			setup:     func(g *Game) { g.byPlayer[2].cores = 4 },
			wantReply: `1. player 2 "p" entity 10: cores 4, tags 0, tagged 0, pickups 0`},
		{name: "cores", command: "cores",
			setup: func(g *Game) {
				u := g.w.unit
				g.cores[0].p = vec{100 * u, 200*u + u/2, 300 * u}
				g.cores[0].value = 3
				g.cores[1].takenBy = 9
			},
			wantReply: "core 1 at (100.0, 200.5, 300.0) value 3: free\ncore 2 at"},
		{name: "cores taken", command: "cores",
			setup:     func(g *Game) { g.cores[1].takenBy = 9 },
			wantReply: "taken by entity 9"},
		{name: "end", command: "end", wantReply: "match ended after 0 ticks", ended: true},
		{name: "end twice", command: "end", setup: func(g *Game) { g.end() }, wantReply: "already ended", ended: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGame(t, game.Config{Seed: 1}, Options{}, 2)
			if tt.setup != nil {
				tt.setup(g)
			}
			reply, err := g.HandleDebug(tt.command)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatalf("error %v", err)
			}
			if !strings.Contains(reply, tt.wantReply) {
				t.Errorf("reply %q, want it to contain %q", reply, tt.wantReply)
			}
			if _, ended := g.Results(); ended != tt.ended {
				t.Errorf("ended %v, want %v", ended, tt.ended)
			}
		})
	}
	g := newTestGame(t, game.Config{Seed: 1}, Options{}, 0)
	if reply, _ := g.HandleDebug("standings"); reply != "no players" {
		t.Errorf("standings of an empty game %q", reply)
	}
	if _, err := g.HandleDebug("nope"); !errors.Is(err, ErrUnknownCommand) {
		t.Errorf("error %v, want ErrUnknownCommand", err)
	}
}
