package game

import (
	"slices"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestRetiredPortDropsInputs(t *testing.T) {
	tests := []struct {
		name string
		// retire retires p the way the room's callers do; the test
		// goroutine plays the room goroutine.
		retire  func(t *testing.T, r *Room, p *InputPort)
		counter prometheus.Counter
	}{
		{"resume", func(t *testing.T, r *Room, p *InputPort) {
			if _, err := r.resume(p.Seat(), newFakeLink(t)); err != nil {
				t.Fatal(err)
			}
		}, droppedReplaced},
		{"disconnect", func(_ *testing.T, r *Room, p *InputPort) {
			r.Disconnect(p)
			(<-r.calls)() // the room's part
		}, droppedDisconnected},
		{"leave", func(_ *testing.T, r *Room, p *InputPort) {
			r.Leave(p.Seat())
			(<-r.calls)()
		}, droppedLeft},
		{"kick", func(t *testing.T, r *Room, p *InputPort) {
			if _, err := r.kick(p.Seat().Player(), "bye"); err != nil {
				t.Fatal(err)
			}
		}, droppedLeft},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Logger = runCfg(nil).Logger
			r, g := newTestRoom(t, cfg)
			p, _ := mustJoin(t, r, "ann")
			seat := p.Seat()
			p.PushInputs(inputs(1, 2))
			steps(t, r, 1)
			before := testutil.ToFloat64(tt.counter)
			p.PushInputs(inputs(3, 4)) // queued, not yet applied
			tt.retire(t, r, p)
			if p.Attached() {
				t.Fatal("port still attached")
			}
			p.PushInputs(inputs(5, 6, 7)) // a lingering reader
			steps(t, r, 2)
			if got := g.appliedSeqs(seat.Player()); !slices.Equal(got, []uint32{1, 2}) {
				t.Errorf("applied %v, want [1 2]: nothing of a retired port reaches the game", got)
			}
			if got := testutil.ToFloat64(tt.counter) - before; got != 5 {
				t.Errorf("counted %v drops, want 5 (2 queued, 3 pushed after)", got)
			}
			if got := seat.DroppedInputs(); got != 5 {
				t.Errorf("DroppedInputs() = %d, want 5", got)
			}
		})
	}
}

func TestResumedPortContinuesSeqs(t *testing.T) {
	r, g := newTestRoom(t, testConfig())
	old, _ := mustJoin(t, r, "ann")
	old.PushInputs(inputs(1, 2, 3))
	steps(t, r, 1)
	old.PushInputs(inputs(4)) // lost with the old connection
	fresh, err := r.resume(old.Seat(), newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	dups := testutil.ToFloat64(droppedDuplicate)
	fresh.PushInputs(inputs(2, 3, 4, 5)) // the client resends what it does not know applied
	old.PushInputs(inputs(6))
	steps(t, r, 1)
	if got := g.appliedSeqs(old.Seat().Player()); !slices.Equal(got, []uint32{1, 2, 3, 4, 5}) {
		t.Errorf("applied %v, want [1 2 3 4 5]: each seq once, none from the old port", got)
	}
	if got := testutil.ToFloat64(droppedDuplicate) - dups; got != 2 {
		t.Errorf("duplicates %v, want 2 (2 and 3 were applied)", got)
	}
}

// TestLingeringReadersNeverReachGame runs a reader per connection that keeps
// pushing after a Resume replaced it, while the room (the test goroutine)
// steps and resumes: every input is applied or counted as dropped exactly
// once, and none of a retired port's is applied after its retirement.
func TestLingeringReadersNeverReachGame(t *testing.T) {
	const (
		ports   = 40
		perPort = 300
	)
	cfg := testConfig()
	cfg.InputQueueSize = 8
	r, g := newTestRoom(t, cfg)
	port, _ := mustJoin(t, r, "ann")
	seat := port.Seat()
	counters := []prometheus.Counter{droppedQueueFull, droppedDuplicate, droppedStale, droppedInvalid,
		droppedDisconnected, droppedReplaced, droppedLeft, droppedSeqJump, droppedBatchOverflow}
	dropsBefore := 0.0
	for _, c := range counters {
		dropsBefore += testutil.ToFloat64(c)
	}
	var readers sync.WaitGroup
	// appliedAtRetirement[k] is how many of port k's seqs the game had
	// when the room retired port k.
	appliedAtRetirement := make([]int, ports)
	countOf := func(k int) int {
		n := 0
		for _, seq := range g.appliedSeqs(seat.Player()) {
			if int(seq-1)/perPort == k {
				n++
			}
		}
		return n
	}
	for k := range ports {
		// Port k pushes seqs k*perPort+1 .. (k+1)*perPort: above anything
		// an earlier port queued, as a resumed client's new inputs are.
		readers.Add(1)
		go func(p *InputPort, base uint32) {
			defer readers.Done()
			for i := range uint32(perPort) {
				p.PushInputs(inputs(base + i + 1))
			}
		}(port, uint32(k*perPort))
		steps(t, r, 3)
		next, err := r.resume(seat, newFakeLink(t))
		if err != nil {
			t.Fatal(err)
		}
		appliedAtRetirement[k] = countOf(k)
		port = next
	}
	readers.Wait()
	steps(t, r, 1)
	for k := range ports {
		if got := countOf(k); got != appliedAtRetirement[k] {
			t.Errorf("port %d: %d inputs applied, %d of them after its retirement", k, got, got-appliedAtRetirement[k])
		}
	}
	drops := 0.0
	for _, c := range counters {
		drops += testutil.ToFloat64(c)
	}
	drops -= dropsBefore
	applied := len(g.appliedSeqs(seat.Player()))
	if total := applied + int(drops); total != ports*perPort {
		t.Errorf("%d applied + %v dropped = %d, want every one of the %d inputs pushed, once", applied, drops, total, ports*perPort)
	}
}

// A retired port's Ack and RequestResync reach nobody: the seat reads the
// acks of its current port only.
func TestRetiredPortAcksAreIgnored(t *testing.T) {
	r, _ := newTestRoom(t, testConfig())
	old, _ := mustJoin(t, r, "ann")
	steps(t, r, 6) // snapshots at 3 and 6
	fresh, err := r.resume(old.Seat(), newFakeLink(t))
	if err != nil {
		t.Fatal(err)
	}
	old.Ack(6)
	old.RequestResync()
	if got := old.Seat().ack.Load(); got != 0 {
		t.Errorf("the seat reads ack %d after the old port acked, want 0", got)
	}
	if old.Seat().resync.Load() {
		t.Error("the seat reads the old port's resync request")
	}
	steps(t, r, 3) // the new link's first snapshot, at 9
	fresh.Ack(9)
	if got := old.Seat().ack.Load(); got != 9 {
		t.Errorf("the seat reads ack %d, want the new port's 9", got)
	}
}

// Leave and Disconnect retire the port before the room runs their part:
// from the call on, the game gets none of its inputs and its link nothing.
func TestLeaveAndDisconnectStopAtOnce(t *testing.T) {
	for _, tt := range []struct {
		name string
		call func(r *Room, p *InputPort)
	}{
		{"leave", func(r *Room, p *InputPort) { r.Leave(p.Seat()) }},
		{"disconnect", func(r *Room, p *InputPort) { r.Disconnect(p) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, g := newTestRoom(t, testConfig())
			p, link := mustJoin(t, r, "ann")
			steps(t, r, 3) // a snapshot
			p.PushInputs(inputs(1, 2))
			seen := len(link.all())
			tt.call(r, p)
			p.PushInputs(inputs(3))
			steps(t, r, 3) // the room has not run the queued part yet
			if got := g.appliedSeqs(p.Seat().Player()); len(got) != 0 {
				t.Errorf("applied %v after the call, want none", got)
			}
			if n := len(link.all()) - seen; n != 0 {
				t.Errorf("link got %d messages after the call, want none", n)
			}
			if n := len(r.calls); n != 1 {
				t.Fatalf("%d calls queued, want the room's part", n)
			}
			(<-r.calls)()
		})
	}
}
