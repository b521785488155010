package game

import (
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// encodeCounts reads the encode counters (full, delta).
func encodeCounts() (full, delta float64) {
	return testutil.ToFloat64(encodedFull), testutil.ToFloat64(encodedDelta)
}

// replica applies the snapshots one client receives and checks each
// against its checksum, as a real client does.
type replica struct {
	t     *testing.T
	views map[uint32]*wire.Rows // by tick
}

func newReplica(t *testing.T) *replica {
	return &replica{t: t, views: map[uint32]*wire.Rows{}}
}

// apply applies s and returns the resulting view.
func (c *replica) apply(s *pb.Snapshot) *wire.Rows {
	c.t.Helper()
	var base *wire.Rows
	if s.GetBaseTick() != 0 {
		var ok bool
		if base, ok = c.views[s.GetBaseTick()]; !ok {
			c.t.Fatalf("snapshot %d is a delta from tick %d, which this client never had", s.GetTick(), s.GetBaseTick())
		}
	}
	view := wire.NewRows(fakeLayout, 0)
	if err := wire.ApplyDelta(view, base, s.GetDelta()); err != nil {
		c.t.Fatalf("snapshot %d: %v", s.GetTick(), err)
	}
	if got := wire.Checksum(view); got != s.GetChecksum() {
		c.t.Fatalf("snapshot %d: checksum %08x, want %08x", s.GetTick(), got, s.GetChecksum())
	}
	c.views[s.GetTick()] = view
	return view
}

func TestSnapshotsFullThenDelta(t *testing.T) {
	r, _ := newTestRoom(t, testConfig()) // 60 Hz, every 3rd tick
	s, link := mustJoin(t, r, "ann")
	client := newReplica(t)

	steps(t, r, 2)
	if n := len(link.snapshots()); n != 0 {
		t.Fatalf("got %d snapshots before the first snapshot tick", n)
	}
	steps(t, r, 1)
	first, _ := link.lastSnapshot(t)
	if first.GetTick() != 3 || first.GetBaseTick() != 0 {
		t.Fatalf("first snapshot tick %d base %d, want tick 3 full", first.GetTick(), first.GetBaseTick())
	}
	view := client.apply(first)
	if view.Len() != 1 || view.ID(0) != s.Seat().EntityID() || view.Fields(0)[fakeX] != 3 {
		t.Fatalf("first view %+v, want entity %d at x 3", view, s.Seat().EntityID())
	}

	// No ack yet: still full.
	steps(t, r, 3)
	if snap, _ := link.lastSnapshot(t); snap.GetBaseTick() != 0 {
		t.Errorf("snapshot %d without an ack has base %d, want full", snap.GetTick(), snap.GetBaseTick())
	}
	s.Ack(3)
	steps(t, r, 3)
	snap, _ := link.lastSnapshot(t)
	if snap.GetTick() != 9 || snap.GetBaseTick() != 3 {
		t.Fatalf("after ack 3: tick %d base %d, want tick 9 base 3", snap.GetTick(), snap.GetBaseTick())
	}
	if view := client.apply(snap); view.Fields(0)[fakeX] != 9 {
		t.Errorf("view after delta has x %d, want 9", view.Fields(0)[fakeX])
	}
	if got := len(link.snapshots()); got != 3 {
		t.Errorf("got %d snapshots in 9 ticks, want 3 (one every %d ticks)", got, r.SnapshotInterval())
	}
}

func TestSeatsWithSameAckShareOneEncoding(t *testing.T) {
	r, _ := newTestRoom(t, testConfig())
	a, linkA := mustJoin(t, r, "ann")
	b, linkB := mustJoin(t, r, "bob")
	a.PushInputs(inputs(1, 2))
	b.PushInputs(inputs(40))
	steps(t, r, 3)
	a.Ack(3)
	b.Ack(3)

	full0, delta0 := encodeCounts()
	steps(t, r, 3)
	full1, delta1 := encodeCounts()
	if full1-full0 != 0 || delta1-delta0 != 1 {
		t.Errorf("encodes: %v full, %v delta; want 0 full and 1 delta for two seats with one baseline", full1-full0, delta1-delta0)
	}
	if len(r.history.encodings) != 1 {
		t.Fatalf("room made %d encodings, want 1", len(r.history.encodings))
	}
	// Both frames end in the same shared bytes, which are the room's one
	// encoding; only last_input_seq differs.
	shared := r.history.encodings[0].bytes
	snapA, frameA := linkA.lastSnapshot(t)
	snapB, frameB := linkB.lastSnapshot(t)
	for name, frame := range map[string][]byte{"ann": frameA, "bob": frameB} {
		if !containsAt(frame, shared) {
			t.Errorf("%s's frame does not hold the shared encoding", name)
		}
	}
	if snapA.GetLastInputSeq() != 2 || snapB.GetLastInputSeq() != 40 {
		t.Errorf("last_input_seq %d and %d, want 2 and 40", snapA.GetLastInputSeq(), snapB.GetLastInputSeq())
	}
	if snapA.GetBaseTick() != 3 || snapB.GetBaseTick() != 3 {
		t.Errorf("bases %d and %d, want 3", snapA.GetBaseTick(), snapB.GetBaseTick())
	}

	// A third distinct baseline (none) costs one more encoding.
	_, linkC := mustJoin(t, r, "cid")
	full0, delta0 = encodeCounts()
	steps(t, r, 3)
	full1, delta1 = encodeCounts()
	if full1-full0 != 1 || delta1-delta0 != 1 {
		t.Errorf("encodes with baselines {6, 6, none}: %v full, %v delta; want 1 and 1", full1-full0, delta1-delta0)
	}
	if snap, _ := linkC.lastSnapshot(t); snap.GetBaseTick() != 0 {
		t.Errorf("new seat got base %d, want full", snap.GetBaseTick())
	}
}

// containsAt reports whether shared appears in frame (its bytes, at the
// position after the envelope header).
func containsAt(frame, shared []byte) bool {
	for i := 0; i+len(shared) <= len(frame); i++ {
		if slices.Equal(frame[i:i+len(shared)], shared) {
			return true
		}
	}
	return false
}

func TestSnapshotBaselineChoice(t *testing.T) {
	tests := []struct {
		name     string
		act      func(s *InputPort, now uint32) // now: the newest snapshot tick
		wantBase func(now uint32) uint32
	}{
		{"held ack", func(s *InputPort, now uint32) { s.Ack(now - 3) }, func(now uint32) uint32 { return now - 3 }},
		{"ack of a tick never sent", func(s *InputPort, now uint32) { s.Ack(now + 300) }, nil},
		{"ack of an evicted tick", func(s *InputPort, now uint32) { s.Ack(3) }, nil},
		{"ack of a tick that is no snapshot", func(s *InputPort, now uint32) { s.Ack(now - 1) }, nil},
		{"resync forces full", func(s *InputPort, now uint32) { s.Ack(now - 3); s.RequestResync() }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := newTestRoom(t, testConfig())
			s, link := mustJoin(t, r, "ann")
			// Enough snapshots to push tick 3 out of the ring.
			steps(t, r, 3*(r.history.size()+2))
			now := r.tick
			tt.act(s, now)
			steps(t, r, 3)
			var want uint32
			if tt.wantBase != nil {
				want = tt.wantBase(now)
			}
			if got := must(link.lastSnapshot(t)).GetBaseTick(); got != want {
				t.Errorf("base %d, want %d", got, want)
			}
		})
	}
}

func TestResyncIgnoresOlderAcks(t *testing.T) {
	r, _ := newTestRoom(t, testConfig())
	s, link := mustJoin(t, r, "ann")
	client := newReplica(t)
	steps(t, r, 3)
	client.apply(must(link.lastSnapshot(t)))
	s.Ack(3)
	steps(t, r, 3)
	client.apply(must(link.lastSnapshot(t))) // tick 6, delta from 3

	s.RequestResync()
	steps(t, r, 3) // tick 9: full, and no ack before 9 counts any more
	resync, _ := link.lastSnapshot(t)
	if resync.GetTick() != 9 || resync.GetBaseTick() != 0 {
		t.Fatalf("after resync: tick %d base %d, want tick 9 full", resync.GetTick(), resync.GetBaseTick())
	}
	client.apply(resync)
	s.Ack(6) // a late ack of the state the client distrusted
	steps(t, r, 3)
	if snap, _ := link.lastSnapshot(t); snap.GetBaseTick() != 0 {
		t.Errorf("ack 6 older than the resync was used as base for tick %d", snap.GetTick())
	}
	s.Ack(9)
	steps(t, r, 3)
	snap, _ := link.lastSnapshot(t)
	if snap.GetBaseTick() != 9 {
		t.Errorf("after ack 9: base %d, want 9", snap.GetBaseTick())
	}
	client.apply(snap)
}

func TestSnapshotEventsStampedWithTick(t *testing.T) {
	r, g := newTestRoom(t, testConfig())
	_, link := mustJoin(t, r, "ann")
	steps(t, r, 1)
	g.emit(wire.Event{Kind: 1, Actor: 101, Values: [wire.MaxEventValues]int32{-5}})
	steps(t, r, 1) // tick 2
	g.emit(wire.Event{Kind: 2})
	steps(t, r, 1) // tick 3, snapshot
	evs := must(link.lastSnapshot(t)).GetEvents()
	if len(evs) != 2 || evs[0].GetTick() != 2 || evs[0].GetValues()[0] != -5 || evs[1].GetTick() != 3 || evs[1].GetKind() != 2 {
		t.Errorf("events %v, want kind 1 at tick 2 and kind 2 at tick 3", evs)
	}
	steps(t, r, 3)
	if evs := must(link.lastSnapshot(t)).GetEvents(); len(evs) != 0 {
		t.Errorf("next full snapshot repeats events %v", evs)
	}
}

func TestSnapshotStats(t *testing.T) {
	r, _ := newTestRoom(t, testConfig())
	s, link := mustJoin(t, r, "ann")
	sent0 := testutil.ToFloat64(snapshotsSent)
	steps(t, r, 6)
	var bytes uint64
	for _, e := range link.all() {
		bytes += uint64(len(e.frame))
	}
	st := r.Stats()
	if st.Tick != 6 || st.Players != 1 || st.SnapshotsSent != 2 || st.SnapshotBytes != bytes {
		t.Errorf("stats %+v, want tick 6, 1 player, 2 snapshots of %d bytes", st, bytes)
	}
	if s.Seat().LastSentTick() != 6 || s.Seat().SnapshotBytes() != bytes {
		t.Errorf("seat: last sent %d, %d bytes; want 6 and %d", s.Seat().LastSentTick(), s.Seat().SnapshotBytes(), bytes)
	}
	if got := testutil.ToFloat64(snapshotsSent) - sent0; got != 2 {
		t.Errorf("tickwire_snapshots_sent_total rose by %v, want 2", got)
	}
}

// must drops the second result of a two-result call.
func must[A, B any](a A, _ B) A { return a }

func TestLateJoinerCannotAckEarlierSnapshots(t *testing.T) {
	r, _ := newTestRoom(t, testConfig())
	mustJoin(t, r, "ann")
	steps(t, r, 9)
	s, link := mustJoin(t, r, "bob")
	s.Ack(6) // held in the ring, but sent only to ann
	steps(t, r, 3)
	if got := must(link.lastSnapshot(t)).GetBaseTick(); got != 0 {
		t.Fatalf("first snapshot of a late joiner has base %d, want full", got)
	}
	steps(t, r, 3)
	if got := must(link.lastSnapshot(t)).GetBaseTick(); got != 0 {
		t.Errorf("ack of tick 6 from before the seat's first snapshot was used as base %d", got)
	}
}
