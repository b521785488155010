package game

import (
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// dropCounts reads every input-drop counter.
func dropCounts() map[string]float64 {
	return map[string]float64{
		dropQueueFull: testutil.ToFloat64(droppedQueueFull),
		dropDuplicate: testutil.ToFloat64(droppedDuplicate),
		dropStale:     testutil.ToFloat64(droppedStale),
		dropInvalid:   testutil.ToFloat64(droppedInvalid),
	}
}

// dropDeltas returns the change of every drop counter since before.
func dropDeltas(before map[string]float64) map[string]float64 {
	after := dropCounts()
	for k := range after {
		after[k] -= before[k]
	}
	return after
}

func TestInputOrderingAndDrops(t *testing.T) {
	tests := []struct {
		name      string
		queueSize int
		prepare   func(p *InputPort) // runs before the tick
		want      []uint32           // seqs applied, in order
		wantDrops map[string]float64
	}{
		{
			name:    "in order",
			prepare: func(p *InputPort) { p.PushInputs(inputs(1, 2, 3)) },
			want:    []uint32{1, 2, 3},
		},
		{
			name: "resent inputs are duplicates",
			prepare: func(p *InputPort) {
				p.PushInputs(inputs(1, 2, 3))
				p.PushInputs(inputs(2, 3, 4)) // redundancy: 2 and 3 again
			},
			want:      []uint32{1, 2, 3, 4},
			wantDrops: map[string]float64{dropDuplicate: 2},
		},
		{
			name:      "late seqs within a batch are duplicates",
			prepare:   func(p *InputPort) { p.PushInputs(inputs(5, 3, 4, 6)) },
			want:      []uint32{5, 6},
			wantDrops: map[string]float64{dropDuplicate: 2},
		},
		{
			name: "queued out of order is applied in seq order",
			prepare: func(p *InputPort) {
				for _, seq := range []uint32{3, 1, 2} {
					p.queue.pushDroppingOldest(Input{Seq: seq})
				}
			},
			want: []uint32{1, 2, 3},
		},
		{
			name: "stale seqs are dropped",
			prepare: func(p *InputPort) {
				p.seat.lastApplied.Store(2)
				for _, seq := range []uint32{1, 2, 3, 4} {
					p.queue.pushDroppingOldest(Input{Seq: seq})
				}
			},
			want:      []uint32{3, 4},
			wantDrops: map[string]float64{dropStale: 2},
		},
		{
			name:      "overflow drops the oldest",
			queueSize: 4,
			prepare:   func(p *InputPort) { p.PushInputs(inputs(1, 2, 3, 4, 5, 6)) },
			want:      []uint32{3, 4, 5, 6},
			wantDrops: map[string]float64{dropQueueFull: 2},
		},
		{
			name:      "seq 0 is invalid",
			prepare:   func(p *InputPort) { p.PushInputs([]*pb.Input{{Seq: 0}, nil, {Seq: 1}}) },
			want:      []uint32{1},
			wantDrops: map[string]float64{dropInvalid: 2}, // nil reads as seq 0
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.InputQueueSize = tt.queueSize
			r, g := newTestRoom(t, cfg)
			p, _ := mustJoin(t, r, "ann")
			s := p.Seat()
			before := dropCounts()
			tt.prepare(p)
			steps(t, r, 1)
			if got := g.appliedSeqs(s.Player()); !slices.Equal(got, tt.want) {
				t.Errorf("applied %v, want %v", got, tt.want)
			}
			if got, want := s.LastAppliedSeq(), tt.want[len(tt.want)-1]; got != want {
				t.Errorf("LastAppliedSeq() = %d, want %d", got, want)
			}
			deltas := dropDeltas(before)
			for reason, got := range deltas {
				if want := tt.wantDrops[reason]; got != want {
					t.Errorf("dropped %s: %v, want %v", reason, got, want)
				}
			}
		})
	}
}

func TestPushInputsValidates(t *testing.T) {
	// fakeSchema's input: aim (an angle of 4096 steps), move (-127..127).
	batch := []*pb.Input{
		{Seq: 1, Values: []int32{4096 + 7, 500}},
		{Seq: 2, Values: []int32{-1, -3}},
		{Seq: 3, Values: []int32{1, 2, 3}}, // more values than the schema names
		{Seq: 4, Values: []int32{4095}},    // move left out: 0
	}
	// decoded is batch as wire.DecodeInputFrame leaves it.
	decoded := make([]wire.ClientInput, len(batch))
	for i, in := range batch {
		decoded[i] = wire.ClientInput{Seq: in.Seq, NValues: len(in.Values)}
		copy(decoded[i].Values[:], in.Values)
	}
	push := map[string]func(*InputPort){
		"PushInputs":        func(p *InputPort) { p.PushInputs(batch) },
		"PushDecodedInputs": func(p *InputPort) { p.PushDecodedInputs(decoded) },
	}
	for name, push := range push {
		t.Run(name, func(t *testing.T) {
			r, g := newTestRoom(t, testConfig())
			p, _ := mustJoin(t, r, "ann")
			s := p.Seat()
			push(p)
			steps(t, r, 1)
			want := []Input{
				{Seq: 1, Values: [wire.MaxInputFields]int32{7, 127}},
				{Seq: 2, Values: [wire.MaxInputFields]int32{4095, -3}},
				{Seq: 4, Values: [wire.MaxInputFields]int32{4095}},
			}
			if len(g.applied) != len(want) {
				t.Fatalf("applied %d inputs, want %d", len(g.applied), len(want))
			}
			for i, a := range g.applied {
				if a.in != want[i] || a.player != s.Player() {
					t.Errorf("input %d: %+v of player %d, want %+v of player %d", i, a.in, a.player, want[i], s.Player())
				}
			}
		})
	}
}

func TestInputsAcrossTicksAndSeats(t *testing.T) {
	r, g := newTestRoom(t, testConfig())
	ap, _ := mustJoin(t, r, "ann")
	bp, _ := mustJoin(t, r, "bob")
	a, b := ap.Seat(), bp.Seat()
	ap.PushInputs(inputs(1, 2))
	bp.PushInputs(inputs(7))
	steps(t, r, 1)
	ap.PushInputs(inputs(2, 3)) // 2 resent after it was applied
	steps(t, r, 1)
	if got := g.appliedSeqs(a.Player()); !slices.Equal(got, []uint32{1, 2, 3}) {
		t.Errorf("ann applied %v, want [1 2 3]", got)
	}
	if got := g.appliedSeqs(b.Player()); !slices.Equal(got, []uint32{7}) {
		t.Errorf("bob applied %v, want [7]", got)
	}
	if a.LastAppliedSeq() != 3 || b.LastAppliedSeq() != 7 {
		t.Errorf("last applied %d and %d, want 3 and 7", a.LastAppliedSeq(), b.LastAppliedSeq())
	}
}

func TestInputQueueDropsOldest(t *testing.T) {
	var q fifo[Input]
	q.init(3)
	dropped := 0
	for seq := uint32(1); seq <= 5; seq++ {
		dropped += q.pushDroppingOldest(Input{Seq: seq})
	}
	got := q.drain(nil)
	if dropped != 2 || len(got) != 3 || got[0].Seq != 3 || got[2].Seq != 5 {
		t.Errorf("dropped %d, drained %+v; want 2 dropped and seqs 3..5", dropped, got)
	}
	if rest := q.drain(nil); len(rest) != 0 {
		t.Errorf("second drain got %d inputs", len(rest))
	}
}

func TestPortAckIsMonotonic(t *testing.T) {
	p := InputPort{seat: &Seat{}}
	p.seat.lastSent.Store(12)
	for _, tick := range []uint32{3, 9, 6, 0} {
		p.Ack(tick)
	}
	if got := p.acks.ack.Load(); got != 9 {
		t.Errorf("acked tick %d, want 9", got)
	}
}

// TestPortIgnoresAcksAhead: an ack of a tick the seat was never offered is
// ignored and counted; taking it would make every later, true ack look
// old, and every snapshot full.
func TestPortIgnoresAcksAhead(t *testing.T) {
	p := InputPort{seat: &Seat{}}
	p.seat.lastSent.Store(12)
	before := testutil.ToFloat64(acksIgnoredAhead)
	p.Ack(1 << 31)
	p.Ack(9)
	if got := p.acks.ack.Load(); got != 9 {
		t.Errorf("acked tick %d, want 9", got)
	}
	if d := testutil.ToFloat64(acksIgnoredAhead) - before; d != 1 {
		t.Errorf("%v acks counted as ahead, want 1", d)
	}
}
