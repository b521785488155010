package client

import (
	"errors"
	"slices"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
)

// world returns a deterministic world for step i: entities 1..n moving,
// entity 3 removed on odd steps, entity 10+i/4 appearing over time.
func world(i int) []wire.Entity {
	var w []wire.Entity
	for id := uint32(1); id <= 5; id++ {
		if id == 3 && i%2 == 1 {
			continue
		}
		w = append(w, ent(id, int32(i)*int32(id), -int32(i)*3, int32(i*37)%wire.AngleSteps))
	}
	return append(w, ent(10+uint32(i/4), int32(i), 0, 0))
}

func TestReplicaApply(t *testing.T) {
	r := NewReplica(4)
	full := wire.EncodeDelta(nil, nil, world(1))
	if _, err := r.Apply(3, 0, full, wire.Checksum(world(1))); err != nil {
		t.Fatalf("full snapshot: %v", err)
	}

	steps := []struct {
		name       string
		tick, base uint32
		baseWorld  []wire.Entity
		target     []wire.Entity
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
			beforeTick, beforeEnts, _ := r.Latest()
			before := slices.Clone(beforeEnts)
			sum := wire.Checksum(st.target)
			if st.corrupt {
				sum ^= 1
			}
			got, err := r.Apply(st.tick, st.base, wire.EncodeDelta(nil, st.baseWorld, st.target), sum)
			if !errors.Is(err, st.wantErr) {
				t.Fatalf("Apply(%d on %d) error = %v, want %v", st.tick, st.base, err, st.wantErr)
			}
			tick, ents, _ := r.Latest()
			if st.wantErr != nil {
				if tick != beforeTick || !slices.Equal(ents, before) {
					t.Errorf("failed Apply changed the replica: tick %d→%d", beforeTick, tick)
				}
				return
			}
			if !slices.Equal(got, st.target) || tick != st.tick || !slices.Equal(ents, st.target) {
				t.Errorf("after Apply: tick %d, got %v, want tick %d %v", tick, got, st.tick, st.target)
			}
		})
	}
}

func TestReplicaEvictsOldest(t *testing.T) {
	const size = 4
	r := NewReplica(size)
	if _, err := r.Apply(1, 0, wire.EncodeDelta(nil, nil, world(1)), wire.Checksum(world(1))); err != nil {
		t.Fatal(err)
	}
	var held [][]wire.Entity
	for i := 2; i <= size+2; i++ {
		got, err := r.Apply(uint32(i), uint32(i-1), wire.EncodeDelta(nil, world(i-1), world(i)), wire.Checksum(world(i)))
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
	if !slices.Equal(held[len(held)-1], world(size+2)) || !slices.Equal(held[len(held)-size+1], world(4)) {
		t.Errorf("held states changed after newer applies")
	}
	r.Reset()
	if _, _, ok := r.Latest(); ok || r.Len() != 0 {
		t.Errorf("Latest after Reset ok = %v, Len %d", ok, r.Len())
	}
	if _, err := r.Apply(2, 1, wire.EncodeDelta(nil, world(1), world(2)), wire.Checksum(world(2))); !errors.Is(err, ErrSnapshotBaseMissing) {
		t.Errorf("delta after Reset: err = %v, want ErrSnapshotBaseMissing", err)
	}
}

func TestReplicaMalformedDelta(t *testing.T) {
	r := NewReplica(4)
	_, err := r.Apply(3, 0, []byte{0xff, 0xff, 0xff}, 0)
	if err == nil || errors.Is(err, ErrSnapshotChecksum) {
		t.Fatalf("malformed delta: err = %v, want a decode error", err)
	}
	if r.Len() != 0 {
		t.Errorf("malformed delta stored a state")
	}
}

// BenchmarkReplicaApply measures applying and verifying a 64-entity delta
// where every entity moved, alternating between two worlds.
func BenchmarkReplicaApply(b *testing.B) {
	r := NewReplica(DefaultReplicaStates)
	worlds := [2][]wire.Entity{make([]wire.Entity, 64), make([]wire.Entity, 64)}
	for i := range worlds[0] {
		worlds[0][i] = ent(uint32(i+1), int32(i), 0, 0)
		worlds[1][i] = ent(uint32(i+1), int32(i)+3, 1, 0)
	}
	deltas := [2][]byte{wire.EncodeDelta(nil, worlds[1], worlds[0]), wire.EncodeDelta(nil, worlds[0], worlds[1])}
	sums := [2]uint32{wire.Checksum(worlds[0]), wire.Checksum(worlds[1])}
	if _, err := r.Apply(1, 0, wire.EncodeDelta(nil, nil, worlds[0]), sums[0]); err != nil {
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
