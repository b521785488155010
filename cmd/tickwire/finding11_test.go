package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestFinding11SigtermDrain reproduces the stop half of finding 11 of the
// hardening review: SIGTERM sent SERVER_SHUTDOWN and no match results. The
// server now drains: a seated player gets MatchResults and
// Left{SERVER_SHUTDOWN} before the connection closes with SERVER_SHUTDOWN,
// the match is a line of -results-file, and run returns nil (exit 0).
func TestFinding11SigtermDrain(t *testing.T) {
	file := filepath.Join(t.TempDir(), "results.jsonl")
	c, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-admin-addr", "", "-log-level", "error",
		"-drain-timeout", "100ms", "-results-file", file}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, c, io.Discard, func(a string) { addrc <- a }) }()
	addr := <-addrc

	var mu sync.Mutex
	var got []string
	dctx, dcancel := context.WithTimeout(ctx, 5*time.Second)
	defer dcancel()
	ada, err := client.Dial(dctx, client.ClientConfig{URL: "ws://" + addr + "/ws", Name: "ada", OnMessage: func(m *pb.ServerMessage) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case m.GetMatchResults() != nil:
			got = append(got, "results")
		case m.GetLeft() != nil:
			got = append(got, "left "+m.GetLeft().GetReason().String())
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer ada.Close()
	if _, err := ada.Join(dctx, "", ""); err != nil {
		t.Fatal(err)
	}
	cancel() // SIGTERM
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v, want nil (exit 0)", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return")
	}
	<-ada.Done()
	var ce *wire.CloseError
	if !errors.As(ada.Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN {
		t.Errorf("client closed with %v, want SERVER_SHUTDOWN", ada.Err())
	}
	mu.Lock()
	if len(got) != 2 || got[0] != "results" || got[1] != "left CLOSE_REASON_SERVER_SHUTDOWN" {
		t.Errorf("client got %v, want MatchResults then Left SERVER_SHUTDOWN", got)
	}
	mu.Unlock()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []lobby.ResultLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l lobby.ResultLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 1 || lines[0].Reason != "drained" || len(lines[0].Players) != 1 || lines[0].Players[0].Name != "ada" {
		t.Errorf("results file %+v, want one drained match of ada", lines)
	}
}

// TestSecondSignalExits checks that a second SIGTERM exits at once with
// status 143, where the first only ends the context.
func TestSecondSignalExits(t *testing.T) {
	sigs := make(chan os.Signal)
	exited := make(chan int, 1)
	ctx, stop := signalContext(sigs, func(code int) { exited <- code })
	defer stop()
	sigs <- syscall.SIGTERM
	<-ctx.Done()
	select {
	case code := <-exited:
		t.Fatalf("first signal exited with %d", code)
	default:
	}
	sigs <- syscall.SIGTERM
	if code := <-exited; code != 143 {
		t.Errorf("second SIGTERM exits with %d, want 143", code)
	}
}

// TestFinding11SessionSecretPersisted checks the secret half of finding 11:
// with no -session-secret, tickwire generates one into the state
// directory (0600) and reads it at the next start, so a token of one run
// is good at the next: the client is welcomed back into its session.
func TestFinding11SessionSecretPersisted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	env := map[string]string{"TICKWIRE_STATE_DIR": dir}
	first := startRun(t, env, "-log-level", "error")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := client.Dial(ctx, client.ClientConfig{URL: "ws://" + first.addr + "/ws", Name: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fi, err := os.Stat(filepath.Join(dir, "session-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("session secret file mode %v, want 0600", fi.Mode().Perm())
	}
	second := startRun(t, env, "-log-level", "error")
	b, err := client.Dial(ctx, client.ClientConfig{URL: "ws://" + second.addr + "/ws", SessionToken: a.SessionToken()})
	if err != nil {
		t.Fatalf("the next run refuses the token: %v", err)
	}
	defer b.Close()
	if b.Welcome().GetSessionId() != a.Welcome().GetSessionId() || b.Welcome().GetName() != "ada" {
		t.Errorf("next run welcomed %v, want session %s of ada", b.Welcome(), a.Welcome().GetSessionId())
	}
}
