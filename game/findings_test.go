package game

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestFinding10SeqJump reproduces the input half of finding 10 of the
// hardening review: one input with seq 2^32-1 made every later input of
// its seat stale until the player rejoined. An input further than
// MaxSeqJump above the seat's highest seq (or, first, above MaxFirstSeq)
// is now dropped and counted, and the seat goes on taking honest seqs.
func TestFinding10SeqJump(t *testing.T) {
	tests := []struct {
		name    string
		batches [][]uint32
		want    []uint32 // seqs applied, in order
		jumps   float64  // inputs dropped as seq jumps
	}{
		{name: "a wild seq after honest ones", batches: [][]uint32{{1, 2}, {math.MaxUint32}, {3, 4}}, want: []uint32{1, 2, 3, 4}, jumps: 1},
		{name: "a wild first seq", batches: [][]uint32{{math.MaxUint32}, {1, 2}}, want: []uint32{1, 2}, jumps: 1},
		{name: "a first seq numbered across rooms", batches: [][]uint32{{5000, 5001}}, want: []uint32{5000, 5001}},
		{name: "a jump just within the limit", batches: [][]uint32{{1}, {1 + DefaultMaxSeqJump}}, want: []uint32{1, 1 + DefaultMaxSeqJump}},
		{name: "a jump just past the limit", batches: [][]uint32{{1}, {2 + DefaultMaxSeqJump}, {2}}, want: []uint32{1, 2}, jumps: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, g := newTestRoom(t, testConfig())
			p, _ := mustJoin(t, r, "ann")
			before := testutil.ToFloat64(droppedSeqJump)
			for _, b := range tt.batches {
				p.PushInputs(inputs(b...))
				steps(t, r, 1)
			}
			if got := g.appliedSeqs(p.Seat().Player()); !slices.Equal(got, tt.want) {
				t.Errorf("applied %v, want %v", got, tt.want)
			}
			if d := testutil.ToFloat64(droppedSeqJump) - before; d != tt.jumps {
				t.Errorf("%v inputs dropped as seq jumps, want %v", d, tt.jumps)
			}
		})
	}
}

// TestFinding14InputBatch reproduces the batch part of finding 14: a
// client packed about 650 inputs into each frame, costing the room ten
// times an honest player's work. A room takes at most MaxBatchInputs of a
// batch, the newest, and counts the rest.
func TestFinding14InputBatch(t *testing.T) {
	r, g := newTestRoom(t, testConfig())
	p, _ := mustJoin(t, r, "ann")
	batch := make([]uint32, 650)
	for i := range batch {
		batch[i] = uint32(i + 1)
	}
	before := testutil.ToFloat64(droppedBatchOverflow)
	p.PushInputs(inputs(batch...))
	steps(t, r, 1)
	if got, want := g.appliedSeqs(p.Seat().Player()), batch[650-DefaultMaxBatchInputs:]; !slices.Equal(got, want) {
		t.Errorf("applied %v, want the newest %d: %v", got, DefaultMaxBatchInputs, want)
	}
	if d := testutil.ToFloat64(droppedBatchOverflow) - before; d != 650-DefaultMaxBatchInputs {
		t.Errorf("%v inputs counted as batch overflow, want %d", d, 650-DefaultMaxBatchInputs)
	}
	if got := p.Seat().DroppedInputs(); got != 650-DefaultMaxBatchInputs {
		t.Errorf("seat counts %d dropped inputs, want %d", got, 650-DefaultMaxBatchInputs)
	}
}

// TestFinding14SlowConsumerByAckLag reproduces the slow-consumer part of
// finding 14: SLOW_CONSUMER never fired, because kernel buffers absorbed
// the stream of a client that read nothing. The room now watches acks: a
// player whose newest ack (or, before any, its first snapshot) trails the
// room by more than SlowConsumerAfter is closed with SLOW_CONSUMER, once,
// and offered nothing more, while a player that acks stays.
func TestFinding14SlowConsumerByAckLag(t *testing.T) {
	cfg := testConfig()
	cfg.SlowConsumerAfter = time.Second // 60 ticks; snapshots every 3
	r, _ := newTestRoom(t, cfg)
	acker, ackerLink := mustJoin(t, r, "acker")
	_, silentLink := mustJoin(t, r, "silent")
	stops, stopsLink := mustJoin(t, r, "stops")
	before := testutil.ToFloat64(slowPlayers)

	// Every snapshot is acked by acker; stops acks until tick 30; silent
	// never acks. The first snapshot of each is at tick 3.
	for range 120 {
		steps(t, r, 1)
		tick := r.tick
		if tick%3 != 0 {
			continue
		}
		acker.Ack(tick)
		if tick <= 30 {
			stops.Ack(tick)
		}
		switch tick {
		case 63: // 60 ticks after silent's first snapshot: not yet more
			expectOpen(t, silentLink, "silent at tick 63")
		case 66:
			expectSlow(t, silentLink, "silent at tick 66")
		case 90: // 60 ticks after stops' last ack
			expectOpen(t, stopsLink, "stops at tick 90")
		case 93:
			expectSlow(t, stopsLink, "stops at tick 93")
		}
	}
	expectOpen(t, ackerLink, "acker")
	if d := testutil.ToFloat64(slowPlayers) - before; d != 2 {
		t.Errorf("%v slow players counted, want 2", d)
	}
	if n := len(silentLink.closes()); n != 1 {
		t.Errorf("silent closed %d times, want once", n)
	}
	if last := silentLink.snapshots(); last[len(last)-1].GetTick() != 63 {
		t.Errorf("silent's last snapshot is of tick %d, want 63: nothing after the close", last[len(last)-1].GetTick())
	}
}

func expectOpen(t *testing.T, l *fakeLink, who string) {
	t.Helper()
	if c := l.closes(); len(c) != 0 {
		t.Errorf("%s: closed with %v, want open", who, c)
	}
}

func expectSlow(t *testing.T, l *fakeLink, who string) {
	t.Helper()
	c := l.closes()
	if len(c) != 1 || c[0].reason != pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER {
		t.Errorf("%s: closes %v, want one SLOW_CONSUMER", who, c)
	}
}
