package main

import (
	"errors"
	"math/rand/v2"
	"net"
	"testing"
	"time"
)

// TestPausableConnStopsReading: while paused the socket is really not read,
// so the peer's write cannot complete (net.Pipe has no buffer); resume lets
// it through.
func TestPausableConnStopsReading(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	pc := newPausableConn(a)
	defer pc.Close()
	pc.pauseUntil(time.Now().Add(time.Hour))

	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 8)
		n, _ := pc.Read(buf)
		got <- string(buf[:n])
	}()
	written := make(chan error, 1)
	go func() {
		_, err := b.Write([]byte("snap"))
		written <- err
	}()
	select {
	case <-written:
		t.Fatal("the peer's write completed while reading was paused")
	case <-time.After(100 * time.Millisecond):
	}
	pc.resume()
	if s := <-got; s != "snap" {
		t.Errorf("read %q after resume, want snap", s)
	}
	if err := <-written; err != nil {
		t.Errorf("write: %v", err)
	}
}

func TestPausableConnCloseEndsPause(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	pc := newPausableConn(a)
	pc.pauseUntil(time.Now().Add(time.Hour))
	done := make(chan error, 1)
	go func() {
		_, err := pc.Read(make([]byte, 1))
		done <- err
	}()
	pc.Close()
	if err := <-done; !errors.Is(err, net.ErrClosed) {
		t.Errorf("paused read after Close: %v, want net.ErrClosed", err)
	}
}

func TestSlowSchedule(t *testing.T) {
	s := &slowSchedule{rng: rand.New(rand.NewPCG(1, 2))}
	now := time.Unix(0, 0)
	if _, ok := s.due(now); ok {
		t.Fatal("paused on the first step")
	}
	pauses := 0
	var lastEnd time.Time
	for step := time.Duration(0); step < time.Minute; step += 10 * time.Millisecond {
		at := now.Add(step)
		until, ok := s.due(at)
		if !ok {
			continue
		}
		pauses++
		if d := until.Sub(at); d < slowPauseMin || d >= slowPauseMin+slowPauseSpread {
			t.Errorf("pause of %v, want %v to %v", d, slowPauseMin, slowPauseMin+slowPauseSpread)
		}
		if gap := at.Sub(lastEnd); !lastEnd.IsZero() && gap < slowPlayMin {
			t.Errorf("only %v of play between pauses, want at least %v", gap, slowPlayMin)
		}
		lastEnd = until
	}
	// Each cycle is 3 to 8 s: a minute holds 7 to 20 pauses.
	if pauses < 7 || pauses > 20 {
		t.Errorf("%d pauses in a minute, want 7 to 20", pauses)
	}
}
