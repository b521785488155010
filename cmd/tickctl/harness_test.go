package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/game/drones"
	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// server is an in-process tickwire: the lobby on one loopback listener,
// its admin API on another.
type server struct {
	lobby *lobby.Server
	ws    string // ws://.../ws
	admin string // http://...
	token string
}

// startServer runs a server of the shipped modes (arena, the default, and
// drones), both without a countdown, until the test ends.
func startServer(t *testing.T, token string) *server {
	t.Helper()
	return startServerModes(t, token, testModes(t))
}

// testModes returns the shipped modes without a countdown, the drones'
// options set by dronesFlags (such as "-drones.view-radius", "300") as
// tickwire's command line sets them.
func testModes(t *testing.T, dronesFlags ...string) game.Modes {
	t.Helper()
	a := arena.Mode("arena")
	a.Settings.Countdown = 0
	d := drones.Mode("drones")
	d.Settings.Countdown = 0
	fs := flag.NewFlagSet("drones", flag.ContinueOnError)
	d.Flags(fs, "drones.")
	if err := fs.Parse(dronesFlags); err != nil {
		t.Fatal(err)
	}
	modes := game.NewModes()
	modes.Register(a)
	modes.Register(d)
	return modes
}

// startServerModes runs a server of modes, arena the default, until the
// test ends.
func startServerModes(t *testing.T, token string, modes game.Modes) *server {
	t.Helper()
	return startServerConfig(t, token, modes, nil)
}

// startServerConfig is startServerModes with the lobby's configuration
// changed by tweak (if set).
func startServerConfig(t *testing.T, token string, modes game.Modes, tweak func(*lobby.Config)) *server {
	t.Helper()
	cfg := lobby.DefaultConfig()
	cfg.Rooms.DefaultMode = "arena"
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := lobby.NewServer(cfg, modes, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	api, err := admin.New(srv, admin.Config{Token: token, Version: "test", WatchInterval: 200 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	as := httptest.NewServer(api.Handler())
	t.Cleanup(func() {
		api.Close()
		as.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("server shutdown: %v", err)
		}
		hs.Close()
	})
	return &server{lobby: srv, ws: "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws", admin: as.URL, token: token}
}

// result is one tickctl run.
type result struct {
	code           int
	stdout, stderr string
}

// tickctl runs the command in-process against s with args, in an empty
// environment.
func (s *server) tickctl(t *testing.T, args ...string) result {
	t.Helper()
	return s.tickctlEnv(t, nil, append([]string{"-token", s.token}, args...)...)
}

// tickctlEnv runs the command in-process against s with args and the
// environment env, giving no token unless args or env do.
func (s *server) tickctlEnv(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	full := append([]string{"-server", s.admin}, args...)
	var stdout, stderr bytes.Buffer
	code := runEnv(context.Background(), full, func(k string) string { return env[k] }, false, &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// bot is a Go client that plays: it sends 30 inputs a second and records
// the messages it gets.
type bot struct {
	*client.Client
	mu   sync.Mutex
	msgs []*pb.ServerMessage
}

// startBots seats n arena bots in one room by quick play and keeps them
// playing until the test ends; it returns the bots and their room id.
func startBots(t *testing.T, s *server, n int) ([]*bot, string) {
	t.Helper()
	return startModeBots(t, s, "arena", n)
}

// startModeBots seats n bots in one room of mode (arena or drones) by
// quick play and keeps them playing until the test ends: arena bots run
// about, turning about once a second; drones bots fly the mode's pilot. It
// returns the bots and their room id.
func startModeBots(t *testing.T, s *server, mode string, n int) ([]*bot, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	bots := make([]*bot, n)
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		for _, b := range bots {
			if b != nil {
				_ = b.Close()
			}
		}
	})
	for i := range bots {
		b, err := dialBot(ctx, s, fmt.Sprintf("bot%d", i), mode)
		if err != nil {
			t.Fatal(err)
		}
		bots[i] = b
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.play(ctx, mode, i)
		}()
	}
	room := bots[0].Joined().GetRoomId()
	for _, b := range bots[1:] {
		if b.Joined().GetRoomId() != room {
			t.Fatalf("bots in rooms %s and %s, want one", room, b.Joined().GetRoomId())
		}
	}
	return bots, room
}

// dialBot connects a bot called name and seats it in a room of mode by
// quick play.
func dialBot(ctx context.Context, s *server, name, mode string) (*bot, error) {
	b := &bot{}
	keep := func(m *pb.ServerMessage) {
		b.mu.Lock()
		b.msgs = append(b.msgs, m)
		b.mu.Unlock()
	}
	c, err := client.Dial(ctx, client.ClientConfig{URL: s.ws, Name: name, OnMessage: keep,
		OnNotice: func(n *pb.Notice) { keep(&pb.ServerMessage{Body: &pb.ServerMessage_Notice{Notice: n}}) },
		OnChat:   func(l *pb.ChatLine) { keep(&pb.ServerMessage{Body: &pb.ServerMessage_Chat{Chat: l}}) },
	})
	if err != nil {
		return nil, err
	}
	b.Client = c
	jctx, jcancel := context.WithTimeout(ctx, 5*time.Second)
	defer jcancel()
	if _, err := c.Join(jctx, mode, ""); err != nil {
		_ = c.Close()
		return nil, err
	}
	return b, nil
}

// play sends the inputs of bot i at 30 Hz until ctx or the connection ends.
func (b *bot) play(ctx context.Context, mode string, i int) {
	tick := time.NewTicker(time.Second / 30)
	defer tick.Stop()
	rng := rand.New(rand.NewPCG(uint64(i), 1))
	dirs := [][2]int32{{127, 0}, {0, 127}, {-127, 0}, {0, -127}, {90, 90}, {-90, 90}}
	for k := 0; ; k++ {
		select {
		case <-ctx.Done():
			return
		case <-b.Done():
			return
		case <-tick.C:
		}
		var values []int32
		switch mode {
		case "arena":
			d := dirs[(i+k/30)%len(dirs)]
			values = arena.Input{MoveX: d[0], MoveY: d[1], Aim: int32((i*500 + k*7) % arena.AngleSteps)}.Values()
		case "drones":
			j := b.Joined()
			_, rows := b.State()
			if self, ok := client.OwnEntity(drones.Schema, rows, j.GetEntityId(), j.GetPlayerId()); ok {
				values = drones.Pilot(rows.ID(self), rows, rng).Values()
			}
		}
		_, _ = b.SendInput(values...)
	}
}

// find returns the first message a bot got that ok accepts.
func (b *bot) find(ok func(*pb.ServerMessage) bool) *pb.ServerMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.msgs {
		if ok(m) {
			return m
		}
	}
	return nil
}

// eventually polls cond until it holds; the limit only turns a hang into a
// failure.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
