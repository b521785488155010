package client

import (
	"sync"
	"testing"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestClientSignsInAgain: a redial whose token the server refuses
// (INVALID_TOKEN, as after a restart with another secret) is followed by a
// Hello without token, with the client's name; the client is then back in
// the lobby with the new session's token, OnReconnect(false) says so, and
// Stats().SignIns counts it.
func TestClientSignsInAgain(t *testing.T) {
	var mu sync.Mutex
	var hellos []*pb.Hello
	srv := newScriptServer(t, scriptOpts{hello: func(n int, h *pb.Hello) helloAnswer {
		mu.Lock()
		hellos = append(hellos, h)
		mu.Unlock()
		switch n {
		case 1:
			return helloAnswer{welcome: &pb.Welcome{SessionId: "s1", SessionToken: "tok-1"}}
		case 2:
			return helloAnswer{refuse: pb.ErrorCode_ERROR_CODE_INVALID_TOKEN, reason: pb.CloseReason_CLOSE_REASON_AUTH_FAILED}
		}
		return helloAnswer{welcome: &pb.Welcome{SessionId: "s2", SessionToken: "tok-2"}}
	}})
	back := make(chan bool, 1)
	cfg := reconnecting()
	cfg.Name = "ada"
	cfg.OnReconnect = func(resumed bool) { back <- resumed }
	c, sc := srv.dial(t, cfg)
	c.DropConnection()
	sc.hangUp()
	srv.accept(t, c)
	if resumed := waitFor(t, back, "OnReconnect"); resumed {
		t.Error("OnReconnect(true) after a fresh sign-in")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hellos) != 3 || hellos[1].GetSessionToken() != "tok-1" || hellos[2].GetSessionToken() != "" || hellos[2].GetName() != "ada" {
		t.Fatalf("hellos %v, want the token, then a guest Hello of ada", hellos)
	}
	if c.SessionToken() != "tok-2" || c.Welcome().GetSessionId() != "s2" || c.Stats().SignIns != 1 || c.Err() != nil {
		t.Errorf("after the sign-in: token %q, session %q, SignIns %d, Err %v; want tok-2, s2, 1, nil",
			c.SessionToken(), c.Welcome().GetSessionId(), c.Stats().SignIns, c.Err())
	}
}
