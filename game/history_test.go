package game

import (
	"bytes"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// testView returns a view of n fakeSchema players whose x moves with tick
// (shift moves it further, to make views that differ), with events.
func testView(h *history, tick uint32, n int, shift int32, events ...wire.Event) *view {
	v := h.newView(fakeLayout)
	for k := range n {
		f := v.rows.Append(uint32(k+1), 1)
		f[fakeX] = int32(tick)*40 + int32(k) + shift
	}
	v.checksum = wire.Checksum(v.rows)
	v.events = append(v.events, events...)
	return v
}

// pushTick pushes snapshot tick with views and records each seat's offer
// of the view at the same index.
func pushTick(h *history, tick uint32, views []*view, seats ...*Seat) {
	h.push(tick, int64(tick)*50_000, 1, views)
	for i, s := range seats {
		h.recordOffer(s, views[min(i, len(views)-1)])
	}
}

// decodeShared parses shared snapshot bytes as the client does.
func decodeShared(t *testing.T, shared []byte) *pb.Snapshot {
	t.Helper()
	var msg pb.ServerMessage
	if err := proto.Unmarshal(wire.AppendSnapshotFrame(nil, shared, 0), &msg); err != nil {
		t.Fatal(err)
	}
	return msg.GetSnapshot()
}

func TestHistoryRingEviction(t *testing.T) {
	h := newHistory(3)
	if h.latest() != nil {
		t.Fatalf("empty history: latest %v", h.latest())
	}
	var views []*view
	for tick := uint32(1); tick <= 5; tick++ {
		views = append(views, testView(h, tick*10, 2, 0))
		pushTick(h, tick*10, views[len(views)-1:])
	}
	if got, want := h.heldTicks(), []uint32{30, 40, 50}; !slices.Equal(got, want) {
		t.Fatalf("held ticks = %v, want %v", got, want)
	}
	for _, tt := range []struct {
		tick uint32
		ok   bool
	}{{0, false}, {10, false}, {20, false}, {25, false}, {30, true}, {40, true}, {50, true}, {60, false}} {
		if slot, ok := h.find(tt.tick); ok != tt.ok || (ok && h.ring[slot].tick != tt.tick) {
			t.Errorf("find(%d) = %d, %v; want ok=%v", tt.tick, slot, ok, tt.ok)
		}
	}
	// Tick 10's view, evicted by the push of 40, was reused for 50; tick
	// 20's, evicted by the push of 50, waits for reuse.
	if views[4] != views[0] {
		t.Errorf("the view of tick 50 is not the one tick 10 gave back")
	}
	if len(h.free) != 1 || h.free[0] != views[1] {
		t.Fatalf("free views %v, want tick 20's", h.free)
	}
	if v := h.newView(fakeLayout); v != views[1] || v.rows.Len() != 0 || len(v.events) != 0 {
		t.Errorf("newView did not reuse the evicted view, emptied")
	}
}

func TestHistoryPushPanics(t *testing.T) {
	tests := []struct {
		name string
		push func(h *history)
	}{
		{"tick 0", func(h *history) { h.push(0, 0, 0, nil) }},
		{"same tick", func(h *history) { h.push(5, 0, 5, nil); h.push(5, 0, 5, nil) }},
		{"older tick", func(h *history) { h.push(5, 0, 5, nil); h.push(4, 0, 4, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("push did not panic")
				}
			}()
			tt.push(newHistory(4))
		})
	}
}

func TestNewHistoryPanicsOnZeroSize(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("newHistory(0) did not panic")
		}
	}()
	newHistory(0)
}

func TestHistoryEncodeBaseSelection(t *testing.T) {
	h := newHistory(4)
	s := &Seat{}
	for tick := uint32(3); tick <= 18; tick += 3 {
		pushTick(h, tick, []*view{testView(h, tick, 3, 0)}, s)
	}
	// Held: 9, 12, 15, 18.
	tests := []struct {
		since, want uint32
	}{
		{0, 0},   // asked for full
		{15, 15}, // held
		{9, 9},   // the oldest held
		{6, 0},   // evicted
		{10, 0},  // never a snapshot
		{18, 0},  // the newest itself: nothing to diff against
		{99, 0},  // from the future
	}
	for _, tt := range tests {
		shared, used, _ := h.encode(s, h.latest().views[0], tt.since)
		if used != tt.want {
			t.Errorf("encode(since %d) used base %d, want %d", tt.since, used, tt.want)
		}
		if snap := decodeShared(t, shared); snap.GetBaseTick() != tt.want || snap.GetTick() != 18 {
			t.Errorf("encode(since %d): tick %d base %d, want tick 18 base %d", tt.since, snap.GetTick(), snap.GetBaseTick(), tt.want)
		}
	}
}

func TestHistoryEncodeNeedsTheSeatsOwnOffer(t *testing.T) {
	h := newHistory(4)
	ann, bob := &Seat{}, &Seat{}
	pushTick(h, 3, []*view{testView(h, 3, 2, 0)}, ann) // bob was not offered tick 3
	pushTick(h, 6, []*view{testView(h, 6, 2, 0)}, ann, bob)
	if _, used, _ := h.encode(ann, h.latest().views[0], 3); used != 3 {
		t.Errorf("ann's base %d, want 3", used)
	}
	if _, used, _ := h.encode(bob, h.latest().views[0], 3); used != 0 {
		t.Errorf("bob, never offered tick 3, got base %d, want full", used)
	}
}

func TestHistoryEncodeSharing(t *testing.T) {
	h := newHistory(8)
	ann, bob, cid := &Seat{}, &Seat{}, &Seat{}
	shared := testView(h, 3, 2, 0)
	pushTick(h, 3, []*view{shared}, ann, bob, cid)
	// Tick 6: ann and bob share a view, cid sees another.
	a6, c6 := testView(h, 6, 2, 0), testView(h, 6, 1, 0)
	pushTick(h, 6, []*view{a6, a6, c6}, ann, bob, cid)

	b1, _, fresh1 := h.encode(ann, a6, 3)
	b2, _, fresh2 := h.encode(bob, a6, 3)
	if !fresh1 || fresh2 || !bytes.Equal(b1, b2) || &b1[0] != &b2[0] {
		t.Errorf("seats with one view and baseline: fresh %v, %v; want one encoding shared", fresh1, fresh2)
	}
	b3, _, fresh3 := h.encode(cid, c6, 3)
	if !fresh3 || bytes.Equal(b1, b3) {
		t.Errorf("a seat with another view shared the encoding (fresh %v)", fresh3)
	}
	if _, _, fresh := h.encode(ann, a6, 0); !fresh {
		t.Errorf("a full snapshot reused the delta's bytes")
	}
	if _, _, fresh := h.encode(bob, a6, 0); fresh {
		t.Errorf("a second full snapshot of one view was encoded again")
	}
	if len(h.encodings) != 3 {
		t.Errorf("%d encodings, want 3 (delta of a6, delta of c6, full of a6)", len(h.encodings))
	}
	h.push(9, 0, 9, []*view{testView(h, 9, 2, 0)})
	if len(h.encodings) != 0 {
		t.Errorf("push left %d encodings of the previous tick", len(h.encodings))
	}
}

func TestHistoryEncodeEvents(t *testing.T) {
	h := newHistory(8)
	ann, bob, cid := &Seat{}, &Seat{}, &Seat{}
	ev := func(tick, kind uint32) wire.Event { return wire.Event{Tick: tick, Kind: kind} }
	v3 := testView(h, 3, 2, 0, ev(2, 1), ev(3, 2))
	pushTick(h, 3, []*view{v3}, ann, bob, cid)
	// Tick 6: ann's (and cid's) view holds an event bob's does not.
	a6, b6 := testView(h, 6, 2, 0, ev(5, 3)), testView(h, 6, 2, 1)
	pushTick(h, 6, []*view{a6, b6, a6}, ann, bob, cid)
	// Tick 9: they all see the same again.
	v9 := testView(h, 9, 2, 0, ev(9, 4))
	pushTick(h, 9, []*view{v9}, ann, bob, cid)

	kinds := func(shared []byte) []uint32 {
		var ks []uint32
		for _, e := range decodeShared(t, shared).GetEvents() {
			ks = append(ks, e.GetKind())
		}
		return ks
	}
	annDelta, _, _ := h.encode(ann, v9, 3)
	if got := kinds(annDelta); !slices.Equal(got, []uint32{3, 4}) {
		t.Errorf("ann's delta from 3 carries events %v, want [3 4]: those of the views offered after 3", got)
	}
	// Same baseline, same view now, but another view at tick 6: bob must
	// not get ann's bytes (nor ann's event).
	bobDelta, _, fresh := h.encode(bob, v9, 3)
	if !fresh {
		t.Errorf("bob got ann's encoding although their offers after tick 3 differ")
	}
	if got := kinds(bobDelta); !slices.Equal(got, []uint32{4}) {
		t.Errorf("bob's delta from 3 carries events %v, want [4]", got)
	}
	// cid was offered what ann was: one encoding, from either baseline.
	for _, since := range []uint32{3, 6} {
		d1, _, _ := h.encode(ann, v9, since)
		d2, _, fresh := h.encode(cid, v9, since)
		if fresh || &d1[0] != &d2[0] {
			t.Errorf("deltas from %d of one view after equal offers were not shared", since)
		}
	}
	// From 6, bob's baseline is another view: its own encoding.
	if _, _, fresh := h.encode(bob, v9, 6); !fresh {
		t.Errorf("bob's delta from his own view of tick 6 reused one from ann's")
	}
	if full, _, _ := h.encode(ann, v9, 0); !slices.Equal(kinds(full), []uint32{4}) {
		t.Errorf("full snapshot carries events %v, want only the newest view's [4]", kinds(full))
	}
}

func TestHistoryEncodeRoundTrip(t *testing.T) {
	h := newHistory(8)
	s := &Seat{}
	v3 := testView(h, 3, 3, 0)
	pushTick(h, 3, []*view{v3}, s)
	v6 := testView(h, 6, 2, 0, wire.Event{Tick: 6, Kind: 1, Actor: 1, Values: [wire.MaxEventValues]int32{-7, 0, 3}})
	pushTick(h, 6, []*view{v6}, s)
	h.testCorruptChecksum = func(tick uint32) bool { return false }
	shared, _, _ := h.encode(s, v6, 3)
	snap := decodeShared(t, shared)
	got := wire.NewRows(fakeLayout, 0)
	if err := wire.ApplyDelta(got, v3.rows, snap.GetDelta()); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(v6.rows) || wire.Checksum(got) != snap.GetChecksum() {
		t.Errorf("delta from 3 applied gives %v (checksum %08x), want the view of tick 6 (%08x)", got, wire.Checksum(got), snap.GetChecksum())
	}
	// The clock anchor (tick 1 in pushTick) is older than the baseline:
	// the client derives the time, and the delta leaves it out.
	if snap.GetServerTimeUs() != 0 {
		t.Errorf("delta from 3 carries server time %d, want none", snap.GetServerTimeUs())
	}
	full, _, _ := h.encode(s, v6, 0)
	if got := decodeShared(t, full).GetServerTimeUs(); got != 300_000 {
		t.Errorf("full snapshot's server time %d, want 300000", got)
	}
	evs := snap.GetEvents()
	if len(evs) != 1 || evs[0].GetActor() != 1 || !slices.Equal(evs[0].GetValues(), []int32{-7, 0, 3}) {
		t.Errorf("events %v, want one with values [-7 0 3]", evs)
	}
}

func TestHistoryCorruptChecksumHook(t *testing.T) {
	h := newHistory(4)
	h.testCorruptChecksum = func(tick uint32) bool { return tick == 6 }
	v3 := testView(h, 3, 1, 0)
	pushTick(h, 3, []*view{v3})
	shared, _, _ := h.encode(nil, v3, 0)
	if decodeShared(t, shared).GetChecksum() != v3.checksum {
		t.Errorf("tick 3's checksum was corrupted")
	}
	v6 := testView(h, 6, 1, 0)
	pushTick(h, 6, []*view{v6})
	shared, _, _ = h.encode(nil, v6, 0)
	if decodeShared(t, shared).GetChecksum() != ^v6.checksum {
		t.Errorf("tick 6's checksum was not corrupted")
	}
}
