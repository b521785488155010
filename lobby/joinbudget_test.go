package lobby

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestJoinBudget: joining and leaving in a loop is bounded per session,
// and joins by a code or room id that no live room has are bounded
// further, so that join codes cannot be guessed at the join rate: past the
// budget of misses even a right code is refused, for that session only.
func TestJoinBudget(t *testing.T) {
	fd := startFrontDoor(t, func(c *Config) {
		c.Limits.JoinsPerSession = Rate{N: 4, Per: time.Hour}
		c.Limits.JoinMissesPerSession = Rate{N: 3, Per: time.Hour}
	}, slowArena(16))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	joinRefused := metricValue(t, "tickwire_requests_refused_total", "reason", "join_session")
	missRefused := metricValue(t, "tickwire_requests_refused_total", "reason", "joinmiss_session")

	// Quick play, leave, again: four joins of the session's budget, then
	// RATE_LIMITED.
	churner := mustDialFrom(t, fd.url, loopback(1), "churner", nil)
	joined := 0
	for range 6 {
		_, err := churner.Join(ctx, "", "")
		if err == nil {
			joined++
			if err := churner.Leave(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !isServerError(err, pb.ErrorCode_ERROR_CODE_RATE_LIMITED) {
			t.Fatalf("join over the budget: %v, want RATE_LIMITED", err)
		}
	}
	if joined != 4 {
		t.Errorf("one session joined %d times, want 4 (its budget)", joined)
	}
	if d := metricValue(t, "tickwire_requests_refused_total", "reason", "join_session") - joinRefused; d != 2 {
		t.Errorf("%v joins counted over the session's budget, want 2", d)
	}

	// Joins and creates refused because the session is seated spend none
	// of its budget: one join, three refused, then three more joins.
	seated := mustDialFrom(t, fd.url, loopback(5), "seated", nil)
	if _, err := seated.Join(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := seated.Join(ctx, "", ""); !isServerError(err, pb.ErrorCode_ERROR_CODE_ALREADY_IN_ROOM) {
			t.Fatalf("a join while seated: %v, want ALREADY_IN_ROOM", err)
		}
	}
	for range 3 {
		if err := seated.Leave(); err != nil {
			t.Fatal(err)
		}
		if _, err := seated.Join(ctx, "", ""); err != nil {
			t.Fatalf("a join within the budget after refusals while seated: %v", err)
		}
	}

	// A host's private room, and a guesser of another address: three wrong
	// codes are answered UNKNOWN_CODE, then even the right one is refused.
	host := mustDialFrom(t, fd.url, loopback(2), "host", nil)
	created, _, err := host.CreateRoom(ctx, "", 8, true)
	if err != nil {
		t.Fatal(err)
	}
	guesser := mustDialFrom(t, fd.url, loopback(3), "guesser", nil)
	for _, code := range []string{"AAAAAA", "BBBBBB", "CCCCCC"} {
		if code == created.GetJoinCode() {
			code = "DDDDDD"
		}
		if _, err := guesser.JoinCode(ctx, code); !isServerError(err, pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE) {
			t.Fatalf("a wrong code: %v, want UNKNOWN_CODE", err)
		}
	}
	if _, err := guesser.JoinCode(ctx, created.GetJoinCode()); !isServerError(err, pb.ErrorCode_ERROR_CODE_RATE_LIMITED) {
		t.Fatalf("the right code after the misses: %v, want RATE_LIMITED", err)
	}
	if d := metricValue(t, "tickwire_requests_refused_total", "reason", "joinmiss_session") - missRefused; d != 1 {
		t.Errorf("%v joins counted over the session's misses, want 1", d)
	}

	// Another session finds the room by its code at once: the misses were
	// the guesser's.
	friend := mustDialFrom(t, fd.url, loopback(4), "friend", nil)
	if _, err := friend.JoinCode(ctx, created.GetJoinCode()); err != nil {
		t.Fatalf("a friend with the code: %v", err)
	}
}

// TestJoinMissesRace: sessions of one address guessing a code at the same
// moment get the address's budget of misses and not one answer more, and
// a join by a right code gives back the miss it took up front.
func TestJoinMissesRace(t *testing.T) {
	const misses, guessers = 3, 12
	fd := startFrontDoor(t, func(c *Config) {
		c.Limits.JoinMissesPerAddr = Rate{N: misses, Per: time.Hour}
	}, slowArena(16))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	// Right codes, more of them than the budget of misses: each takes a
	// miss while it looks, and gives it back once the room answers.
	host := mustDialFrom(t, fd.url, loopback(20), "host", nil)
	created, _, err := host.CreateRoom(ctx, "", 8, true)
	if err != nil {
		t.Fatal(err)
	}
	friend := mustDialFrom(t, fd.url, loopback(21), "friend", nil)
	for range misses + 2 {
		if _, err := friend.JoinCode(ctx, created.GetJoinCode()); err != nil {
			t.Fatalf("a right code: %v", err)
		}
		if err := friend.Leave(); err != nil {
			t.Fatal(err)
		}
	}

	// Twelve sessions of the friend's address, each with a wrong code at
	// once: three UNKNOWN_CODE, nine RATE_LIMITED.
	wrong := "AAAAAA"
	if created.GetJoinCode() == wrong {
		wrong = "BBBBBB"
	}
	clients := make([]*client.Client, guessers)
	for i := range clients {
		clients[i] = mustDialFrom(t, fd.url, loopback(21), fmt.Sprintf("guesser%d", i), nil)
	}
	answers := make(chan error, guessers)
	atOnce(guessers, func(i int) {
		_, err := clients[i].JoinCode(ctx, wrong)
		answers <- err
	})
	unknown, limited := 0, 0
	for range guessers {
		switch err := <-answers; {
		case isServerError(err, pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE):
			unknown++
		case isServerError(err, pb.ErrorCode_ERROR_CODE_RATE_LIMITED):
			limited++
		default:
			t.Errorf("a wrong code: %v, want UNKNOWN_CODE or RATE_LIMITED", err)
		}
	}
	if unknown != misses || limited != guessers-misses {
		t.Errorf("%d guessers at once: %d answered UNKNOWN_CODE and %d RATE_LIMITED, want %d and %d",
			guessers, unknown, limited, misses, guessers-misses)
	}
}
