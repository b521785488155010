package lobby

import (
	"log/slog"
	"regexp"
	"testing"
)

// TestDebugLogNamesWelcomedSessions: at debug level the server logs the
// session id of every connection it welcomes, with the player's name, so
// an operator can find the id to revoke; the id logged is the one the
// client was welcomed with.
func TestDebugLogNamesWelcomedSessions(t *testing.T) {
	logs := &lockedBuffer{}
	ts := startServerLogged(t, nil, arenaModes(nil), slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	c := dial(t, ts.url, "ada", nil)
	want := c.Welcome().GetSessionId()
	re := regexp.MustCompile(`msg="session welcomed" session=(\S+) name=ada remote=127\.0\.0\.1:\d+ resumed=false`)
	var got string
	eventually(t, "the welcome's log line", func() bool {
		logs.mu.Lock()
		defer logs.mu.Unlock()
		if m := re.FindStringSubmatch(logs.buf.String()); m != nil {
			got = m[1]
			return true
		}
		return false
	})
	if got != want {
		t.Fatalf("logged session %q, welcomed as %q", got, want)
	}
	if rev := ts.RevokeSession(got); !rev.ConnectionClosed {
		t.Errorf("revoking the logged id: %+v, want the connection closed", rev)
	}
}
