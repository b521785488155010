package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestRevoke(t *testing.T) {
	s := startServer(t, "s3cret")
	bots, _ := startBots(t, s, 1)
	session := bots[0].Welcome().GetSessionId()
	r := s.tickctl(t, "revoke", session)
	if r.code != 0 || !strings.Contains(r.stdout, "session "+session+" revoked (its connection closed") {
		t.Fatalf("revoke: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	eventually(t, "the revoked bot's connection closes", func() bool {
		select {
		case <-bots[0].Done():
			return true
		default:
			return false
		}
	})
	var ce *wire.CloseError
	if !errors.As(bots[0].Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_AUTH_FAILED {
		t.Fatalf("revoked bot ended with %v, want AUTH_FAILED", bots[0].Err())
	}
	if r := s.tickctl(t, "revoke"); r.code != exitUsage {
		t.Errorf("revoke without a session: exit %d, want %d", r.code, exitUsage)
	}
}
