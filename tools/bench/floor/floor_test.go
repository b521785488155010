package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tickwire/tickwire/tools/bench/loadstats"
)

// TestServerAndLoad runs the server and the load generator on loopback and
// checks the stats lines against the rates asked for, and that frames ack
// the inputs (without the echoed sequence numbers there are no samples).
func TestServerAndLoad(t *testing.T) {
	c, cancel, served := startServer(t, "-bots", "3", "-ramp", "100", "-stats-every", "250ms",
		"-room-size", "2", "-frame-bytes", "50", "-input-bytes", "9")
	defer cancel()
	loadCtx, stopLoad := context.WithTimeout(context.Background(), 3*time.Second)
	defer stopLoad()
	var out bytes.Buffer
	if err := runLoad(loadCtx, c, &out); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}

	var lines []loadstats.Line
	for _, raw := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var l loadstats.Line
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("line %q: %v", raw, err)
		}
		lines = append(lines, l)
	}
	if len(lines) < 8 {
		t.Fatalf("%d stats lines in 3 s at 250 ms", len(lines))
	}
	last := lines[len(lines)-1]
	if last.Bots != 3 || last.Failed != 0 || last.Errors != 0 {
		t.Errorf("last line %+v: want 3 bots, none failed, no errors", last)
	}
	if last.SeatedS < 3*2.4 || last.SeatedS > 3*3.1 {
		t.Errorf("seated %.2f bot-seconds in a 3 s run of 3 bots", last.SeatedS)
	}
	perBotS := func(n uint64) float64 { return float64(n) / last.SeatedS }
	if r := perBotS(last.Snapshots); r < 15 || r > 22 {
		t.Errorf("%.1f frames a bot-second, want about 20", r)
	}
	if r := perBotS(last.Inputs); r < 25 || r > 32 {
		t.Errorf("%.1f inputs a bot-second, want about 30", r)
	}
	if last.BytesIn != last.Snapshots*50 || last.BytesOut != last.Inputs*9 {
		t.Errorf("bytes in %d for %d frames of 50, out %d for %d inputs of 9",
			last.BytesIn, last.Snapshots, last.BytesOut, last.Inputs)
	}
	var samples uint64
	for _, l := range lines {
		for _, b := range l.AckNs {
			samples += b[1]
			if time.Duration(b[0]) > time.Second {
				t.Errorf("an input acked after %v on loopback", time.Duration(b[0]))
			}
		}
	}
	// Every input a frame acknowledges is sampled once; only each bot's
	// last inputs, sent after its last frame, go without (one frame's
	// worth and a few more). Sampling the newest input of each frame
	// alone would leave a third unsampled.
	unsampled := uint64(3 * (c.inputHz/c.snapshotHz + 3))
	if samples+unsampled < last.Inputs || samples > last.Inputs {
		t.Errorf("%d input→ack samples for %d inputs", samples, last.Inputs)
	}
}

func TestParseSources(t *testing.T) {
	got, err := parseSources("127.1.0.0/30")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Addr{netip.MustParseAddr("127.1.0.1"), netip.MustParseAddr("127.1.0.2")}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("host addresses of a /30 = %v, want %v", got, want)
	}
	if got, _ := parseSources("127.1.0.0/16"); len(got) != 65534 {
		t.Errorf("a /16 has %d host addresses, want 65534", len(got))
	}
	if got, err := parseSources(""); err != nil || got != nil {
		t.Errorf(`"" = %v, %v; want none`, got, err)
	}
	for _, bad := range []string{"127.1.0.1", "::1/64", "127.0.0.0/31", "10.0.0.0/15", "nonsense"} {
		if _, err := parseSources(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestConfigRefusals(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-serve", "-load"},
		{"-serve", "-frame-bytes", "3"},
		{"-load", "-input-bytes", "0"},
		{"-load", "-bots", "0"},
		{"-load", "-ramp", "0"},
		{"-serve", "extra"},
	} {
		if _, err := parseConfig(args, io.Discard); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func TestProfilesOnLoopbackOnly(t *testing.T) {
	for _, bad := range []string{"0.0.0.0:7791", "10.1.2.3:7791", "localhost:7791", ":7791"} {
		if ln, err := listenLoopback(bad); err == nil {
			ln.Close()
			t.Errorf("%q accepted", bad)
		}
	}
	ln, err := listenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		serveProfiles(ctx, ln)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + ln.Addr().String() + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "serveProfiles") {
		t.Errorf("goroutine profile: %s\n%.300s", resp.Status, body)
	}
}

// TestServerStopsWithBotsSeated stops the server while bots play: it
// closes their connections and returns once its goroutines have ended.
func TestServerStopsWithBotsSeated(t *testing.T) {
	c, stopServer, served := startServer(t, "-bots", "3", "-ramp", "100", "-stats-every", "100ms")
	defer stopServer()

	loadCtx, stopLoad := context.WithTimeout(context.Background(), 10*time.Second)
	defer stopLoad()
	lines := &lockedBuffer{}
	loaded := make(chan error, 1)
	go func() { loaded <- runLoad(loadCtx, c, lines) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(lines.String(), `"live":3`) {
		if time.Now().After(deadline) {
			t.Fatalf("the bots were not all seated:\n%s", lines.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopServer()
	select {
	case err := <-served:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not stop with bots seated")
	}
	// The bots find their connections closed, each in its own time.
	seen := len(lines.String())
	for !strings.Contains(lines.String()[seen:], `"live":0,`) {
		if time.Now().After(deadline.Add(5 * time.Second)) {
			t.Fatalf("bots still live after the server stopped:\n%s", lines.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopLoad()
	if err := <-loaded; err != nil {
		t.Fatal(err)
	}
	var last loadstats.Line
	all := strings.Split(strings.TrimSpace(lines.String()), "\n")
	if err := json.Unmarshal([]byte(all[len(all)-1]), &last); err != nil {
		t.Fatal(err)
	}
	if last.Live != 0 || last.Errors != 3 {
		t.Errorf("after the server stopped: %d live, %d errors; want 0 and 3 (each bot lost its connection)", last.Live, last.Errors)
	}
}

// startServer serves on a loopback port of its own with the -load flags
// args, which it returns with the server's address in them, a function
// that stops the server, and where serveOn's result arrives.
func startServer(t *testing.T, args ...string) (config, context.CancelFunc, <-chan error) {
	t.Helper()
	c, err := parseConfig(append([]string{"-load"}, args...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.server = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveOn(ctx, c, ln) }()
	return c, cancel, served
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
