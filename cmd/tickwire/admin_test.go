package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/admin"
)

func TestAdminFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(c config) bool
	}{
		{name: "default loopback", check: func(c config) bool { return c.adminAddr == "127.0.0.1:7778" && c.adminToken == "" }},
		{name: "off", args: []string{"-admin-addr", ""}, check: func(c config) bool { return c.adminAddr == "" }},
		{name: "token from env", args: []string{"-admin-addr", ":7778"}, env: map[string]string{"TICKWIRE_ADMIN_TOKEN": "t0ken"},
			check: func(c config) bool { return c.adminToken == "t0ken" }},
		{name: "record dir", args: []string{"-record-dir", "recs"}, check: func(c config) bool { return c.recordDir == "recs" }},
		{name: "record log budget default", check: func(c config) bool { return c.recordLogBudget == 256<<20 }},
		{name: "record log budget from env", env: map[string]string{"TICKWIRE_RECORD_LOG_BUDGET": "1048576"},
			check: func(c config) bool { return c.recordLogBudget == 1<<20 }},
		{name: "negative record log budget", args: []string{"-record-log-budget", "-1"}, wantErr: "-record-log-budget"},
		{name: "all interfaces without token", args: []string{"-admin-addr", ":7778"}, wantErr: "needs a token"},
		{name: "public address without token", args: []string{"-admin-addr", "0.0.0.0:7778"}, wantErr: "-admin-token"},
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
				t.Fatalf("config %+v, err %v", c, err)
			}
		})
	}
}

// TestRunRefusesOpenAdmin checks that run itself, not only the flag
// parser, refuses an admin listener on every interface without a token.
func TestRunRefusesOpenAdmin(t *testing.T) {
	c, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-admin-addr", "", "-log-level", "error"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c.adminAddr = "0.0.0.0:0"
	err = run(context.Background(), c, io.Discard, nil)
	if !errors.Is(err, admin.ErrNeedsToken) {
		t.Fatalf("run = %v, want ErrAdminNeedsToken", err)
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
