package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tickwire/tickwire/netcode/client"
)

// syncBuffer is a log sink the test reads while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is a whole server started by run on loopback ports.
type running struct {
	addr  string // host:port of the public listener
	admin string // host:port of the admin listener
	logs  *syncBuffer
}

// startRun parses args (with the listeners on free loopback ports and
// env for the environment), runs the server until the test ends and waits
// for both listeners. run must then return nil.
func startRun(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	// The tests read the server's metrics often, from one address.
	args = append([]string{"-addr", "127.0.0.1:0", "-admin-addr", "127.0.0.1:0", "-metrics-rate-per-addr", "0", "-metrics-rate", "0"}, args...)
	c, err := parseConfig(args, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatalf("parseConfig %q: %v", args, err)
	}
	adminc := make(chan string, 1)
	c.adminReady = func(a string) { adminc <- a }
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	s := &running{logs: &syncBuffer{}}
	go func() { done <- run(ctx, c, s.logs, func(a string) { addrc <- a }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("run did not return")
		}
	})
	for s.addr == "" || s.admin == "" {
		select {
		case s.addr = <-addrc:
		case s.admin = <-adminc:
		case err := <-done:
			done <- err // for the cleanup
			t.Fatalf("run ended early: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatal("server did not start")
		}
	}
	return s
}

// request is one HTTP request to a running server.
type request struct {
	method, url string
	body        any
	header      map[string]string
}

// send makes req with a client that keeps no connection, and returns the
// status and body.
func send(t *testing.T, req request) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if req.body != nil {
		b, err := json.Marshal(req.body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	hr, err := http.NewRequest(req.method, req.url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range req.header {
		if k == "Host" {
			hr.Host = v
			continue
		}
		hr.Header.Set(k, v)
	}
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// adminGet GETs an admin path with token and decodes a 200 answer into out.
func (s *running) adminGet(t *testing.T, path, token string, out any) {
	t.Helper()
	code, b := send(t, request{method: "GET", url: "http://" + s.admin + path, header: map[string]string{"Authorization": "Bearer " + token}})
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, code, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, b)
	}
}

// metric returns the value of one series (name and labels exactly as
// /metrics prints them, such as `tickwire_joins_total{result="ok"}`) from
// the public listener, 0 when it is absent.
func (s *running) metric(t *testing.T, series string) float64 {
	t.Helper()
	code, b := send(t, request{method: "GET", url: "http://" + s.addr + "/metrics"})
	if code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", code, b)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric %s: %q", series, v)
			}
			return f
		}
	}
	return 0
}

// dialFrom connects a Go client named name to the server from the loopback
// address ip (127.0.0.x), so the server sees each such client as another
// address.
func dialFrom(t *testing.T, s *running, ip, name string) *client.Client {
	t.Helper()
	nd := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, client.ClientConfig{URL: "ws://" + s.addr + "/ws", Name: name,
		Dialer: &websocket.Dialer{NetDialContext: nd.DialContext, HandshakeTimeout: 5 * time.Second}})
	if err != nil {
		t.Fatalf("dial %s from %s: %v", name, ip, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// eventually polls cond until it holds; the deadline only guards against
// a hang.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
