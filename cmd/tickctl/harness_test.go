package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
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

// startServer runs a server with no countdown until the test ends.
func startServer(t *testing.T, token string) *server {
	t.Helper()
	mode := arena.Mode("arena")
	mode.Settings.Countdown = 0
	modes := game.NewModes()
	modes.Register(mode)
	srv, err := lobby.NewServer(lobby.DefaultConfig(), modes, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	admin := lobby.NewAdmin(srv, lobby.AdminConfig{Token: token, Version: "test", WatchInterval: 200 * time.Millisecond})
	as := httptest.NewServer(admin.Handler())
	t.Cleanup(func() {
		admin.Close()
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

// tickctl runs the command in-process against s with args.
func (s *server) tickctl(t *testing.T, args ...string) result {
	t.Helper()
	full := append([]string{"-server", s.admin, "-token", s.token}, args...)
	var stdout, stderr bytes.Buffer
	code := run(full, &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// bot is a Go client that plays: it sends 30 inputs a second, turning about
// once a second, and records the messages it gets.
type bot struct {
	*client.Client
	mu   sync.Mutex
	msgs []*pb.ServerMessage
}

// startBots seats n bots in one room by quick play and keeps them playing
// until the test ends; it returns the bots and their room id.
func startBots(t *testing.T, s *server, n int) ([]*bot, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	bots := make([]*bot, n)
	for i := range bots {
		b := &bot{}
		c, err := client.Dial(ctx, client.ClientConfig{URL: s.ws, Name: fmt.Sprintf("bot%d", i), OnMessage: func(m *pb.ServerMessage) {
			b.mu.Lock()
			b.msgs = append(b.msgs, m)
			b.mu.Unlock()
		}})
		if err != nil {
			t.Fatal(err)
		}
		b.Client = c
		jctx, jcancel := context.WithTimeout(ctx, 5*time.Second)
		_, err = c.Join(jctx, "arena", "")
		jcancel()
		if err != nil {
			t.Fatal(err)
		}
		bots[i] = b
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tick := time.NewTicker(time.Second / 30)
			defer tick.Stop()
			dirs := [][2]int32{{127, 0}, {0, 127}, {-127, 0}, {0, -127}, {90, 90}, {-90, 90}}
			for k := 0; ; k++ {
				select {
				case <-ctx.Done():
					return
				case <-c.Done():
					return
				case <-tick.C:
				}
				d := dirs[(i+k/30)%len(dirs)]
				_, _ = c.SendInput(0, d[0], d[1], int32((i*500+k*7)%wire.AngleSteps))
			}
		}(i)
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		for _, b := range bots {
			_ = b.Close()
		}
	})
	room := bots[0].Joined().GetRoomId()
	for _, b := range bots[1:] {
		if b.Joined().GetRoomId() != room {
			t.Fatalf("bots in rooms %s and %s, want one", room, b.Joined().GetRoomId())
		}
	}
	return bots, room
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
