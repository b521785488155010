package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestAdminRevoke revokes a seated player's session: the answer says the
// connection closed, the client ends with AUTH_FAILED, its seat is
// released, and a bad id is refused.
func TestAdminRevoke(t *testing.T) {
	as := startAdmin(t, "tok")
	ada := joinAdmin(t, as.lobby.url, "ada")
	room, session := ada.Joined().GetRoomId(), ada.Welcome().GetSessionId()
	as.waitRoom(t, room, 1)

	code, b := as.do(t, "POST", "/v1/admin/sessions/"+session+"/revoke", struct{}{})
	if code != http.StatusOK {
		t.Fatalf("revoke: %d %s", code, b)
	}
	var res RevokeResult
	if err := json.Unmarshal(b, &res); err != nil || res.Result != "revoked" || !res.Known || !res.ConnectionClosed || res.Session != session {
		t.Fatalf("revoke answer %s: want the known session revoked with its connection closed", b)
	}
	select {
	case <-ada.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the revoked session's connection stayed open")
	}
	var ce *wire.CloseError
	if !errors.As(ada.Err(), &ce) || ce.Reason != pb.CloseReason_CLOSE_REASON_AUTH_FAILED {
		t.Fatalf("revoked client ended with %v, want AUTH_FAILED", ada.Err())
	}
	waitFor(t, "the revoked player's seat released", func() bool { return as.lobby.Counters().Players == 0 })
	if n := as.lobby.Counters().HeldSeats; n != 0 {
		t.Errorf("%d seats held after the revocation, want none", n)
	}

	long := make([]byte, 300)
	for i := range long {
		long[i] = 'a'
	}
	if code, b := as.do(t, "POST", "/v1/admin/sessions/"+string(long)+"/revoke", struct{}{}); code != http.StatusBadRequest {
		t.Errorf("revoke of a 300-byte id: %d %s, want 400", code, b)
	}
}
