package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/cmd/internal/cli"
)

// TestFinding8AdminAPI: the admin API on loopback took no token, so any web
// page the operator visited could drive it (a cross-site POST to kick or
// close was accepted; any Host was accepted, so DNS rebinding worked);
// /debug/pprof/cmdline printed -session-secret in clear; a 1-character
// -admin-token was accepted on a public address. Each is checked against
// the whole server over loopback.
func TestFinding8AdminAPI(t *testing.T) {
	t.Run("a token always, generated into the state directory", func(t *testing.T) {
		state := filepath.Join(t.TempDir(), "state")
		s := startRun(t, nil, "-state-dir", state, "-log-level", "error")
		path := filepath.Join(state, cli.AdminTokenFile)
		token, err := cli.ReadSecret(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(token) < admin.MinTokenLength {
			t.Fatalf("generated token of %d characters, want at least %d", len(token), admin.MinTokenLength)
		}
		for p, want := range map[string]os.FileMode{path: 0o600, state: 0o700} {
			if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
				t.Fatalf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, want)
			}
		}
		if code, b := send(t, request{method: "GET", url: "http://" + s.admin + "/v1/admin/overview"}); code != http.StatusUnauthorized {
			t.Fatalf("overview without a token: %d %s, want 401", code, b)
		}
		var o admin.Overview
		s.adminGet(t, "/v1/admin/overview", token, &o)
	})

	const token = "finding-8-admin-token-32-characters"
	t.Run("cross-site requests and foreign hosts refused", func(t *testing.T) {
		s := startRun(t, nil, "-admin-token", token, "-log-level", "error")
		ada := dialFrom(t, s, "127.0.0.2", "ada")
		joined, err := ada.Join(timeoutCtx(t), "arena", "")
		if err != nil {
			t.Fatal(err)
		}
		room := "/v1/admin/rooms/" + joined.GetRoomId()
		kick := map[string]any{"player": 1, "reason": "pwned"}
		tests := []struct {
			name   string
			req    request
			want   int
			reason string
		}{
			// What a web page's form or fetch sends: its own origin, no
			// token (a page cannot add one to a cross-site request
			// without asking first).
			{"cross-site kick", request{method: "POST", url: room + "/kick", body: kick,
				header: map[string]string{"Origin": "https://evil.example", "Content-Type": "text/plain"}}, http.StatusForbidden, "cross_site"},
			{"cross-site close, fetch metadata", request{method: "POST", url: room + "/close",
				header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, http.StatusForbidden, "cross_site"},
			{"cross-site kick with the token", request{method: "POST", url: room + "/kick", body: kick,
				header: map[string]string{"Origin": "http://localhost:8080", "Authorization": "Bearer " + token}}, http.StatusForbidden, "cross_site"},
			// DNS rebinding: the page's own name resolves to 127.0.0.1 and
			// its requests carry that name in Host.
			{"rebound host reads", request{method: "GET", url: "/v1/admin/rooms",
				header: map[string]string{"Host": "rebind.evil.example:7778", "Authorization": "Bearer " + token}}, http.StatusMisdirectedRequest, "host"},
			{"rebound host closes", request{method: "POST", url: room + "/close",
				header: map[string]string{"Host": "rebind.evil.example", "Authorization": "Bearer " + token}}, http.StatusMisdirectedRequest, "host"},
			{"no token", request{method: "POST", url: room + "/close"}, http.StatusUnauthorized, "token"},
		}
		for _, tt := range tests {
			before := s.metric(t, `tickwire_admin_refused_total{reason="`+tt.reason+`"}`)
			tt.req.url = "http://" + s.admin + tt.req.url
			if code, b := send(t, tt.req); code != tt.want {
				t.Errorf("%s: %d %s, want %d", tt.name, code, b, tt.want)
			}
			if got := s.metric(t, `tickwire_admin_refused_total{reason="`+tt.reason+`"}`) - before; got != 1 {
				t.Errorf("%s: tickwire_admin_refused_total{reason=%q} rose by %v, want 1", tt.name, tt.reason, got)
			}
		}
		var d admin.RoomDetail
		s.adminGet(t, room, token, &d)
		if len(d.PlayerList) != 1 || !d.PlayerList[0].Connected {
			t.Fatalf("after the refused requests the room has %+v, want ada still playing", d.PlayerList)
		}
		select {
		case <-ada.Done():
			t.Fatalf("ada's connection ended: %v", ada.Err())
		default:
		}
	})

	t.Run("no secret in cmdline, logs or metrics", func(t *testing.T) {
		const secret = "finding-8-session-secret"
		s := startRun(t, nil, "-session-secret="+secret, "-admin-token", token, "-log-level", "debug")
		ada := dialFrom(t, s, "127.0.0.3", "ada")
		if _, err := ada.Join(timeoutCtx(t), "arena", ""); err != nil {
			t.Fatal(err)
		}
		send(t, request{method: "GET", url: "http://" + s.admin + "/v1/admin/rooms", header: map[string]string{"Authorization": "Bearer wrong"}})
		code, cmdline := send(t, request{method: "GET", url: "http://" + s.admin + "/debug/pprof/cmdline", header: map[string]string{"Authorization": "Bearer " + token}})
		if code != http.StatusOK {
			t.Fatalf("cmdline: %d %s", code, cmdline)
		}
		args := strings.Split(string(cmdline), "\x00")
		if !strings.Contains(string(cmdline), "-session-secret="+admin.Redacted) || !strings.Contains(string(cmdline), "-admin-token\x00"+admin.Redacted) || len(args) < 5 {
			t.Fatalf("cmdline %q: want the command line with both secrets redacted", args)
		}
		_, metrics := send(t, request{method: "GET", url: "http://" + s.addr + "/metrics"})
		for what, text := range map[string]string{"/debug/pprof/cmdline": string(cmdline), "/metrics": string(metrics), "the logs": s.logs.String()} {
			for _, v := range []string{secret, token} {
				if strings.Contains(text, v) {
					t.Errorf("%s show a secret", what)
				}
			}
		}
		if !strings.Contains(s.logs.String(), "level=DEBUG") {
			t.Fatal("no debug log written: the check above proves little")
		}
	})

	t.Run("short token refused on a public address", func(t *testing.T) {
		var stderr strings.Builder
		if _, err := parseConfig([]string{"-admin-addr", "0.0.0.0:7778", "-admin-token", "x"}, func(string) string { return "" }, &stderr); err == nil ||
			!strings.Contains(stderr.String(), "fewer than 32") {
			t.Fatalf("parseConfig: %v %q, want the short token refused", err, stderr.String())
		}
		c, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-admin-addr", "", "-log-level", "error"}, func(string) string { return "" }, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		c.adminAddr, c.adminToken = "0.0.0.0:0", "x"
		if err := run(context.Background(), c, io.Discard, nil); !errors.Is(err, admin.ErrShortToken) {
			t.Fatalf("run = %v, want ErrShortToken", err)
		}
	})
}

// timeoutCtx returns a context that ends after 5 s or with the test.
func timeoutCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}
