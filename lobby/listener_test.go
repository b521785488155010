package lobby

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/deadline"
)

// TestTrackedConnReserveDeadline: a reserve connection's deadlines never
// pass its end, whatever the server asks for, and the deadline memo under
// it keeps that true when the same request repeats; a connection that is
// not a reserve gets the deadlines asked for.
func TestTrackedConnReserveDeadline(t *testing.T) {
	tests := []struct {
		name        string
		reserve     bool
		asked       []time.Time // read deadlines set in turn before the read
		wantTimeout bool        // the read ends with a timeout near the end
	}{
		{"reserve, no deadline asked", true, []time.Time{{}}, true},
		{"reserve, a later deadline asked twice", true, []time.Time{time.Now().Add(time.Hour), time.Now().Add(time.Hour)}, true},
		{"reserve, no deadline after a later one", true, []time.Time{time.Now().Add(time.Hour), {}}, true},
		{"not a reserve, no deadline", false, []time.Time{{}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server, client := net.Pipe()
			defer client.Close()
			end := time.Now().Add(100 * time.Millisecond)
			tc := &trackedConn{Conn: deadline.Conn{Conn: server}, reserve: tt.reserve, end: end}
			defer tc.Conn.Close() // not tc.Close: no budget to give back to
			for _, d := range tt.asked {
				if err := tc.SetReadDeadline(d); err != nil {
					t.Fatal(err)
				}
			}
			read := make(chan error, 1)
			go func() {
				_, err := tc.Read(make([]byte, 1))
				read <- err
			}()
			select {
			case err := <-read:
				if !tt.wantTimeout {
					t.Fatalf("read ended with %v, want it to wait for data", err)
				}
				if !errors.Is(err, os.ErrDeadlineExceeded) {
					t.Fatalf("read ended with %v, want a deadline exceeded", err)
				}
				if early := time.Until(end); early > 10*time.Millisecond {
					t.Errorf("read timed out %v before the reserve's end", early)
				}
			case <-time.After(time.Second):
				if tt.wantTimeout {
					t.Fatal("a reserve connection's read outlived its end")
				}
			}
		})
	}
}
