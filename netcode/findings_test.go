package netcode

import (
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestFinding7PingFlood reproduces finding 7 of the hardening review:
// WebSocket pings bypassed the message rate limit, so a few connections
// sending tens of thousands of pings a second took the server's time for
// free. Control frames now spend the message budget: a ping flood is cut
// off with PROTOCOL_ERROR and counted, while a client pinging within the
// limit is answered and stays.
func TestFinding7PingFlood(t *testing.T) {
	s := newTestServer(t, serveOpts{})
	flooder, floodSide := s.dial(t)
	normal, normalSide := s.dial(t)
	floods := counter(framesRejected.WithLabelValues(rejectControlFlood))

	// The normal client's pongs are counted as pingPong reads past them:
	// the server writes each pong before it reads the next frame.
	pongs := map[string]bool{}
	normal.SetPongHandler(func(payload string) error {
		pongs[payload] = true
		return nil
	})

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // as fast as possible, until the server hangs up
		defer wg.Done()
		for range 20000 {
			if flooder.WriteControl(websocket.PingMessage, []byte("x"), time.Now().Add(waitLimit)) != nil {
				return
			}
		}
	}()
	go func() { // 40 pings at 40 Hz: within the burst even if they arrive at once
		defer wg.Done()
		tick := time.NewTicker(25 * time.Millisecond)
		defer tick.Stop()
		for i := range 40 {
			<-tick.C
			if normal.WriteControl(websocket.PingMessage, []byte{byte(i)}, time.Now().Add(waitLimit)) != nil {
				return
			}
		}
	}()

	msgs, ce := readUntilClose(t, flooder)
	wg.Wait()
	if ce.Code != wire.CloseCode(pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR) || ce.Text != "control frame flood" {
		t.Errorf("flooder closed with %d %q, want 4006 \"control frame flood\"", ce.Code, ce.Text)
	}
	if len(msgs) != 2 || msgs[0].GetError().GetCode() != pb.ErrorCode_ERROR_CODE_RATE_LIMITED || msgs[1].GetClosing() == nil {
		t.Errorf("flooder got %v, want Error RATE_LIMITED then Closing", msgs)
	}
	floodSide.serveResult(t)
	if floodSide.conn.Stats().RateLimited == 0 || counter(framesRejected.WithLabelValues(rejectControlFlood)) != floods+1 {
		t.Error("the ping flood was not counted")
	}

	pingPong(t, normal) // still open and answering messages
	if len(pongs) != 40 {
		t.Errorf("the normal client got %d pongs to its 40 pings", len(pongs))
	}
	if d := normalSide.conn.Stats().RateLimited; d != 0 {
		t.Errorf("normal client had %d frames rate limited", d)
	}
}
