package client

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// delta encodes the delta from base (nil: the empty world) to target.
func delta(base, target *wire.Rows) []byte {
	if base == nil {
		base = wire.NewRows(target.Layout(), 0)
	}
	return wire.EncodeDelta(nil, base, target)
}

func TestReplicaApply(t *testing.T) {
	r := NewReplica(testLayout, 4)
	if _, err := r.Apply(3, 0, delta(nil, world(1)), wire.Checksum(world(1))); err != nil {
		t.Fatalf("full snapshot: %v", err)
	}

	steps := []struct {
		name       string
		tick, base uint32
		baseWorld  *wire.Rows
		target     *wire.Rows
		corrupt    bool
		wantErr    error
	}{
		{"delta on newest", 6, 3, world(1), world(2), false, nil},
		{"delta on newest again", 9, 6, world(2), world(3), false, nil},
		{"delta on an older held base", 12, 3, world(1), world(4), false, nil},
		{"stale tick", 12, 9, world(3), world(4), false, ErrSnapshotStale},
		{"older tick", 7, 6, world(2), world(4), false, ErrSnapshotStale},
		{"missing base", 15, 4, world(1), world(5), false, ErrSnapshotBaseMissing},
		{"checksum mismatch", 15, 12, world(4), world(5), true, ErrSnapshotChecksum},
		{"bad state is no baseline", 18, 15, world(5), world(6), false, ErrSnapshotBaseMissing},
		{"good after desync", 18, 12, world(4), world(6), false, nil},
		{"full after all", 21, 0, nil, world(7), false, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			beforeTick, beforeRows, _ := r.Latest()
			before := beforeRows.Clone()
			sum := wire.Checksum(st.target)
			if st.corrupt {
				sum ^= 1
			}
			got, err := r.Apply(st.tick, st.base, delta(st.baseWorld, st.target), sum)
			if !errors.Is(err, st.wantErr) {
				t.Fatalf("Apply(%d on %d) error = %v, want %v", st.tick, st.base, err, st.wantErr)
			}
			tick, rows, _ := r.Latest()
			if st.wantErr != nil {
				if tick != beforeTick || !rows.Equal(before) {
					t.Errorf("failed Apply changed the replica: tick %d→%d", beforeTick, tick)
				}
				return
			}
			if !got.Equal(st.target) || tick != st.tick || !rows.Equal(st.target) {
				t.Errorf("after Apply: tick %d, got %s, want tick %d %s", tick, dump(got), st.tick, dump(st.target))
			}
		})
	}
}

func TestReplicaEvictsOldest(t *testing.T) {
	const size = 4
	r := NewReplica(testLayout, size)
	if _, err := r.Apply(1, 0, delta(nil, world(1)), wire.Checksum(world(1))); err != nil {
		t.Fatal(err)
	}
	var held []*wire.Rows
	for i := 2; i <= size+2; i++ {
		got, err := r.Apply(uint32(i), uint32(i-1), delta(world(i-1), world(i)), wire.Checksum(world(i)))
		if err != nil {
			t.Fatalf("tick %d: %v", i, err)
		}
		held = append(held, got)
	}
	if r.Len() != size {
		t.Fatalf("Len() = %d, want %d", r.Len(), size)
	}
	for tick, want := range map[uint32]bool{1: false, 2: false, 3: true, 6: true, 0: true} {
		if _, ok := r.Get(tick); ok != want {
			t.Errorf("Get(%d) ok = %v, want %v", tick, ok, want)
		}
	}
	// A returned state stays intact until size-1 newer states are stored.
	if !held[len(held)-1].Equal(world(size+2)) || !held[len(held)-size+1].Equal(world(4)) {
		t.Errorf("held states changed after newer applies")
	}
	r.Reset(testLayout)
	if _, _, ok := r.Latest(); ok || r.Len() != 0 {
		t.Errorf("Latest after Reset ok = %v, Len %d", ok, r.Len())
	}
	if _, err := r.Apply(2, 1, delta(world(1), world(2)), wire.Checksum(world(2))); !errors.Is(err, ErrSnapshotBaseMissing) {
		t.Errorf("delta after Reset: err = %v, want ErrSnapshotBaseMissing", err)
	}
}

func TestReplicaMalformedDelta(t *testing.T) {
	r := NewReplica(testLayout, 4)
	_, err := r.Apply(3, 0, []byte{0xff, 0xff, 0xff}, 0)
	if err == nil || errors.Is(err, ErrSnapshotChecksum) {
		t.Fatalf("malformed delta: err = %v, want a decode error", err)
	}
	if r.Len() != 0 {
		t.Errorf("malformed delta stored a state")
	}
}

// TestReplicaWideRows: rows as wide as a schema allows apply and verify,
// every field carried, and Reset to another layout decodes the new width.
func TestReplicaWideRows(t *testing.T) {
	for _, n := range []int{20, wire.MaxFields} {
		t.Run(fmt.Sprintf("%d fields", n), func(t *testing.T) {
			l := wire.NewLayout(wideSchema(n))
			step := func(i int) *wire.Rows {
				rows := wire.NewRows(l, 3)
				for id := uint32(1); id <= 3; id++ {
					fields := rows.Append(id*2, 1)
					for f := range fields {
						fields[f] = int32(i*(f+1)) - int32(id)*int32(f) // every field moves with i
					}
				}
				return rows
			}
			r := NewReplica(testLayout, 4)
			if _, err := r.Apply(1, 0, delta(nil, world(1)), wire.Checksum(world(1))); err != nil {
				t.Fatal(err)
			}
			r.Reset(l)
			if r.Layout() != l {
				t.Fatalf("Layout() after Reset is not the new one")
			}
			if _, err := r.Apply(2, 1, delta(world(1), world(2)), wire.Checksum(world(2))); !errors.Is(err, ErrSnapshotBaseMissing) {
				t.Errorf("a delta on the old layout's state: err = %v, want ErrSnapshotBaseMissing", err)
			}
			if _, err := r.Apply(5, 0, delta(nil, step(5)), wire.Checksum(step(5))); err != nil {
				t.Fatalf("full snapshot of width %d: %v", 1+n, err)
			}
			got, err := r.Apply(6, 5, delta(step(5), step(6)), wire.Checksum(step(6)))
			if err != nil {
				t.Fatalf("delta of width %d: %v", 1+n, err)
			}
			if !got.Equal(step(6)) || got.Width() != 1+n || len(got.Fields(0)) != n {
				t.Errorf("applied %s, want %s", dump(got), dump(step(6)))
			}
		})
	}
}

// TestReplicaSnapshotFrames: snapshots built as a server builds them (a
// delta, the shared fields, the frame with the player's input seq) apply
// after a protobuf round trip, and a corrupted checksum fails exactly the
// tick it was put on.
func TestReplicaSnapshotFrames(t *testing.T) {
	r := NewReplica(testLayout, 8)
	ticks := []struct {
		tick, base uint32
		corrupt    bool
		wantErr    error
	}{
		{1, 0, false, nil},
		{2, 1, true, ErrSnapshotChecksum},
		{3, 1, false, nil}, // the client acked 1, not the corrupted 2
		{4, 3, false, nil},
	}
	for _, tt := range ticks {
		var base *wire.Rows
		if tt.base != 0 {
			base = world(int(tt.base))
		}
		target := world(int(tt.tick))
		f := wire.SnapshotFields{
			Tick: tt.tick, BaseTick: tt.base, ServerTimeUS: int64(tt.tick) * 50_000,
			Checksum: wire.Checksum(target), Delta: delta(base, target),
			Events: [][]wire.Event{{{Tick: tt.tick, Kind: 1, Actor: 1, Target: 2, Values: [wire.MaxEventValues]int32{-7}}}},
		}
		if tt.corrupt {
			f.Checksum ^= 0x5a
		}
		var msg pb.ServerMessage
		if err := proto.Unmarshal(wire.AppendSnapshotFrame(nil, f.AppendTo(nil), 40+tt.tick), &msg); err != nil {
			t.Fatalf("tick %d: %v", tt.tick, err)
		}
		snap := msg.GetSnapshot()
		if snap.GetLastInputSeq() != 40+tt.tick || len(snap.GetEvents()) != 1 || snap.GetEvents()[0].GetValues()[0] != -7 {
			t.Errorf("tick %d: frame decoded to %v", tt.tick, snap)
		}
		got, err := r.Apply(snap.GetTick(), snap.GetBaseTick(), snap.GetDelta(), snap.GetChecksum())
		if !errors.Is(err, tt.wantErr) {
			t.Fatalf("tick %d: err = %v, want %v", tt.tick, err, tt.wantErr)
		}
		if err == nil && !got.Equal(target) {
			t.Errorf("tick %d: applied %s, want %s", tt.tick, dump(got), dump(target))
		}
	}
}

// BenchmarkReplicaApply measures applying and verifying a 64-entity delta
// where every entity moved, alternating between two worlds.
func BenchmarkReplicaApply(b *testing.B) {
	r := NewReplica(testLayout, DefaultReplicaStates)
	var worlds [2]*wire.Rows
	for w := range worlds {
		worlds[w] = wire.NewRows(testLayout, 64)
		for i := range 64 {
			fields := worlds[w].Append(uint32(i+1), kindPlayer)
			fields[fX], fields[fY] = int32(i)+int32(3*w), int32(w)
		}
	}
	deltas := [2][]byte{delta(worlds[1], worlds[0]), delta(worlds[0], worlds[1])}
	sums := [2]uint32{wire.Checksum(worlds[0]), wire.Checksum(worlds[1])}
	if _, err := r.Apply(1, 0, delta(nil, worlds[0]), sums[0]); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	tick := uint32(1)
	for b.Loop() {
		next := tick % 2 // tick 1 holds worlds[0]
		if _, err := r.Apply(tick+1, tick, deltas[next], sums[next]); err != nil {
			b.Fatal(err)
		}
		tick++
	}
}
