package arena

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
)

func msDuration(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }

func TestMatchEndsOnScoreLimit(t *testing.T) {
	g := duel(t, Options{ScoreLimit: 1}, 1)
	g.ApplyInput(1, gameInput(Input{Buttons: ButtonFire}))
	steps := 0
	for ; steps < 600; steps++ {
		if _, ended := g.Results(); ended {
			break
		}
		g.Step(0)
	}
	res, ended := g.Results()
	if !ended {
		t.Fatalf("match not ended after %d steps", steps)
	}
	want := []game.PlayerResult{
		{Player: 1, Name: "p", EntityID: g.byPlayer[1].ent, Score: 1, Values: []int32{ResultKills: 1, ResultDeaths: 0}},
		{Player: 3, Name: "p", EntityID: g.byPlayer[3].ent, Values: []int32{ResultKills: 0, ResultDeaths: 0}},
		{Player: 2, Name: "p", EntityID: g.byPlayer[2].ent, Values: []int32{ResultKills: 0, ResultDeaths: 1}},
	}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("results = %+v, want %+v", res, want)
	}
	// Frozen: further steps change nothing.
	before := worldView(g)
	g.Step(0)
	if !worldView(g).Equal(before) {
		t.Errorf("world changed after the match ended")
	}
}

func TestMatchEndsOnTimer(t *testing.T) {
	tests := []struct {
		hz    int
		dur   time.Duration
		ticks int
	}{
		{60, time.Second, 60},
		{20, 1500 * time.Millisecond, 30},
		{30, 5 * time.Minute, 9000},
	}
	for _, tt := range tests {
		t.Run(tt.dur.String(), func(t *testing.T) {
			g := newTestGame(t, game.Config{TickHz: tt.hz, Seed: 1}, Options{MatchDuration: tt.dur}, 2)
			for i := 1; i < tt.ticks; i++ {
				g.Step(uint32(i))
			}
			if _, ended := g.Results(); ended {
				t.Fatalf("ended after %d of %d ticks", tt.ticks-1, tt.ticks)
			}
			g.Step(uint32(tt.ticks))
			res, ended := g.Results()
			if !ended || len(res) != 2 || res[0].Player != 1 || res[1].Player != 2 {
				t.Errorf("after %d ticks: ended=%v results %+v, want ended with players 1, 2", tt.ticks, ended, res)
			}
		})
	}
}

func TestStandingsOrder(t *testing.T) {
	g := newTestGame(t, game.Config{Seed: 1}, Options{}, 5)
	set := func(p game.PlayerID, score int32, kills, deaths uint32) {
		pl := g.byPlayer[p]
		pl.score, pl.kills, pl.deaths = score, kills, deaths
	}
	set(1, 3, 3, 5) // same score and kills as 4, more deaths
	set(2, 5, 5, 9) // best score
	set(3, 3, 4, 9) // same score as 1, more kills
	set(4, 3, 3, 1)
	set(5, 3, 3, 1) // ties 4 entirely: lower id first
	var got []game.PlayerID
	for _, r := range g.Standings() {
		got = append(got, r.Player)
		pl := g.byPlayer[r.Player]
		if want := []int32{ResultKills: int32(pl.kills), ResultDeaths: int32(pl.deaths)}; r.Score != pl.score || !slices.Equal(r.Values, want) {
			t.Errorf("player %d: score %d values %v, want score %d values %v", r.Player, r.Score, r.Values, pl.score, want)
		}
	}
	if want := []game.PlayerID{2, 3, 4, 5, 1}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestLeftShooterScoresNothing(t *testing.T) {
	g := duel(t, Options{Damage: 100}, 0)
	g.ApplyInput(1, gameInput(Input{Buttons: ButtonFire}))
	g.Step(0)
	g.Leave(1)
	var evs []wire.Event
	for i := 0; i < 60; i++ {
		g.Step(0)
		evs = g.DrainEvents(evs)
	}
	if countEvents(evs, EventDeath) != 1 || countEvents(evs, EventScore) != 0 {
		t.Errorf("events %+v, want one death and no score", evs)
	}
}

func TestResultsAreACopy(t *testing.T) {
	g := duel(t, Options{ScoreLimit: 1}, 0)
	g.ApplyInput(1, gameInput(Input{Buttons: ButtonFire}))
	for steps := 0; steps < 600; steps++ {
		if _, ended := g.Results(); ended {
			break
		}
		g.Step(0)
	}
	res, ended := g.Results()
	if !ended {
		t.Fatal("match did not end")
	}
	want := []int32{ResultKills: 1, ResultDeaths: 0}
	if res[0].Player != 1 || !slices.Equal(res[0].Values, want) {
		t.Fatalf("winner %+v, want player 1 with values %v", res[0], want)
	}
	res[0].Values[ResultKills] = 99
	res[0].Score = 99
	again, _ := g.Results()
	if again[0].Score != 1 || !slices.Equal(again[0].Values, want) {
		t.Errorf("changing a caller's results changed the game's: now %+v", again[0])
	}
}
