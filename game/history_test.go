package game

import (
	"bytes"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// testSnapshot builds snapshot tick with n entities whose x moves with tick.
func testSnapshot(tick uint32, n int, events ...Event) Snapshot {
	s := Snapshot{Tick: tick, ServerTimeUS: int64(tick) * 50_000, Events: events}
	for k := range n {
		e := Entity{ID: uint32(k + 1)}
		e.Set(FieldKind, 1)
		e.Set(FieldX, int32(tick)*40+int32(k))
		e.Set(FieldY, -int32(tick)*3)
		s.Entities = append(s.Entities, e)
	}
	return s
}

func TestHistoryRingEviction(t *testing.T) {
	h := NewHistory(3)
	if h.Latest() != nil || h.Oldest() != nil || h.Len() != 0 {
		t.Fatalf("empty history: Latest %v Oldest %v Len %d", h.Latest(), h.Oldest(), h.Len())
	}
	for tick := uint32(1); tick <= 5; tick++ {
		h.Push(testSnapshot(tick*10, 2))
	}
	if got, want := h.heldTicks(), []uint32{30, 40, 50}; !slices.Equal(got, want) {
		t.Fatalf("held ticks = %v, want %v", got, want)
	}
	if h.Len() != 3 || h.Cap() != 3 || h.Latest().Tick != 50 || h.Oldest().Tick != 30 {
		t.Fatalf("Len %d Cap %d Latest %d Oldest %d", h.Len(), h.Cap(), h.Latest().Tick, h.Oldest().Tick)
	}
	tests := []struct {
		tick uint32
		ok   bool
	}{
		{0, false}, {10, false}, {20, false}, {25, false}, {30, true}, {40, true}, {50, true}, {60, false},
	}
	for _, tt := range tests {
		s, ok := h.Get(tt.tick)
		if ok != tt.ok || (ok && s.Tick != tt.tick) || (!ok && s != nil) {
			t.Errorf("Get(%d) = %v, %v; want ok=%v", tt.tick, s, ok, tt.ok)
		}
	}
}

func TestHistoryPushSetsChecksum(t *testing.T) {
	h := NewHistory(2)
	s := testSnapshot(7, 4)
	s.Checksum = 12345
	h.Push(s)
	if got, want := h.Latest().Checksum, Checksum(s.Entities); got != want {
		t.Fatalf("Checksum = %#x, want %#x", got, want)
	}
}

func TestHistoryPushPanics(t *testing.T) {
	tests := []struct {
		name string
		s    Snapshot
	}{
		{"tick 0", Snapshot{Tick: 0}},
		{"same tick", Snapshot{Tick: 10}},
		{"older tick", Snapshot{Tick: 9}},
		{"unsorted ids", Snapshot{Tick: 11, Entities: []Entity{{ID: 2}, {ID: 1}}}},
		{"duplicate ids", Snapshot{Tick: 11, Entities: []Entity{{ID: 2}, {ID: 2}}}},
		{"id 0", Snapshot{Tick: 11, Entities: []Entity{{ID: 0}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHistory(4)
			h.Push(Snapshot{Tick: 10})
			defer func() {
				if recover() == nil {
					t.Fatal("Push did not panic")
				}
				if h.Len() != 1 || h.Latest().Tick != 10 {
					t.Fatalf("failed Push changed the ring: %v", h.heldTicks())
				}
			}()
			h.Push(tt.s)
		})
	}
}

func TestNewHistoryPanicsOnZeroSize(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewHistory(0) did not panic")
		}
	}()
	NewHistory(0)
}

func TestEncodeLatestBeforePush(t *testing.T) {
	shared, used := NewHistory(2).EncodeLatest(5)
	if shared != nil || used != 0 {
		t.Fatalf("EncodeLatest = %x, %d; want nil, 0", shared, used)
	}
}

func TestEncodeLatestBaseSelection(t *testing.T) {
	h := NewHistory(3)
	for _, tick := range []uint32{10, 20, 30, 40} {
		h.Push(testSnapshot(tick, 3))
	}
	// The ring holds 20, 30, 40.
	tests := []struct {
		name string
		base uint32
		want uint32
	}{
		{"no baseline", 0, 0},
		{"held baseline", 30, 30},
		{"oldest held", 20, 20},
		{"evicted", 10, 0},
		{"never existed", 25, 0},
		{"the latest itself", 40, 0},
		{"from the future", 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shared, used := h.EncodeLatest(tt.base)
			if used != tt.want {
				t.Fatalf("usedBase = %d, want %d", used, tt.want)
			}
			var snap pb.Snapshot
			if err := proto.Unmarshal(shared, &snap); err != nil {
				t.Fatal(err)
			}
			if snap.GetBaseTick() != tt.want || snap.GetTick() != 40 {
				t.Fatalf("snapshot tick %d base %d, want 40 base %d", snap.GetTick(), snap.GetBaseTick(), tt.want)
			}
		})
	}
}

func TestEncodeLatestMemoization(t *testing.T) {
	h := NewHistory(8)
	h.Push(testSnapshot(1, 4))
	h.Push(testSnapshot(2, 4))

	a1, _ := h.EncodeLatest(1)
	full, _ := h.EncodeLatest(0)
	a2, _ := h.EncodeLatest(1)
	unknown, _ := h.EncodeLatest(99) // falls back to full: shares its bytes
	if &a1[0] != &a2[0] {
		t.Fatal("same baseline within a tick encoded twice")
	}
	if &full[0] != &unknown[0] {
		t.Fatal("full fallback for an unknown baseline did not share the full encoding")
	}
	if &a1[0] == &full[0] {
		t.Fatal("delta and full share bytes")
	}

	kept := bytes.Clone(a1)
	h.Push(testSnapshot(3, 4))
	b1, _ := h.EncodeLatest(1)
	if &b1[0] == &a1[0] {
		t.Fatal("encoding of a new tick reuses the previous tick's bytes")
	}
	if !bytes.Equal(a1, kept) {
		t.Fatal("bytes handed out before Push changed after it")
	}
	if bytes.Equal(a1, b1) {
		t.Fatal("new tick encoded the same bytes as the old one")
	}
}

func TestEncodeLatestEvents(t *testing.T) {
	ev := func(tick uint32) Event { return Event{Tick: tick, Kind: 1, Actor: 2, Target: 3, Value: -int32(tick)} }
	h := NewHistory(4)
	h.Push(testSnapshot(10, 2, ev(10)))
	h.Push(testSnapshot(20, 2, ev(19), ev(20)))
	h.Push(testSnapshot(30, 2))
	h.Push(testSnapshot(40, 2, ev(40)))
	tests := []struct {
		name string
		base uint32
		want []uint32 // event ticks
	}{
		{"full: latest only", 0, []uint32{40}},
		{"delta from oldest", 10, []uint32{19, 20, 40}},
		{"delta from 20", 20, []uint32{40}},
		{"delta from 30", 30, []uint32{40}},
		{"unknown base: full", 35, []uint32{40}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shared, _ := h.EncodeLatest(tt.base)
			var snap pb.Snapshot
			if err := proto.Unmarshal(shared, &snap); err != nil {
				t.Fatal(err)
			}
			var got []uint32
			for _, e := range snap.GetEvents() {
				if EventFromProto(e) != ev(e.GetTick()) {
					t.Fatalf("event %v does not round-trip", e)
				}
				got = append(got, e.GetTick())
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("event ticks = %v, want %v", got, tt.want)
			}
		})
	}
	// A snapshot without events after one with: the union still holds the
	// earlier ones for an older baseline.
	h.Push(testSnapshot(50, 2))
	shared, _ := h.EncodeLatest(20)
	var snap pb.Snapshot
	if err := proto.Unmarshal(shared, &snap); err != nil {
		t.Fatal(err)
	}
	if len(snap.GetEvents()) != 1 || snap.GetEvents()[0].GetTick() != 40 {
		t.Fatalf("events from 20 to 50 = %v, want the one of tick 40", snap.GetEvents())
	}
}

func TestEncodeLatestProtoRoundTrip(t *testing.T) {
	h := NewHistory(4)
	base := testSnapshot(100, 6)
	h.Push(base)
	next := testSnapshot(103, 6, Event{Tick: 103, Kind: 2, Actor: 1, Value: 7})
	next.Entities = slices.Delete(next.Entities, 2, 3)                         // id 3 removed
	next.Entities = append(next.Entities, Entity{ID: 40})                      // created, all zero
	next.Entities[0].Fields = [FieldCount]int32{1, -5, 99, 4095, 100, 3, 1, 1} // many fields change
	next.ServerTimeUS = -1                                                     // negative times must survive too
	h.Push(next)

	for _, baseTick := range []uint32{0, 100} {
		shared, used := h.EncodeLatest(baseTick)
		var snap pb.Snapshot
		if err := proto.Unmarshal(shared, &snap); err != nil {
			t.Fatal(err)
		}
		want := &pb.Snapshot{
			Tick:         103,
			BaseTick:     used,
			ServerTimeUs: -1,
			Checksum:     Checksum(next.Entities),
			Delta:        snap.GetDelta(), // checked by applying it below
			Events:       []*pb.GameEvent{{Tick: 103, Kind: 2, Actor: 1, Value: 7}},
		}
		if !proto.Equal(&snap, want) {
			t.Fatalf("base %d: snapshot = %v, want %v", baseTick, &snap, want)
		}
		// proto3 encoding agrees byte for byte (zero scalars omitted).
		marshaled, err := proto.MarshalOptions{Deterministic: true}.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(shared, marshaled) {
			t.Fatalf("base %d: shared = % x\nproto.Marshal = % x", baseTick, shared, marshaled)
		}
		var from []Entity
		if used != 0 {
			from = base.Entities
		}
		got, err := ApplyDelta(nil, from, snap.GetDelta())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, next.Entities) || Checksum(got) != snap.GetChecksum() {
			t.Fatalf("base %d: applied = %v, want %v", baseTick, got, next.Entities)
		}
	}
}
