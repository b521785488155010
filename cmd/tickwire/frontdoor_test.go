package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/lobby"
)

func TestFrontDoorFlags(t *testing.T) {
	env := map[string]string{
		"TICKWIRE_SIGNIN_RATE_PER_ADDR": "3/1s",
		"TICKWIRE_TRUSTED_PROXY":        "10.0.0.0/8, 192.0.2.7",
		"TICKWIRE_LOBBY_IDLE_TIMEOUT":   "90s",
	}
	c, err := parseConfig([]string{"-max-conns-per-addr", "8", "-list-rate", "0", "-allowed-origins", "https://*.example.com,http://localhost:*",
		"-max-custom-rooms", "-1", "-max-batch-inputs", "4", "-http-idle-timeout", "5s"},
		func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var cfg lobby.Config
	c.frontDoor.apply(&cfg)
	l := cfg.Limits
	want := lobby.DefaultLimits()
	want.ConnsPerAddr, want.SignInsPerAddr, want.Lists, want.LobbyIdleTimeout = 8, lobby.Rate{N: 3, Per: time.Second}, lobby.Rate{}, 90*time.Second
	if l != want {
		t.Errorf("limits %+v\nwant %+v", l, want)
	}
	proxies := lobby.Proxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}
	if cfg.TrustedProxies.String() != proxies.String() {
		t.Errorf("trusted proxies %v, want %v", cfg.TrustedProxies, proxies)
	}
	if strings.Join(cfg.AllowedOrigins, " ") != "https://*.example.com http://localhost:*" {
		t.Errorf("allowed origins %q", cfg.AllowedOrigins)
	}
	if cfg.Rooms.MaxCustomRooms != -1 || cfg.Rooms.MaxBatchInputs != 4 || cfg.Rooms.MaxSeqJump != 1024 || cfg.HTTP.IdleTimeout != 5*time.Second {
		t.Errorf("rooms %+v, http %+v", cfg.Rooms, cfg.HTTP)
	}
}

func TestFrontDoorFlagsRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"rate without period", []string{"-list-rate", "5"}, "want N/duration"},
		{"rate with a bad period", []string{"-create-rate-per-addr", "5/soon"}, "not a positive duration"},
		{"bad proxy", []string{"-trusted-proxy", "10.0.0.0/99"}, "-trusted-proxy"},
		{"bad origin", []string{"-allowed-origins", "https://exa*mple.com"}, "-allowed-origins"},
		{"negative per address", []string{"-max-conns-per-addr", "-1"}, "-max-conns-per-addr -1"},
		{"no batch", []string{"-max-batch-inputs", "0"}, "-max-batch-inputs 0"},
		{"no seq jump", []string{"-max-seq-jump", "0"}, "-max-seq-jump 0"},
		{"no header timeout", []string{"-http-header-timeout", "0s"}, "-http-header-timeout 0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if _, err := parseConfig(tt.args, func(string) string { return "" }, &stderr); err == nil || !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("err %v, stderr %q: want %q", err, stderr.String(), tt.want)
			}
		})
	}
}

func TestConnBudget(t *testing.T) {
	tests := []struct {
		name                   string
		maxConns               int
		fileLimit              uint64
		connReserve, fdReserve int
		want                   int
		lowered                bool
	}{
		{"unknown file limit", 10000, 0, 16, 256, 10000, false},
		{"fits", 10000, 1 << 20, 16, 256, 10000, false},
		{"the container's 1024", 10000, 1024, 16, 256, 752, true},
		{"no limit asked", 0, 4096, 16, 256, 3824, true},
		{"reserves above the limit", 100, 200, 16, 256, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, lowered := connBudget(tt.maxConns, tt.fileLimit, tt.connReserve, tt.fdReserve)
			if got != tt.want || lowered != tt.lowered {
				t.Fatalf("connBudget = %d, %t; want %d, %t", got, lowered, tt.want, tt.lowered)
			}
		})
	}
}

// TestRunServesHealthzWhenFull starts the real server with room for two
// connections: two idle TCP connections fill the port, a third is served
// /healthz from the reserve but nothing else, and once the reserve is used
// up a connection is closed at once; the admin API, on its own listener,
// answers all along.
func TestRunServesHealthzWhenFull(t *testing.T) {
	c, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-admin-addr", "127.0.0.1:0", "-admin-token", "s3cret", "-log-level", "error",
		"-max-conns", "2", "-conn-reserve", "1", "-fd-reserve", "0"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	adminc := make(chan string, 1)
	c.adminReady = func(a string) { adminc <- a }
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, c, io.Discard, func(a string) { addrc <- a }) }()
	var addr, admin string
	for addr == "" || admin == "" {
		select {
		case addr = <-addrc:
		case admin = <-adminc:
		case err := <-done:
			t.Fatalf("run ended early: %v", err)
		}
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	for range 2 {
		idle, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer idle.Close()
	}
	// The listener accepts connections in the order they were made, so
	// the two idle ones fill the port before the next one arrives.
	if got := rawGet(t, addr, "/v1/modes"); !strings.HasPrefix(got, "HTTP/1.1 503") {
		t.Fatalf("GET /v1/modes from the reserve: %q, want 503", firstLine(got))
	}
	if got := rawGet(t, addr, "/healthz"); !strings.HasPrefix(got, "HTTP/1.1 200") || !strings.HasSuffix(got, "ok\n") {
		t.Fatalf("GET /healthz from the reserve: %q, want 200 ok", got)
	}
	squatter, err := net.Dial("tcp", addr) // takes the reserve
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	if got := rawGet(t, addr, "/healthz"); got != "" {
		t.Fatalf("GET /healthz past the reserve: %q, want the connection closed unanswered", firstLine(got))
	}
	req, _ := http.NewRequest("GET", "http://"+admin+"/v1/admin/overview", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := (&http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the admin API while the public port is full: %v %v, want 200", resp, err)
	}
	resp.Body.Close()
}

// rawGet sends one GET on a new connection and returns the whole answer,
// or "" when the server closed the connection without one.
func rawGet(t *testing.T, addr, path string) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
		return ""
	}
	b, _ := io.ReadAll(conn)
	return string(b)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\r\n")
	return line
}
