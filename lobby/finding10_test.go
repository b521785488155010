package lobby

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// helloWith dials a fresh client with token and returns it, or the
// refusal.
func helloWith(t *testing.T, url, token string) (*client.Client, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, client.ClientConfig{URL: url, Name: "again", SessionToken: token})
	if err == nil {
		t.Cleanup(func() { _ = c.Close() })
	}
	return c, err
}

// refusedWith reports whether err is a Hello refused with code.
func refusedWith(err error, code pb.ErrorCode) bool {
	var se *client.ServerError
	return errors.As(err, &se) && se.Code == code
}

// TestFinding10Tokens reproduces the token half of finding 10 of the
// hardening review: tokens could not be revoked and outlived renewals.
// Each Welcome renews the token, and once a renewed token is used the
// older ones are refused (INVALID_TOKEN); the token a renewal replaced
// still works until then, so a client that lost the Welcome can come
// back. An operator's revocation refuses every token of the session,
// closes its live connection with AUTH_FAILED and releases its seat, held
// or not.
func TestFinding10Tokens(t *testing.T) {
	ts := startServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()

	t.Run("renewal retires older tokens", func(t *testing.T) {
		a := dial(t, ts.url, "ann", nil)
		t1 := a.SessionToken()
		b, err := helloWith(t, ts.url, t1)
		if err != nil {
			t.Fatalf("hello with the first token: %v", err)
		}
		t2 := b.SessionToken()
		if t2 == t1 || b.Welcome().GetSessionId() != a.Welcome().GetSessionId() {
			t.Fatalf("renewal gave %q for session %s, want a new token of %s", t2, b.Welcome().GetSessionId(), a.Welcome().GetSessionId())
		}
		// t2 unused: t1 still good (a client that lost its Welcome).
		c, err := helloWith(t, ts.url, t1)
		if err != nil {
			t.Fatalf("hello with the renewed-but-unused token's predecessor: %v", err)
		}
		t3 := c.SessionToken()
		if _, err := helloWith(t, ts.url, t3); err != nil {
			t.Fatalf("hello with the newest token: %v", err)
		}
		before := metricValue(t, "tickwire_handshake_failures_total", "reason", "retired_token")
		for _, old := range []string{t1, t2} {
			if _, err := helloWith(t, ts.url, old); !refusedWith(err, pb.ErrorCode_ERROR_CODE_INVALID_TOKEN) {
				t.Errorf("hello with a retired token: %v, want INVALID_TOKEN", err)
			}
		}
		if d := metricValue(t, "tickwire_handshake_failures_total", "reason", "retired_token") - before; d != 2 {
			t.Errorf("retired tokens counted %v, want 2", d)
		}
	})

	t.Run("revoke closes the connection and releases the seat", func(t *testing.T) {
		b := dial(t, ts.url, "bob", nil)
		joined, err := b.Join(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		room := joined.GetRoomId()
		rev := ts.RevokeSession(b.Welcome().GetSessionId())
		if !rev.Known || !rev.ConnectionClosed {
			t.Errorf("revocation %+v, want a known session whose connection closed", rev)
		}
		<-b.Done()
		var ce *wire.CloseError
		if !errors.As(b.Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_AUTH_FAILED {
			t.Errorf("revoked client ended with %v, want AUTH_FAILED", b.Err())
		}
		eventually(t, "the revoked player's seat to be released", func() bool {
			lr, ok := ts.Room(room)
			return !ok || lr.Players == 0
		})
		if _, err := helloWith(t, ts.url, b.SessionToken()); !refusedWith(err, pb.ErrorCode_ERROR_CODE_INVALID_TOKEN) {
			t.Errorf("hello with a revoked session's token: %v, want INVALID_TOKEN", err)
		}
	})

	t.Run("revoke releases a held seat", func(t *testing.T) {
		c := dial(t, ts.url, "cid", nil)
		joined, err := c.Join(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		id, token := c.Welcome().GetSessionId(), c.SessionToken()
		c.DropConnection()
		eventually(t, "the seat to be held", func() bool { return ts.holds.cache.Contains(id) })
		if rev := ts.RevokeSession(id); !rev.SeatReleased || rev.ConnectionClosed {
			t.Errorf("revocation %+v, want the held seat released and no connection", rev)
		}
		eventually(t, "the held seat to be released", func() bool {
			lr, ok := ts.Room(joined.GetRoomId())
			return !ok || lr.Players == 0
		})
		if _, err := helloWith(t, ts.url, token); !refusedWith(err, pb.ErrorCode_ERROR_CODE_INVALID_TOKEN) {
			t.Errorf("hello with a revoked session's token: %v, want INVALID_TOKEN", err)
		}
	})
}
