package netcode

import (
	"testing"
	"time"
)

func TestRecordPong(t *testing.T) {
	tests := []struct {
		name         string
		payloads     []string
		now          int64
		wantLast     time.Duration
		wantSmoothed time.Duration
	}{
		{"no pong yet", nil, 1000, 0, 0},
		{"one sample", []string{string(pingPayload(400))}, 1000, 600, 600},
		{"smoothed toward a new sample", []string{string(pingPayload(200)), string(pingPayload(600))}, 1000, 400, 800 + (400-800)/rttSmoothing},
		{"foreign payload ignored", []string{"hello"}, 1000, 0, 0},
		{"empty payload ignored", []string{""}, 1000, 0, 0},
		{"future send time ignored", []string{string(pingPayload(5000))}, 1000, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Conn{}
			for _, p := range tt.payloads {
				c.recordPong(p, tt.now)
			}
			if got := c.LastRTT(); got != tt.wantLast {
				t.Errorf("LastRTT = %v, want %v", got, tt.wantLast)
			}
			if got := c.RTT(); got != tt.wantSmoothed {
				t.Errorf("RTT = %v, want %v", got, tt.wantSmoothed)
			}
		})
	}
}

// TestConnMeasuresRTT checks that a real peer's automatic pong to the
// writer's first ping yields a round trip.
func TestConnMeasuresRTT(t *testing.T) {
	s := newTestServer(t, serveOpts{})
	ws, sv := s.dial(t)
	go func() {
		// Reading makes the socket library answer pings.
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	deadline := time.Now().Add(waitLimit)
	for sv.conn.RTT() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if rtt := sv.conn.RTT(); rtt <= 0 || rtt >= waitLimit {
		t.Fatalf("RTT = %v, want a measured round trip", rtt)
	}
	if sv.conn.LastRTT() <= 0 {
		t.Fatalf("LastRTT = %v, want > 0", sv.conn.LastRTT())
	}
	ws.Close()
	_ = sv.serveResult(t)
}
