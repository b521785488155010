package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/lobby"
)

func TestAdminFlags(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("k", 32)
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(long+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte("a-session-secret-of-some-length\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	home := map[string]string{"HOME": "/home/op"}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(c config) bool
	}{
		{name: "default loopback", env: home, check: func(c config) bool {
			return c.adminAddr == "127.0.0.1:7778" && c.adminToken == "" && c.stateDir == filepath.Join("/home/op", ".local", "state", "tickwire")
		}},
		{name: "state dir of XDG", env: map[string]string{"XDG_STATE_HOME": "/xdg", "HOME": "/home/op"},
			check: func(c config) bool { return c.stateDir == filepath.Join("/xdg", "tickwire") }},
		{name: "state dir flag", args: []string{"-state-dir", dir}, check: func(c config) bool { return c.stateDir == dir }},
		{name: "no state dir needed with a token", args: []string{"-admin-token", "t"}, check: func(c config) bool { return c.adminToken == "t" }},
		{name: "off", args: []string{"-admin-addr", ""}, check: func(c config) bool { return c.adminAddr == "" }},
		{name: "token from env", args: []string{"-admin-addr", ":7778"}, env: map[string]string{"TICKWIRE_ADMIN_TOKEN": long},
			check: func(c config) bool { return c.adminToken == long }},
		{name: "token from file", args: []string{"-admin-addr", ":7778", "-admin-token-file", tokenFile},
			check: func(c config) bool { return c.adminToken == long }},
		{name: "token and token file", args: []string{"-admin-token", "t", "-admin-token-file", tokenFile}, wantErr: "both given"},
		{name: "missing token file", args: []string{"-admin-token-file", filepath.Join(dir, "none")}, wantErr: "-admin-token-file"},
		{name: "session secret from file", args: []string{"-session-secret-file", secretFile}, env: home,
			check: func(c config) bool { return c.sessionSecret == "a-session-secret-of-some-length" }},
		{name: "session secret and its file", args: []string{"-session-secret", "x", "-session-secret-file", secretFile}, env: home, wantErr: "both given"},
		{name: "admin hosts", args: []string{"-admin-host", "ops.example, 10.0.0.5"}, env: home,
			check: func(c config) bool { return c.adminHosts == "ops.example, 10.0.0.5" }},
		{name: "record dir", args: []string{"-record-dir", "recs"}, env: home, check: func(c config) bool { return c.recordDir == "recs" }},
		{name: "record log budget default", env: home, check: func(c config) bool { return c.recordLog.budget == 64<<20 && c.recordLog.dir == os.TempDir() }},
		{name: "record logs in memory", args: []string{"-record-log-dir", "memory"}, env: home,
			check: func(c config) bool { return c.recordLog.dir == "" && c.recordLog.budget == recordLogBudgetInMemory }},
		{name: "record logs in memory from env", env: map[string]string{"TICKWIRE_RECORD_LOG_DIR": "memory", "HOME": "/h"},
			check: func(c config) bool { return c.recordLog.dir == "" && c.recordLog.budget == recordLogBudgetInMemory }},
		{name: "record logs in memory, budget given", args: []string{"-record-log-dir", "", "-record-log-budget", "1000000"}, env: home,
			check: func(c config) bool { return c.recordLog.dir == "" && c.recordLog.budget == 1000000 }},
		{name: "record log dir given", args: []string{"-record-log-dir", dir}, env: home,
			check: func(c config) bool { return c.recordLog.dir == dir && c.recordLog.budget == 64<<20 }},
		{name: "record log dir not a directory", args: []string{"-record-log-dir", tokenFile}, env: home, wantErr: "-record-log-dir"},
		{name: "record log dir missing", args: []string{"-record-log-dir", filepath.Join(dir, "none")}, env: home, wantErr: "cannot make a file there"},
		{name: "record log budget from env", env: map[string]string{"TICKWIRE_RECORD_LOG_BUDGET": "1048576", "HOME": "/h"},
			check: func(c config) bool { return c.recordLog.budget == 1<<20 }},
		{name: "negative record log budget", args: []string{"-record-log-budget", "-1"}, env: home, wantErr: "-record-log-budget"},
		{name: "all interfaces, generated token", args: []string{"-admin-addr", ":7778"}, env: home, check: func(c config) bool { return c.adminToken == "" }},
		{name: "all interfaces, short token", args: []string{"-admin-addr", ":7778", "-admin-token", "s3cret"}, wantErr: "fewer than 32"},
		{name: "public address, short token", args: []string{"-admin-addr", "0.0.0.0:7778", "-admin-token", long[1:]}, wantErr: "-admin-addr"},
		{name: "loopback, short token", args: []string{"-admin-token", "s3cret"}, check: func(c config) bool { return c.adminToken == "s3cret" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, &stderr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(stderr.String(), tt.wantErr) {
					t.Fatalf("err %v, stderr %q: want a refusal mentioning %q", err, stderr.String(), tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(c) {
				t.Fatalf("admin %q token %d bytes, state dir %q, err %v", c.adminAddr, len(c.adminToken), c.stateDir, err)
			}
		})
	}
}

// TestRunRefusesShortTokenOffLoopback checks that run itself, not only the
// flag parser, refuses an admin listener on every interface with a short
// token, and one with no token and nowhere to write one.
func TestRunRefusesShortTokenOffLoopback(t *testing.T) {
	c, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-admin-addr", "", "-log-level", "error"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c.adminAddr, c.adminToken = "0.0.0.0:0", "s3cret"
	if err := run(context.Background(), c, io.Discard, nil); !errors.Is(err, admin.ErrShortToken) {
		t.Fatalf("run = %v, want ErrShortToken", err)
	}
	c.adminToken, c.stateDir = "", ""
	if err := run(context.Background(), c, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "no state directory") {
		t.Fatalf("run = %v, want a refusal for want of a state directory", err)
	}
}

// TestAdminListener starts the server with a token-guarded admin API on its
// own port: the admin API answers there, with the token only, and the
// public port serves neither it nor pprof.
func TestAdminListener(t *testing.T) {
	c, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-admin-addr", "127.0.0.1:0", "-admin-token", "s3cret", "-log-level", "error"},
		func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	adminc := make(chan string, 1)
	c.adminReady = func(a string) { adminc <- a }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, c, io.Discard, func(a string) { addrc <- a }) }()
	var addr, adminAddr string
	for addr == "" || adminAddr == "" {
		select {
		case addr = <-addrc:
		case adminAddr = <-adminc:
		case err := <-done:
			t.Fatalf("run ended early: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatal("server did not start")
		}
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	status := func(url, token string) (int, []byte) {
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	code, b := status("http://"+adminAddr+"/v1/admin/overview", "s3cret")
	var o admin.Overview
	if code != http.StatusOK || json.Unmarshal(b, &o) != nil || o.Version == "" {
		t.Fatalf("overview: %d %s", code, b)
	}
	if code, _ := status("http://"+adminAddr+"/v1/admin/overview", "wrong"); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d, want 401", code)
	}
	if code, _ := status("http://"+adminAddr+"/debug/pprof/", "s3cret"); code != http.StatusOK {
		t.Fatalf("pprof on the admin port: %d, want 200", code)
	}
	for _, path := range []string{"/debug/pprof/", "/v1/admin/overview"} {
		if code, _ := status("http://"+addr+path, "s3cret"); code != http.StatusNotFound {
			t.Fatalf("public port %s: %d, want 404", path, code)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return")
	}
}

// TestRecordLogDirFallback: when the default log directory (the system's
// temporary one) takes no files, the server keeps its input logs in memory
// under the in-memory budget, says why, and still starts.
func TestRecordLogDirFallback(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone"))
	c, err := parseConfig(nil, func(k string) string { return map[string]string{"HOME": "/h"}[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	r := c.recordLog
	if r.dir != "" || r.budget != recordLogBudgetInMemory || r.fallback == nil {
		t.Fatalf("dir %q, budget %d, fallback %v: want the logs in memory under %d bytes, and why", r.dir, r.budget, r.fallback, recordLogBudgetInMemory)
	}
	var logs bytes.Buffer
	var rooms lobby.RoomSettings
	r.apply(&rooms, slog.New(slog.NewTextHandler(&logs, nil)))
	if rooms.RecordLogDir != "" || rooms.RecordLogBudget != recordLogBudgetInMemory || !strings.Contains(logs.String(), "the input logs stay in memory") {
		t.Fatalf("rooms %+v, log %q: want the logs in memory and a warning", rooms, logs.String())
	}
}
